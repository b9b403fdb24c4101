"""Students' saved runs: each student has a folder, nothing is ever silently replaced, shipped
models are never shadowed, and a read-only or full disk is a message, not a traceback.

    runs/<student>/<name>.safetensors + .json     (a student = one browser, see ui.runs.student_id;
                                                   runs/ is $GAN_CLASSROOM_RUNS when that is set)

Shipped models live in checkpoints/ and are told apart by their folder everywhere (the Gallery
labels them); a student may call a save "mnist_dcgan": it stays theirs, in their folder.
"""
from __future__ import annotations

import errno
import re
import time
from pathlib import Path

from gan_core.checkpoints import files_of, runs_dir

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")
STUDENT = re.compile(r"^[a-z0-9]{4,32}$")


class SaveError(Exception):
    """A save that cannot be done; ``code`` + ``params`` become a translated message."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code, self.params = code, params


def student_folder(student: str, root: Path | None = None) -> Path:
    if not STUDENT.match(student):
        raise ValueError(f"not a student id: {student!r}")
    return Path(root or runs_dir()) / student


def unique_name(folder: Path, base: str) -> str:
    """``base`` with a time stamp, and a counter if that is taken too (two tabs, same second)."""
    stem = f"{base}_{time.strftime('%H%M%S')}"
    name, n = stem, 1
    while files_of(folder / name)[0].exists() or files_of(folder / name)[1].exists():
        n += 1
        name = f"{stem}_{n}"
    return name


def save_run(run, *, student: str, name: str, replace: bool = False, root: Path | None = None, **kwargs) -> Path:
    """Save ``run`` as ``runs/<student>/<name>``; ``kwargs`` go to ``Run.save`` (metrics, recipe).

    Raises SaveError: bad_name, exists (and not ``replace``), not_ready, read_only, disk_full, failed."""
    if not NAME.match(name):
        raise SaveError("bad_name", f"{name!r}: use letters, digits, '_', '-' or '.' (at most 60)", name=name)
    folder = student_folder(student, root)
    target = folder / name
    if files_of(target)[0].exists() and not replace:
        raise SaveError("exists", f"you already have a save called {name}", name=name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return run.save(target, **kwargs)
    except RuntimeError as exc:  # the run has not built its models yet
        raise SaveError("not_ready", str(exc)) from None
    except OSError as exc:
        code = {errno.EACCES: "read_only", errno.EPERM: "read_only", errno.EROFS: "read_only",
                errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full"}.get(exc.errno, "failed")
        raise SaveError(code, f"could not write {folder}: {exc.strerror or exc}", folder=str(folder),
                        error=exc.strerror or str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - safetensors' own writer errors (not OSError subclasses)
        raise SaveError("failed", f"could not write {folder}: {exc}", folder=str(folder), error=str(exc)) from None
