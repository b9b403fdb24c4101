"""The limits that protect a classroom server, in one file: `.streamlit/classroom.toml`.

    [limits]
    heavy_runs = 2         # MNIST-sized trainings holding a thread at once (2 cores: 2)
    light_runs = 6         # 2-D playground runs holding a thread at once
    queue_length = 30      # runs waiting for a slot; more is refused with a message
    max_steps = 20000      # the step budget a student may ask for on the Train page
    upload_mb = 10         # largest uploaded file (photos, CSV), in Streamlit's MB (2**20 bytes)
    idle_seconds = 60      # a run nobody watches stops after this long
    closed_tab_seconds = 5 # a run whose browser tab closed stops after this long
    paused_minutes = 30    # a paused run is forgotten after this long without a visit
    share_saves = false    # students see each other's saved runs in the Gallery (lecturer's choice)

`$GAN_CLASSROOM_CONFIG` names another file. Missing keys keep these defaults; unknown keys and
bad values are refused with a message naming the file (a typo must not silently change a limit).
"""
from __future__ import annotations

import dataclasses
import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gan_core.checkpoints import REPO_ROOT

CONFIG_ENV = "GAN_CLASSROOM_CONFIG"
DEFAULT_FILE = REPO_ROOT / ".streamlit" / "classroom.toml"
MB = 2**20  # Streamlit's megabyte: [server] maxUploadSize = 10 refuses bodies over 10 * 2**20 bytes


@dataclass(frozen=True)
class Limits:
    heavy_runs: int = 2
    light_runs: int = 6
    queue_length: int = 30
    max_steps: int = 20_000
    upload_mb: int = 10
    idle_seconds: float = 60.0
    closed_tab_seconds: float = 5.0
    paused_minutes: float = 30.0
    share_saves: bool = False
    training_nice: int = 10

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "training_nice":
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 19:
                    raise ValueError(f"training_nice must be a whole number from 0 to 19 (got {value!r})")
            elif f.type == "bool":
                if not isinstance(value, bool):
                    raise ValueError(f"{f.name} must be true or false (got {value!r})")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e7:
                raise ValueError(f"{f.name} must be a positive number (got {value!r})")

    @property
    def upload_bytes(self) -> int:
        """upload_mb in bytes, counted as Streamlit counts maxUploadSize (so the two gates agree)."""
        return int(self.upload_mb * MB)


def load_section(cls: type, section: str, path: str | Path | None = None, *, label: str = ""):
    """``cls(**[section])`` from ``path`` (default: `$GAN_CLASSROOM_CONFIG` or .streamlit/classroom.toml);
    ``cls()`` when the file is missing. Invalid TOML, unknown keys and bad values are refused with a
    message naming the file (``label`` prefixes the setting names, e.g. "[backend] ")."""
    path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_FILE)
    if not path.is_file():
        return cls()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get(section, {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from None
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"{path}: unknown {label}setting(s) {unknown}; valid: {sorted(known)}")
    try:
        return cls(**table)
    except ValueError as exc:
        raise ValueError(f"{path}: {label}{exc}") from None


def load_limits(path: str | Path | None = None) -> Limits:
    """The [limits] table of ``path`` (see ``load_section``)."""
    return load_section(Limits, "limits", path)


@functools.cache
def limits() -> Limits:
    """The server's limits, read once per process."""
    return load_limits()
