"""A training run of any family in a background thread, read through immutable snapshots.

The page never trains and the thread never touches the UI: the thread writes statistics and
previews under a lock, the page polls ``snapshot()``. One vocabulary of states for every family:

    new -> queued -> starting -> running -> finished (budget spent) | stopped | error
                 ^                  |
                 +--- resume ---- paused   (a paused run holds no thread and no pool slot)

A run stops by itself after its step budget, on ``stop()``, or when nobody has read it for
``idle_timeout`` seconds (a closed browser tab). Single steps (``step_once``) and loading weights
happen synchronously in the caller's thread while the run is paused: they take milliseconds.
"""
from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gan_core.device import device_label, lower_thread_priority
from gan_core.training.family import FamilyTrainer, Preview, new_trainer

ALIVE = ("queued", "starting", "running", "paused")
MAX_FRAMES = 48  # film-strip frames kept; older ones are thinned to every other frame
MAX_HISTORY = 4000  # recorded steps kept per statistic; longer histories are thinned the same way


@dataclass(frozen=True)
class Snapshot:
    """What a page may draw: plain Python and numpy values, safe to read from any thread."""

    status: str  # new | queued | starting | running | paused | finished | stopped | error
    step: int
    budget: int
    history: dict[str, list[float]]  # "step" plus the family's stat_names, one entry per recorded step
    frames: list[tuple[int, np.ndarray]]  # (step, uint8 picture) film strip, oldest first
    quality: list[dict] = field(default_factory=list)  # {"step", "fid", "coverage", "class_hist", ...}
    steps_per_s: float = 0.0
    device: str = "CPU"
    eta_s: float | None = None
    stop_reason: str = ""
    error: str = ""
    preview: Preview | None = None  # the latest preview (any family)

    @property
    def alive(self) -> bool:
        return self.status in ALIVE

    @property
    def latest_grid(self) -> np.ndarray | None:
        return self.frames[-1][1] if self.frames else None


def _thin(items: list) -> list:
    """Every other item, keeping the first and the last (bounded memory for long runs)."""
    return items[::2] + ([] if len(items) % 2 else [items[-1]])


