"""A process-wide pool that bounds how many runs train at once.

Several students share one server: each submits runs under an owner id (their browser
session); at most ``max_running`` train at a time, the rest wait in a queue in order.
A run that ends frees its slot for the next queued one; queued runs nobody polls expire.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from gan_core.training.config import TrainConfig
from gan_core.training.run import ALIVE, Run


class JobPool:
    def __init__(self, *, max_running: int = 2, idle_timeout: float = 60.0,
                 run_factory: Callable[..., Run] = Run) -> None:
        if max_running < 1:
            raise ValueError("max_running must be at least 1")
        self.max_running = max_running
        self.idle_timeout = idle_timeout
        self._run_factory = run_factory
        self._lock = threading.RLock()
        self._active: list[Run] = []  # started runs holding a slot (running or paused)
        self._queue: list[Run] = []
        self._owners: dict[int, str] = {}  # id(run) -> owner

    def submit(self, config: TrainConfig, *, owner: str, paused: bool = False, **run_kwargs) -> Run:
        """Create a run for ``owner``; it starts now if a slot is free, else it queues."""
        run = self._run_factory(config=config, idle_timeout=self.idle_timeout,
                                on_end=self._ended, start_paused=paused, **run_kwargs)
        with self._lock:
            self._owners[id(run)] = owner
            self._queue.append(run)
            run.mark_queued()
            self._promote()
        return run

    def queue_position(self, run: Run) -> int:
        """0 when the run holds a slot (or has ended), else its 1-based place in the queue."""
        with self._lock:
            self._promote()
            return self._queue.index(run) + 1 if run in self._queue else 0

    def runs_of(self, owner: str) -> list[Run]:
        with self._lock:
            return [r for r in (*self._active, *self._queue) if self._owners.get(id(r)) == owner]

    def owner_of(self, run: Run) -> str | None:
        with self._lock:
            return self._owners.get(id(run))

    def cancel(self, run: Run, *, owner: str) -> None:
        """Stop a run; only its owner may do so (one session never stops another's run)."""
        with self._lock:
            if self._owners.get(id(run)) != owner:
                raise PermissionError("this run belongs to another session")
            if run in self._queue:
                self._queue.remove(run)
        run.stop()
        with self._lock:
            self._promote()

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._active)

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._queue)

    def shutdown(self) -> None:
        with self._lock:
            runs = [*self._active, *self._queue]
            self._queue.clear()
        for run in runs:
            run.stop("shutdown")
        for run in runs:
            run.join(timeout=10)

    # -- internals -----------------------------------------------------------------------
    def _ended(self, run: Run) -> None:
        with self._lock:
            if run in self._active:
                self._active.remove(run)
            self._promote()

    def _promote(self) -> None:
        with self._lock:
            self._active = [r for r in self._active if r.status in ALIVE]
            for run in list(self._queue):  # a queued run nobody reads any more expires
                if run.idle_for() > self.idle_timeout or run.status not in ALIVE:
                    self._queue.remove(run)
                    if run.status in ALIVE:
                        run.stop("idle")
            while self._queue and len(self._active) < self.max_running:
                run = self._queue.pop(0)
                self._active.append(run)
                run.start()
