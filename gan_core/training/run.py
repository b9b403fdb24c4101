"""A training run in a background thread, read through immutable snapshots.

The page never trains and the thread never touches the UI: the thread writes metrics and
sample grids under a lock, the page polls ``snapshot()`` about once a second. A run stops
by itself after its step budget, on ``stop()``, or when nobody has read it for
``idle_timeout`` seconds (a closed browser tab).
"""
from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from gan_core.device import device_label
from gan_core.training.config import TrainConfig
from gan_core.training.trainer import STAT_KEYS, Trainer

ALIVE = ("queued", "starting", "running", "paused")
MAX_FRAMES = 48  # film-strip frames kept; older ones are thinned to every other frame


@dataclass(frozen=True)
class Snapshot:
    """What a page may draw: plain Python and numpy values, safe to read from any thread."""

    status: str  # new | queued | starting | running | paused | finished | stopped | error
    step: int
    budget: int
    history: dict[str, list[float]]  # "step" plus STAT_KEYS, one entry per recorded step
    frames: list[tuple[int, np.ndarray]]  # (step, uint8 grid) film strip, oldest first
    quality: list[dict] = field(default_factory=list)  # {"step", "fid", "coverage", "class_hist", ...}
    steps_per_s: float = 0.0
    device: str = "CPU"
    eta_s: float | None = None
    stop_reason: str = ""
    error: str = ""

    @property
    def alive(self) -> bool:
        return self.status in ALIVE

    @property
    def latest_grid(self) -> np.ndarray | None:
        return self.frames[-1][1] if self.frames else None


Evaluator = Callable[[Trainer], dict]


