"""A Run whose trainer lives in a Ray actor (gan_core/training/ray_host.py): the handle the pages and
the JobPool hold when ``[backend] kind = "ray"`` (gan_core/training/ray_pool.py explains the design).

It answers every call a page or the pool makes on a ``Run``. One watcher thread per training run
fetches what changed (new film-strip frames and history rows only) every ``poll_s``; every reader gets
the same cached Snapshot. Reads touch the actor's Run through the watcher (its idle rule), and the
watcher stops the actor once the owner's tab has closed. Ray is imported only when a handle acts.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gan_core.training.run import ALIVE, Snapshot

ABANDONED = ("idle", "closed", "shutdown")  # nobody will save these runs: their actors are released


class RemoteRun:
    """A Run whose trainer lives in a Ray actor; same public surface as ``gan_core.training.run.Run``."""

    poll_s = 0.5

    def __init__(self, *, host_cls: Any, actor_options: dict, threads: int, config: Any, data: Any = None,
                 idle_timeout: float = 60.0, on_end: Callable | None = None, requeue: Callable | None = None,
                 owner: str = "", quality_every: int | None = None, owner_alive: Callable[[], bool] | None = None,
                 closed_grace: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        from gan_core.families import get_family

        self.config, self.family, self.owner = config, get_family(config.family_name), owner
        self.idle_timeout, self.closed_grace = idle_timeout, closed_grace
        self._on_end, self._requeue, self._owner_alive, self._clock = on_end, requeue, owner_alive, clock
        self._new_actor = lambda: host_cls.options(**actor_options).remote(
            config=config, data=data, idle_timeout=idle_timeout, quality_every=quality_every, threads=threads)
        self._actor = None  # started on first use: a queued run holds no process on the cluster
        self._actor_lock = threading.Lock()
        self._lock = threading.Lock()
        self._fetch_lock = threading.Lock()  # one fetch at a time: each builds on the one before
        self._watcher: threading.Thread | None = None
        self._status, self._reason = "new", ""
        self._remote = Snapshot(status="new", step=0, budget=int(getattr(config, "steps", 0) or 0),
                                history={k: [] for k in ("step", *self.family.stat_names)}, frames=[])
        self._key: tuple = ()
        self._built = False
        self._touched = False
        self._version = 0
        self._shown: tuple[tuple, Snapshot] | None = None
        self._last_read = clock()
        self._closed_since: float | None = None
        self._checked_at = -1e9
        self.exception: BaseException | None = None

    # -- what the pool calls -------------------------------------------------------------------
    @property
    def status(self) -> str:
        with self._lock:
            return self._status

    @property
    def has_thread(self) -> bool:
        return self._watcher is not None

    @property
    def version(self) -> int:
        return self._version

    @property
    def trainer(self) -> object | None:
        """Truthy once the models are built (pages only ask whether there is something to save)."""
        return self if self._built else None

    def mark_queued(self) -> None:
        with self._lock:
            if self._watcher is None and self._status in ("new", "paused"):
                self._status, self._last_read = "queued", self._clock()

    def start(self) -> None:
        with self._lock:
            if self._watcher is not None or self._status not in ("new", "queued", "paused"):
                return
            self._status = "starting" if not self._built else "running"
            self._last_read = self._clock()
            ref = self._host().train.remote()
            self._watcher = threading.Thread(target=self._watch, args=(ref,), name="gan-run-remote", daemon=True)
            self._watcher.start()

    def stop(self, reason: str = "stopped") -> None:
        import ray

        with self._lock:
            self._reason = self._reason or reason
            idle_here = self._watcher is None
            if idle_here and self._status in ALIVE + ("new",):
                self._status = "stopped"
        if self._actor is None:
            return
        with contextlib.suppress(Exception):  # a lost actor has stopped anyway
            ray.get(self._actor.stop.remote(reason), timeout=10)
        if idle_here and reason in ABANDONED:
            ray.kill(self._actor)

    def join(self, timeout: float | None = None) -> None:
        watcher = self._watcher
        if watcher is not None:
            watcher.join(timeout)

    def idle_for(self) -> float:
        with self._lock:
            return self._clock() - self._last_read

    def owner_gone(self) -> bool:
        """True once the owner's tab has been closed for longer than ``closed_grace`` seconds."""
        if self._owner_alive is None:
            return False
        now = self._clock()
        if now - self._checked_at >= 0.5:
            self._checked_at = now
            self._closed_since = None if self._owner_alive() else (self._closed_since or now)
        return self._closed_since is not None and now - self._closed_since > self.closed_grace

    # -- what pages call -----------------------------------------------------------------------
    def snapshot(self, *, touch: bool = True) -> Snapshot:
        """The last fetched snapshot with this handle's own state (queued, stopped before training)."""
        with self._lock:
            if touch:
                self._last_read, self._touched = self._clock(), True
            key = (self._version, self._status, self._reason)
            if self._shown is None or self._shown[0] != key:
                snap = self._remote
                if snap.status != self._status:
                    alive = self._status in ALIVE
                    snap = dataclasses.replace(snap, status=self._status, stop_reason=self._reason or snap.stop_reason,
                                               eta_s=snap.eta_s if alive else None)
                self._shown = (key, snap)
            return self._shown[1]

    def pause(self, *, wait: float = 10.0) -> None:
        import ray

        with self._lock:
            if self._status not in ("queued", "starting", "running"):
                return
            watcher = self._watcher
            if watcher is None:
                self._status = "paused"
                return
        ray.get(self._actor.pause.remote(), timeout=wait + 30)
        watcher.join(wait)

    def resume(self) -> None:
        with self._lock:
            if self._status != "paused" or self._watcher is not None:
                return
        if self._requeue is not None:
            self._requeue(self)
        else:
            self.start()

    def prepare(self) -> None:
        self._call("prepare")

    def step_once(self, mode: str = "both") -> None:
        if mode not in self.family.step_modes:
            raise ValueError(f"mode must be one of {', '.join(self.family.step_modes)} (got {mode!r})")
        if self.status not in ALIVE:
            return
        self.pause()
        self._call("step_once", mode)

    def load_weights(self, states: dict, *, steps: int) -> None:
        self.pause()
        self._call("load_weights", states, int(steps))

    def fresh_preview(self):
        import ray

        if self._actor is None:
            return None
        preview = ray.get(self._actor.fresh_preview.remote())
        self._fetch()
        return preview

    def save(self, out: str | Path, **kwargs) -> Path:
        """Checkpoint every module now: the actor sends the files, they are written here (the app's disk)."""
        import ray

        from gan_core.checkpoints import files_of, stem_of

        files = ray.get(self._actor.save_files.remote(Path(out).name, kwargs)) if self._actor is not None else None
        if files is None:
            raise RuntimeError("this run has not built its models yet")
        for path, suffix in zip(files_of(out), (".safetensors", ".json")):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(files[suffix])
            os.replace(tmp, path)
        return stem_of(out)

    # -- internals -----------------------------------------------------------------------------
    def _host(self):
        """The run's actor, started on first use."""
        with self._actor_lock:
            if self._actor is None:
                self._actor = self._new_actor()
            return self._actor

    def _call(self, method: str, *args) -> None:
        import ray

        ray.get(getattr(self._host(), method).remote(*args))
        self._fetch()

    def _fetch(self) -> None:
        """Bring the actor's snapshot here (only what changed); the actor's status becomes ours."""
        with self._fetch_lock:
            self._fetch_locked()

    def _fetch_locked(self) -> None:
        import ray

        with self._lock:
            touch, self._touched = self._touched, False
            old = self._remote
            steps = old.history.get("step", [])
            args = (self._key, tuple(s for s, _ in old.frames), len(steps), steps[-1] if steps else None, touch)
        got = ray.get(self._actor.fetch.remote(*args))
        if got is None:
            return
        key, snap, frame_steps, full, built, exc = got
        images = dict(old.frames) | dict(snap.frames)
        history = snap.history if full else {k: old.history.get(k, []) + v for k, v in snap.history.items()}
        snap = dataclasses.replace(snap, frames=[(s, images[s]) for s in frame_steps], history=history)
        with self._lock:
            self._remote, self._key, self._built, self.exception = snap, key, built, exc
            if not (self._watcher is None and self._status == "queued"):
                self._status = snap.status
            self._reason = snap.stop_reason or self._reason
            self._version += 1

    def _watch(self, ref) -> None:
        import ray

        try:
            while True:
                ready, _ = ray.wait([ref], timeout=self.poll_s)
                self._fetch()
                if ready:
                    ray.get(ref)
                    break
                if self.owner_gone():
                    self._actor.stop.remote("closed")
        except Exception as exc:  # noqa: BLE001 - a lost node or actor: the page shows the error
            with self._lock:
                self.exception = exc
                self._status, self._reason = "error", "error"
                self._remote = dataclasses.replace(self._remote, status="error", error=f"{type(exc).__name__}: {exc}")
                self._version += 1
        finally:
            with self._lock:
                self._watcher = None
                abandoned = self._reason in ABANDONED
            if abandoned:
                ray.kill(self._actor)
            if self._on_end is not None:
                self._on_end(self)
