"""`python -m gan_core train`: one loop for every family that loses nothing.

Order of work, so that no failure after the loop costs the run:
1. the destination is checked before any training (writable, not a shipped model, not a checkpoint
   that would be silently replaced);
2. the loop writes a resume file now and then (``<out>.resume.pt``: modules, optimisers, random
   generators, timeline), and on Ctrl-C saves the checkpoint and the resume file before exiting;
3. the checkpoint is saved before the evaluation, which then only adds its metrics to the sidecar.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gan_core import checkpoints
from gan_core.training.family import Family, FamilyTrainer, new_trainer, to_dict
from gan_core.training.flags import recipe_command

RESUME_EVERY_S = 120.0  # at most this much training is lost when the process is killed


def resume_path(out: str | Path) -> Path:
    return Path(str(checkpoints.stem_of(out)) + ".resume.pt")


def check_destination(out: str | Path, *, resume: bool, overwrite: bool, overwrite_shipped: bool) -> Path:
    """The checkpoint stem to write, or an error that says why not (before any training)."""
    stem = checkpoints.stem_of(out)
    weights, _ = checkpoints.files_of(stem)
    shipped = stem.parent.resolve() == checkpoints.SHIPPED_DIR.resolve()
    if shipped and weights.exists() and not overwrite_shipped:
        raise FileExistsError(f"{weights} is a model shipped with the app; train into runs/ instead, or pass "
                              "--overwrite-shipped if you maintain the shipped models")
    if weights.exists() and not (resume or overwrite or overwrite_shipped):
        raise FileExistsError(f"{weights} exists: pass --overwrite to replace it or --resume to continue it")
    stem.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(stem.parent, os.W_OK):
        raise PermissionError(f"cannot write to {stem.parent}")
    return stem


def _save_resume(trainer: FamilyTrainer, path: Path, frames: list, seconds: float) -> None:
    state = {"state": trainer.state_dict(), "config": to_dict(trainer.config), "seconds": float(seconds),
             "timeline": [(int(s), torch.from_numpy(np.ascontiguousarray(g))) for s, g in frames]}
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def _load_resume(trainer: FamilyTrainer, path: Path) -> tuple[list, float]:
    saved = torch.load(path, weights_only=True)  # our own file; weights_only never runs pickled code
    mine, theirs = to_dict(trainer.config), dict(saved["config"])
    mine.pop("steps", None), theirs.pop("steps", None)
    if mine != theirs:
        changed = sorted(k for k in mine if mine.get(k) != theirs.get(k))
        raise ValueError(f"--resume needs the settings of the saved run; these differ: {', '.join(changed)}")
    trainer.load_state_dict(saved["state"])
    return [(s, g.numpy()) for s, g in saved["timeline"]], float(saved.get("seconds", 0.0))


def _save_timeline(stem: Path, frames: list) -> None:
    """Fixed-input previews at several steps for the gallery's timeline (a stale one is removed)."""
    path = Path(f"{stem}.timeline.npz")
    if frames:
        np.savez_compressed(path, steps=np.array([s for s, _ in frames]), grids=np.stack([g for _, g in frames]))
    elif path.exists():
        path.unlink()


def train(family: Family, config: Any, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from gan_core.device import set_threads

    stem = check_destination(args.out, resume=args.resume, overwrite=args.overwrite,
                             overwrite_shipped=args.overwrite_shipped)
    set_threads(args.threads)
    trainer = new_trainer(config)
    budget = int(getattr(config, "steps", 0))
    frames: list[tuple[int, np.ndarray]] = []
    rpath = resume_path(stem)
    before = 0.0  # training seconds of earlier sessions of this run
    if args.resume:
        if not rpath.is_file():
            raise FileNotFoundError(f"{rpath} not found: nothing to resume (train without --resume first)")
        frames, before = _load_resume(trainer, rpath)
        print(f"resumed at step {trainer.steps_done} of {budget}")
    print(f"family {family.name}; data: {trainer.data_source or '-'}; device {trainer.device}")
    every = max(1, budget // max(1, args.snapshots))
    recipe = recipe_command(family, config, stem)
    started = last_resume = time.perf_counter()
    interrupted = False
    try:
        with tqdm(total=budget, initial=trainer.steps_done, unit="step", dynamic_ncols=True) as bar:
            if not frames:
                _add_frame(trainer, frames)
            while trainer.steps_done < budget:
                stats = trainer.step()
                bar.update(1)
                if trainer.steps_done % every == 0 or trainer.steps_done == budget:
                    _add_frame(trainer, frames)
                    bar.set_postfix({k: f"{float(v):.3f}" for k, v in list(stats.items())[:3]})
                if time.perf_counter() - last_resume > RESUME_EVERY_S:
                    _save_resume(trainer, rpath, frames, before + time.perf_counter() - started)
                    last_resume = time.perf_counter()
    except KeyboardInterrupt:
        interrupted = True
        print(f"\ninterrupted at step {trainer.steps_done}: saving what was trained")
    seconds = time.perf_counter() - started
    # the whole run's pace: a resumed run counts its earlier sessions (a resume at the last step trains nothing)
    metrics = {"train_seconds": round(before + seconds, 1),
               "steps_per_s": round(trainer.steps_done / max(before + seconds, 1e-9), 1),
               "threads": torch.get_num_threads()}
    _save_resume(trainer, rpath, frames, before + seconds)
    from gan_core.training.export import save_trainer

    stem = save_trainer(trainer, stem, metrics=metrics, recipe=recipe)
    _save_timeline(stem, frames)
    print(f"saved {stem}.safetensors and {stem}.json (resume file {rpath.name})")
    if interrupted:
        return 130
    if args.eval_n and family.evaluate is not None:
        try:
            result = trainer.evaluate(n=args.eval_n, seed=0)
        except ValueError as exc:
            print(f"evaluation skipped: {exc}")
        else:
            checkpoints.update_metrics(stem, result)
            metrics.update(result)
    for key, value in metrics.items():
        print(f"  {key:>16}: {value}")
    return 0


def _add_frame(trainer: FamilyTrainer, frames: list) -> None:
    image = trainer.preview().image
    if image is not None:
        frames.append((trainer.steps_done, image))
