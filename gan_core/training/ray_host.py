"""The Ray actor behind a RemoteRun (gan_core/training/ray_pool.py): one Run, trained in the actor.

Plain Python (``RayPool`` wraps it with ``ray.remote(max_concurrency=8)``, a threaded actor, so
``fetch`` and ``pause`` answer while ``train`` blocks). What crosses the wire is picklable: frozen
Snapshots of numpy and Python values, configs, state dicts, checkpoint files as bytes.
"""
from __future__ import annotations

import dataclasses
import pickle
import tempfile
from pathlib import Path
from typing import Any

from gan_core.training.run import Run


class RunHost:
    """The Ray actor (wrapped by ``ray.remote`` at pool start): one Run, trained in its own thread."""

    def __init__(self, *, config: Any, data: Any, idle_timeout: float, quality_every: int | None,
                 threads: int) -> None:
        from gan_core.device import set_threads

        set_threads(threads)
        self.run = Run(config=config, data=data, idle_timeout=idle_timeout, quality_every=quality_every)

    def train(self) -> str:
        """Train until the budget, a stop, a pause or the idle timeout; blocks (the actor is threaded)."""
        self.run.start()
        self.run.join()
        return self.run.status

    def fetch(self, known: tuple, frame_steps: tuple[int, ...], rows: int, last_step: float | None,
              touch: bool) -> tuple | None:
        """What changed since ``known``: (key, snapshot with only new frames and history rows, all frame
        steps, full-history flag, built, exception), or None when nothing did."""
        run = self.run
        snap = run.snapshot(touch=touch)
        key = (run.version, snap.status, snap.stop_reason, snap.error, snap.step)
        if key == known:
            return None
        have = set(frame_steps)
        frames = [f for f in snap.frames[:-1] if f[0] not in have] + snap.frames[-1:]
        steps = snap.history.get("step", [])
        tail = rows > 0 and len(steps) >= rows and steps[rows - 1] == last_step  # steps only grow: prefix kept
        history = {k: v[rows:] for k, v in snap.history.items()} if tail else snap.history
        exc = run.exception
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an exception that does not travel becomes its message
            exc = RuntimeError(str(exc))
        return (key, dataclasses.replace(snap, frames=frames, history=history), [s for s, _ in snap.frames],
                not tail, run.trainer is not None, exc)

    def pause(self) -> None:
        self.run.pause()

    def stop(self, reason: str) -> None:
        self.run.stop(reason)

    def prepare(self) -> None:
        self.run.prepare()

    def step_once(self, mode: str) -> None:
        self.run.step_once(mode)

    def load_weights(self, states: dict, steps: int) -> None:
        self.run.load_weights(states, steps=steps)

    def fresh_preview(self):
        return self.run.fresh_preview()

    def save_files(self, name: str, kwargs: dict) -> dict[str, bytes] | None:
        """The checkpoint's files as bytes (the app writes them where the student saves), or None
        before the models are built."""
        if self.run.trainer is None:
            return None
        with tempfile.TemporaryDirectory() as tmp:
            stem = self.run.save(Path(tmp) / name, **kwargs)
            return {suffix: Path(str(stem) + suffix).read_bytes() for suffix in (".safetensors", ".json")}