class Run:
    """start / pause / resume / stop / step_once / reset around one ``Trainer``."""

    def __init__(self, *, config: TrainConfig, data=None, idle_timeout: float = 60.0,
                 evaluator: Evaluator | None = None, quality_every: int = 0,
                 on_end: Callable[[Run], None] | None = None, start_paused: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self._data = data
        self.idle_timeout = idle_timeout
        self._evaluator = evaluator
        self._quality_every = quality_every
        self._on_end = on_end
        self.start_paused = start_paused
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        # held for each optimiser step: save() never copies a half-updated G or D
        self._step_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._reset_state()

    def _reset_state(self) -> None:
        self._status = "new"
        self._paused = False
        self._stop = False
        self._pending: list[str] = []  # single steps asked for while paused
        self._parked = False  # the thread is waiting, not stepping: the trainer is safe to read
        self._trainer: Trainer | None = None
        self._history: dict[str, list[float]] = {k: [] for k in ("step", *STAT_KEYS)}
        self._frames: list[tuple[int, np.ndarray]] = []
        self._quality: list[dict] = []
        self._rate = 0.0
        self._device = "CPU"
        self._stop_reason = ""
        self._error = ""
        self._last_read = self._clock()

    # -- controls (called from the page) -------------------------------------------------
    def start(self, *, paused: bool | None = None) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._paused = self.start_paused if paused is None else paused
            self._status = "starting"
            self._last_read = self._clock()
            self._thread = threading.Thread(target=self._loop, name="gan-run", daemon=True)
            self._thread.start()

    def mark_queued(self) -> None:
        with self._lock:
            if self._thread is None:
                self._status = "queued"
                self._last_read = self._clock()

    def pause(self, *, wait: float = 5.0) -> None:
        """Pause after the step in flight; returns once the thread is parked (or after ``wait`` s).

        Once parked, nothing touches the trainer, so a page may save it safely.
        """
        with self._lock:
            if self._status == "running":
                self._paused = True
                self._status = "paused"
            if self._thread is not None and self._paused:
                self._wake.wait_for(lambda: self._parked or self._status not in ALIVE, timeout=wait)

    def resume(self) -> None:
        with self._lock:
            if self._status in ("paused", "starting"):
                self._paused = False
                if self._status == "paused":
                    self._status = "running"
                self._wake.notify_all()

    def step_once(self, which: str = "both") -> None:
        """Ask for one step (``both``, ``d`` or ``g``) while paused, as GAN Lab's step buttons."""
        if which not in ("both", "d", "g"):
            raise ValueError(f"which must be 'both', 'd' or 'g' (got {which!r})")
        with self._lock:
            if self._status not in ALIVE:
                return
            self._paused = True
            if self._status == "running":
                self._status = "paused"
            self._pending.append(which)
            self._wake.notify_all()

    def stop(self, reason: str = "stopped") -> None:
        with self._lock:
            self._stop = True
            self._stop_reason = self._stop_reason or reason
            if self._thread is None and self._status in ("new", "queued"):
                self._status = "stopped"
            self._wake.notify_all()

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def reset(self) -> None:
        """Stop and forget everything; the next start replays the same seed exactly."""
        self.stop("reset")
        self.join()
        with self._lock:
            self._thread = None
            self._reset_state()

    def idle_for(self) -> float:
        """Seconds since a page last read this run."""
        with self._lock:
            return self._clock() - self._last_read

    @property
    def status(self) -> str:
        with self._lock:
            return self._status

    @property
    def trainer(self) -> Trainer | None:
        return self._trainer

    def save(self, out: str | Path, **kwargs) -> Path:
        """Checkpoint G and D now (running, paused or ended): waits for the step in progress.

        ``kwargs`` go to ``export.save_trainer`` (metrics, recipe). Raises RuntimeError before
        the thread has built the models."""
        from gan_core.training.export import save_trainer

        with self._step_lock:
            trainer = self._trainer
            if trainer is None:
                raise RuntimeError("this run has not built its models yet")
            return save_trainer(trainer, out, **kwargs)

    def snapshot(self, *, touch: bool = True) -> Snapshot:
        with self._lock:
            if touch:
                self._last_read = self._clock()
            step = self._trainer.steps_done if self._trainer else 0
            left = max(0, self.config.steps - step)
            return Snapshot(
                status=self._status, step=step, budget=self.config.steps,
                history={k: list(v) for k, v in self._history.items()},
                frames=list(self._frames), quality=list(self._quality),
                steps_per_s=self._rate, device=self._device,
                eta_s=(left / self._rate) if self._rate > 0 and self._status in ALIVE else None,
                stop_reason=self._stop_reason, error=self._error)

    # -- the thread ----------------------------------------------------------------------
    def _loop(self) -> None:
        try:
            trainer = Trainer(config=self.config, data=self._data)
            with self._lock:
                self._trainer = trainer
                self._device = device_label(trainer.device)
                self._frames.append((0, trainer.fixed_grid()))
                if self._status == "starting":
                    self._status = "paused" if self._paused else "running"
            self._train(trainer)
        except Exception as exc:  # noqa: BLE001 - any failure: the page shows it instead of a silent stop
            with self._lock:
                self._status = "error"
                self._error = f"{type(exc).__name__}: {exc}"
                self._stop_reason = "error"
                self._wake.notify_all()
            traceback.print_exc()
        finally:
            if self._on_end is not None:
                self._on_end(self)

    def _next_action(self) -> str | None:
        """Block while paused; return 'both' / 'd' / 'g', or None to end the run."""
        with self._lock:
            while True:
                if self._stop:
                    return None
                if self._clock() - self._last_read > self.idle_timeout:
                    self._stop_reason = "idle"
                    return None
                if self._pending:
                    return self._pending.pop(0)
                if not self._paused:
                    return "both"
                self._parked = True
                self._wake.notify_all()
                self._wake.wait(timeout=0.25)
                self._parked = False

    def _train(self, trainer: Trainer) -> None:
        cfg = self.config
        pending: list[tuple[int, dict[str, torch.Tensor]]] = []
        window_t, window_steps = time.perf_counter(), 0
        while trainer.steps_done < cfg.steps:
            action = self._next_action()
            if action is None:
                break
            with self._step_lock:
                stats = trainer.step(action)
            pending.append((trainer.steps_done, stats))
            window_steps += 1
            single = action != "both" or self._paused
            if trainer.steps_done % cfg.snapshot_every == 0 or single or trainer.steps_done >= cfg.steps:
                elapsed = time.perf_counter() - window_t
                grid = trainer.fixed_grid()
                quality = None
                if self._evaluator and self._quality_every and trainer.steps_done % self._quality_every == 0:
                    quality = {"step": trainer.steps_done, **self._evaluator(trainer)}
                self._publish(pending, grid, quality, window_steps / elapsed if not single else None)
                pending = []
                window_t, window_steps = time.perf_counter(), 0  # eval time is not training time
        with self._lock:
            if self._stop or self._stop_reason == "idle":
                self._status = "stopped"
            else:
                self._status = "finished"
                self._stop_reason = "budget"
            self._wake.notify_all()

    def _publish(self, pending, grid, quality, rate) -> None:
        values = torch.stack([torch.stack([s[k].float().cpu() for k in STAT_KEYS]) for _, s in pending])
        rows = values.tolist()  # one host sync per snapshot, not per step
        with self._lock:
            for (step, _), row in zip(pending, rows):
                self._history["step"].append(float(step))
                for key, value in zip(STAT_KEYS, row):
                    self._history[key].append(value)
            self._frames.append((self._trainer.steps_done, grid))
            if len(self._frames) > MAX_FRAMES:
                keep_last = [] if len(self._frames) % 2 else [self._frames[-1]]
                self._frames = self._frames[::2] + keep_last  # first and last frames always stay
            if quality is not None:
                self._quality.append(quality)
            if rate is not None:
                self._rate = rate if self._rate == 0 else 0.7 * self._rate + 0.3 * rate
