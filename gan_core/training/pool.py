"""A process-wide pool that bounds how many runs train at once, for every family.

Several students share one server: each submits runs under an owner id (their browser
session). Runs belong to a lane (their family's ``lane``): at most ``max_running`` heavy runs
(image GANs, ...) and ``max_light`` light ones (the 2-D playground) hold a training thread at a
time, so a student's toy never waits behind two MNIST runs and twelve open playground tabs cannot
starve a live MNIST run. The rest wait in one queue, in order, with a visible place.

Policy: only a running run holds a slot. A paused run gives its slot back at once and rejoins the
end of the queue when resumed. Running and queued runs that nobody reads expire after
``idle_timeout`` seconds (a closed tab); a paused run costs only memory, so it is kept for
``paused_timeout`` seconds (a student reading the page for a while loses nothing).
"""
from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Any

from gan_core.training.run import ALIVE, Run


class QueueFull(RuntimeError):
    """The queue holds ``queue_length`` runs already: the message says how many wait."""


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read off a projector

class JobPool:
    def __init__(self, *, max_running: int = 2, max_light: int = 6, idle_timeout: float = 60.0,
                 paused_timeout: float = 1800.0, queue_length: int = 1000,
                 run_factory: Callable[..., Run] = Run, heavy_nice: int = 0) -> None:
        if max_running < 1 or max_light < 1:
            raise ValueError("max_running and max_light must be at least 1")
        self.bounds = {"heavy": max_running, "light": max_light}
        self.idle_timeout = idle_timeout
        self.paused_timeout = paused_timeout
        self.queue_length = queue_length
        self._run_factory = run_factory
        self.heavy_nice = heavy_nice  # training threads of heavy runs yield to page scripts (Run.nice)
        self._lock = threading.RLock()
        self._runs: list[Run] = []  # every live run: active, queued or paused
        self._active: list[Run] = []  # runs holding a slot (a training thread)
        self._queue: list[Run] = []
        self._shared: dict[str, Run] = {}  # short code -> a run the whole class may watch

    @property
    def max_running(self) -> int:
        return self.bounds["heavy"]

    def submit(self, config: Any, *, owner: str, paused: bool = False, **run_kwargs) -> Run:
        """Create a run for ``owner``: it starts when its lane has a free slot, else it queues.
        ``paused=True`` builds it now (in the caller's thread) and leaves it paused at step 0."""
        with self._lock:
            self._promote()
            if not paused and len(self._queue) >= self.queue_length:
                raise QueueFull(f"{len(self._queue)} runs are already waiting for a slot; try again when "
                                "one has finished, or start paused and step by hand")
        if self.heavy_nice:
            run_kwargs.setdefault("nice", self.heavy_nice)
        run = self._run_factory(config=config, idle_timeout=self.idle_timeout, on_end=self._ended,
                                requeue=self._requeue, owner=owner, **run_kwargs)
        with self._lock:
            self._runs.append(run)
        if paused:
            run.prepare()
        else:
            self._requeue(run)
        return run

    def queue_position(self, run: Run) -> int:
        """0 when the run is not waiting, else its 1-based place among the runs of its lane."""
        with self._lock:
            self._promote()
            same = [r for r in self._queue if r.family.lane == run.family.lane]
            return same.index(run) + 1 if run in same else 0

    def share(self, run: Run, *, owner: str) -> str:
        """A short code under which every session may watch ``run`` (read-only); the same code when
        shared again. Only the run's owner may share it."""
        if run.owner != owner:
            raise PermissionError("only the run's owner can share it")
        with self._lock:
            for code, shared in self._shared.items():
                if shared is run:
                    return code
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
            while code in self._shared:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
            self._shared[code] = run
            return code

    def shared(self, code: str) -> Run | None:
        """The run shared under ``code`` (any letter case), or None; watching never controls it."""
        with self._lock:
            return self._shared.get(code.strip().upper())

    def shared_codes(self) -> dict[str, Run]:
        with self._lock:
            return dict(self._shared)

    def unshare(self, code: str, *, owner: str) -> None:
        with self._lock:
            run = self._shared.get(code)
            if run is not None and run.owner == owner:
                del self._shared[code]

    def estimated_wait(self, run: Run) -> float | None:
        """Seconds until a queued run gets a slot, from the running runs' remaining time and the
        budgets of the runs ahead of it at the running runs' speed; None when it cannot be told
        (nothing has measured its speed yet) or the run is not waiting."""
        with self._lock:
            self._promote()
            lane = run.family.lane
            waiting = [r for r in self._queue if r.family.lane == lane]
            if run not in waiting:
                return None
            snaps = [r.snapshot(touch=False) for r in self._active if r.family.lane == lane]
        rates = [s.steps_per_s for s in snaps if s.steps_per_s > 0]
        if any(s.eta_s is None for s in snaps) or (snaps and not rates):
            return None
        free = [0.0] * max(0, self.bounds[lane] - len(snaps)) + sorted(s.eta_s for s in snaps)
        rate = sum(rates) / len(rates) if rates else None
        for ahead in waiting[: waiting.index(run)]:  # each run ahead takes the earliest free slot
            budget = int(getattr(ahead.config, "steps", 0) or 0)
            if rate is None or not budget:
                return None
            free.sort()
            free[0] += max(0, budget - ahead.snapshot(touch=False).step) / rate
        return min(free) if free else None

    def cancel(self, run: Run, *, owner: str) -> None:
        """Stop a run; only its owner may do so (one session never stops another's run)."""
        if run.owner != owner:
            raise PermissionError("this run belongs to another session")
        with self._lock:
            if run in self._queue:
                self._queue.remove(run)
        run.stop()
        with self._lock:
            self._promote()

    @property
    def running(self) -> int:
        """Runs holding a training thread now (all lanes)."""
        with self._lock:
            return len(self._active)

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._queue)

    def running_in(self, lane: str) -> int:
        """Runs of ``lane`` holding a thread (pages show how busy the server is)."""
        with self._lock:
            return sum(1 for r in self._active if r.family.lane == lane)

    def shutdown(self) -> None:
        with self._lock:
            runs = list(self._runs)
            self._queue.clear()
        for run in runs:
            run.stop("shutdown")
        for run in runs:
            run.join(timeout=10)

    # -- internals -----------------------------------------------------------------------
    def _requeue(self, run: Run) -> None:
        with self._lock:
            if run not in self._runs:
                self._runs.append(run)
            run.mark_queued()
            if run not in self._queue and run.status == "queued":
                self._queue.append(run)
            self._promote()

    def _ended(self, run: Run) -> None:
        """A run's thread ends (paused, finished, stopped, idle or failed): free its slot."""
        with self._lock:
            if run in self._active:
                self._active.remove(run)
            self._promote()

    def _promote(self) -> None:
        with self._lock:
            for run in list(self._runs):
                status = run.status
                alive = status in ALIVE
                limit = self.paused_timeout if status == "paused" else self.idle_timeout
                if alive and not run.has_thread and run.idle_for() > limit:
                    run.stop("idle")  # a queued or paused run nobody has looked at for a while
                    alive = False
                elif alive and not run.has_thread and run.owner_gone():
                    run.stop("closed")  # its tab was closed: the queue moves on within seconds
                    alive = False
                if not alive:
                    self._runs.remove(run)
            self._queue = [r for r in self._queue if r.status == "queued" and r in self._runs]
            for code, run in list(self._shared.items()):  # an ended run stays watchable for a while
                if run.status not in ALIVE and run.idle_for() > self.paused_timeout:
                    del self._shared[code]
            for lane, bound in self.bounds.items():
                waiting = [r for r in self._queue if r.family.lane == lane]
                busy = sum(1 for r in self._active if r.family.lane == lane)
                for run in waiting[: max(0, bound - busy)]:
                    self._queue.remove(run)
                    self._active.append(run)
                    run.start()