class Run:
    """start / pause / resume / stop / step_once around one family trainer."""

    def __init__(self, *, config: Any, data: Any = None, idle_timeout: float = 60.0,
                 on_end: Callable[[Run], None] | None = None, requeue: Callable[[Run], None] | None = None,
                 owner: str = "", quality_every: int | None = None,
                 owner_alive: Callable[[], bool] | None = None, closed_grace: float = 5.0,
                 clock: Callable[[], float] = time.monotonic, nice: int = 0) -> None:
        from gan_core.families import get_family

        self.config = config
        self.family = get_family(config.family_name)
        self.owner = owner
        self._data = data
        self.idle_timeout = idle_timeout
        self._on_end = on_end
        self._requeue = requeue
        self._quality_every = quality_every  # None: the trainer's own choice
        self._owner_alive = owner_alive  # False once the owner's browser tab has closed
        self.closed_grace = closed_grace
        self.nice = nice  # heavy runs only: how many nice levels the training thread gives up (Linux)
        self._closed_since: float | None = None
        self._checked_at = -1e9
        self._clock = clock
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        # held for each optimiser step: save() never copies a half-updated module
        self._step_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._status = "new"
        self._paused = False
        self._stop = False
        self._trainer: FamilyTrainer | None = None
        self._history: dict[str, list[float]] = {k: [] for k in ("step", *self.family.stat_names)}
        self._frames: list[tuple[int, np.ndarray]] = []
        self._preview: Preview | None = None
        self._quality: list[dict] = []
        self._rate = 0.0
        self._device = "CPU"
        self._stop_reason = ""
        self._error = ""
        self.exception: BaseException | None = None  # the error, for pages that translate known kinds
        self._last_read = self._clock()
        self._version = 0  # bumped by every change a snapshot shows: 30 watchers of one run share one copy
        self._snap: tuple[tuple, Snapshot] | None = None

    # -- controls (called from the page) -------------------------------------------------
    def start(self) -> None:
        """Train in a background thread (the pool calls this when it grants a slot)."""
        with self._lock:
            if self._thread is not None or self._status not in ("new", "queued", "paused"):
                return
            self._paused = False
            self._status = "starting" if self._trainer is None else "running"
            self._last_read = self._clock()
            self._thread = threading.Thread(target=self._loop, name="gan-run", daemon=True)
            self._thread.start()

    def mark_queued(self) -> None:
        with self._lock:
            if self._thread is None and self._status in ("new", "paused"):
                self._status = "queued"
                self._paused = False
                self._last_read = self._clock()

    def pause(self, *, wait: float = 10.0) -> None:
        """Pause after the step in flight and give the thread (and its pool slot) back; returns once
        the thread has ended (or after ``wait`` s). A queued or starting run pauses too."""
        with self._lock:
            if self._status not in ("queued", "starting", "running"):
                return
            self._paused = True
            thread = self._thread
            if thread is None:
                self._status = "paused"
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def resume(self) -> None:
        """Continue a paused run: back into the pool's queue (or straight to a thread without a pool)."""
        with self._lock:
            if self._status != "paused" or self._thread is not None:
                return
        if self._requeue is not None:
            self._requeue(self)
        else:
            self.start()

    def step_once(self, mode: str = "both") -> None:
        """One step in ``mode`` (GAN Lab's step buttons), done now in the caller's thread; the run
        stays (or becomes) paused."""
        if mode not in self.family.step_modes:
            raise ValueError(f"mode must be one of {', '.join(self.family.step_modes)} (got {mode!r})")
        if self.status not in ALIVE:
            return
        self.pause()
        trainer = self._ensure_trainer()
        if trainer is None:
            return
        with self._step_lock:
            stats = trainer.step(mode)
            preview = trainer.preview()
        self._publish([(trainer.steps_done, stats)], preview, None, None)

    def load_weights(self, states: dict[str, dict[str, torch.Tensor]], *, steps: int) -> None:
        """Replace module weights (e.g. a shipped ready state) and pause there."""
        self.pause()
        trainer = self._ensure_trainer()
        if trainer is None:
            return
        with self._step_lock:
            for name, state in states.items():
                trainer.modules[name].load_state_dict(state)
            trainer.steps_done = int(steps)
            preview = trainer.preview()
        with self._lock:
            if self._status in ("new", "queued"):
                self._status = "paused"
        self._publish([], preview, None, None)

    def fresh_preview(self) -> Preview | None:
        """Compute a preview now (waits for the step in flight) and publish it; None before the build."""
        trainer = self._trainer
        if trainer is None:
            return None
        with self._step_lock:
            preview = trainer.preview()
        self._publish([], preview, None, None)
        return preview

    def prepare(self) -> None:
        """Build the trainer now, in the caller's thread (a run that starts paused shows step 0)."""
        self._ensure_trainer()
        with self._lock:
            if self._status in ("new", "queued") and self._thread is None:
                self._status = "paused" if self._status == "new" else self._status

    def stop(self, reason: str = "stopped") -> None:
        with self._lock:
            self._stop = True
            self._stop_reason = self._stop_reason or reason
            if self._thread is None and self._status in ALIVE + ("new",):
                self._status = "stopped"

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def owner_gone(self) -> bool:
        """True once the owner's tab has been closed for longer than ``closed_grace`` seconds
        (checked at most twice a second; always False without an ``owner_alive`` check)."""
        if self._owner_alive is None:
            return False
        now = self._clock()
        if now - self._checked_at >= 0.5:
            self._checked_at = now
            if self._owner_alive():
                self._closed_since = None
            elif self._closed_since is None:
                self._closed_since = now
        return self._closed_since is not None and now - self._closed_since > self.closed_grace

    def idle_for(self) -> float:
        """Seconds since a page last read this run."""
        with self._lock:
            return self._clock() - self._last_read

    @property
    def status(self) -> str:
        with self._lock:
            return self._status

    @property
    def has_thread(self) -> bool:
        return self._thread is not None

    @property
    def trainer(self) -> FamilyTrainer | None:
        return self._trainer

    def save(self, out: str | Path, **kwargs) -> Path:
        """Checkpoint every module now (running, paused or ended): waits for the step in progress.

        ``kwargs`` go to ``export.save_trainer`` (metrics, recipe). Raises RuntimeError before the
        models are built."""
        from gan_core.training.export import save_trainer

        with self._step_lock:
            if self._trainer is None:
                raise RuntimeError("this run has not built its models yet")
            return save_trainer(self._trainer, out, **kwargs)

    def snapshot(self, *, touch: bool = True) -> Snapshot:
        """The run as a page may draw it. Built once per change and shared by every reader (a class
        watching one run costs one copy, not thirty)."""
        with self._lock:
            if touch:
                self._last_read = self._clock()
            step = self._trainer.steps_done if self._trainer else 0
            key = (self._version, self._status, self._stop_reason, self._error, step)
            if self._snap is not None and self._snap[0] == key:
                return self._snap[1]
            budget = int(getattr(self.config, "steps", 0) or 0)
            left = max(0, budget - step)
            snap = Snapshot(
                status=self._status, step=step, budget=budget,
                history={k: list(v) for k, v in self._history.items()},
                frames=list(self._frames), quality=list(self._quality),
                steps_per_s=self._rate, device=self._device,
                eta_s=(left / self._rate) if self._rate > 0 and self._status in ALIVE else None,
                stop_reason=self._stop_reason, error=self._error, preview=self._preview)
            self._snap = (key, snap)
            return snap

    @property
    def version(self) -> int:
        """Changes whenever the snapshot would (pages cache figures per version)."""
        return self._version

    # -- the thread ----------------------------------------------------------------------
    def _ensure_trainer(self) -> FamilyTrainer | None:
        with self._build_lock:
            if self._trainer is None:
                try:
                    trainer = new_trainer(self.config, data=self._data)
                    preview = trainer.preview()
                except Exception as exc:  # noqa: BLE001 - any failure: the page shows it
                    self._fail(exc)
                    return None
                with self._lock:
                    self._trainer = trainer
                    self._device = device_label(trainer.device)
                self._publish([], preview, None, None)
            return self._trainer

    def _fail(self, exc: BaseException) -> None:
        self.exception = exc
        with self._lock:
            self._status = "error"
            self._error = f"{type(exc).__name__}: {exc}"
            self._stop_reason = "error"
        traceback.print_exc()

    def _loop(self) -> None:
        try:
            if self.nice and self.family.lane != "light":
                lower_thread_priority(self.nice)
            trainer = self._ensure_trainer()
            if trainer is not None:
                with self._lock:
                    if self._status == "starting":
                        self._status = "running"
                self._train(trainer)
        except Exception as exc:  # noqa: BLE001 - any failure: the page shows it instead of a silent stop
            self._fail(exc)
        finally:
            with self._lock:
                self._thread = None
            if self._on_end is not None:
                self._on_end(self)

    def _next_action(self) -> bool:
        """True: take another step; False: leave the loop (stop, idle or pause)."""
        with self._lock:
            if self._stop:
                return False
            if self._clock() - self._last_read > self.idle_timeout:
                self._stop_reason = "idle"
                return False
            paused = self._paused
        if self.owner_gone():
            with self._lock:
                self._stop_reason = self._stop_reason or "closed"
                self._stop = True
            return False
        return not paused

    def _train(self, trainer: FamilyTrainer) -> None:
        budget = int(getattr(self.config, "steps", 0) or 0) or None
        every_steps, every_s = trainer.publish_every_steps, trainer.publish_every_s
        quality_every = trainer.quality_every if self._quality_every is None else self._quality_every
        light = self.family.lane == "light"
        pending: list[tuple[int, dict[str, torch.Tensor]]] = []
        window_t, window_steps, last_publish = time.perf_counter(), 0, time.perf_counter()
        while budget is None or trainer.steps_done < budget:
            if not self._next_action():
                break
            with self._step_lock:
                stats = trainer.step("both")
            pending.append((trainer.steps_done, stats))
            window_steps += 1
            done = trainer.steps_done
            now = time.perf_counter()
            due = (every_steps and done % every_steps == 0) or (every_s and now - last_publish >= every_s)
            if due or done == budget:
                elapsed = now - window_t
                quality = None
                with self._step_lock:
                    preview = trainer.preview()
                    if quality_every and done % quality_every == 0:
                        quality = trainer.quality()
                self._publish(pending, preview, quality, window_steps / elapsed if elapsed > 0 else None)
                pending = []
                last_publish = time.perf_counter()
                window_t, window_steps = last_publish, 0  # preview and quality time is not training time
            if light:
                time.sleep(0)  # hand the interpreter to the page threads between cheap steps
        if pending:
            self._publish(pending, trainer.preview(), None, None)
        with self._lock:
            if self._stop or self._stop_reason == "idle":
                self._status = "stopped"
            elif self._paused:
                self._status = "paused"
            else:
                self._status = "finished"
                self._stop_reason = "budget"

    def _publish(self, pending, preview: Preview | None, quality, rate) -> None:
        keys = self.family.stat_names
        rows = []
        if pending:  # one host sync per publish, not per step
            nan = torch.tensor(float("nan"))
            values = torch.stack([torch.stack([s.get(k, nan).detach().float().cpu().reshape(()) for k in keys])
                                  for _, s in pending])
            rows = values.tolist()
        with self._lock:
            for (step, _), row in zip(pending, rows):
                self._history["step"].append(float(step))
                for key, value in zip(keys, row):
                    self._history[key].append(value)
            if len(self._history["step"]) > MAX_HISTORY:
                self._history = {k: _thin(v) for k, v in self._history.items()}
            if preview is not None:
                self._preview = preview
                if preview.image is not None:
                    step = self._trainer.steps_done if self._trainer else 0
                    if self._frames and self._frames[-1][0] == step:
                        self._frames[-1] = (step, preview.image)
                    else:
                        self._frames.append((step, preview.image))
                    if not self._trainer or not self._trainer.film_strip:
                        self._frames = self._frames[-1:]
                    elif len(self._frames) > MAX_FRAMES:
                        self._frames = _thin(self._frames)  # first and last frames always stay
            if quality is not None:
                self._quality.append({"step": self._trainer.steps_done, **quality})
            if rate is not None:
                self._rate = rate if self._rate == 0 else 0.7 * self._rate + 0.3 * rate
            self._version += 1
