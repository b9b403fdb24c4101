"""The pool's second backend: heavy runs train in Ray actors (a department's GPU nodes), pages unchanged.

    RayPool (app process)                           Ray cluster (any node with room)
    JobPool's queue, lanes, owners, share codes     RunHost actor: one gan_core Run, trained in
    RemoteRun handle per heavy run  --- Ray --->    the actor's own thread; snapshots, pause, stop,
      snapshot() from a cached copy, refreshed      step_once, save (files come back as bytes)
      by one watcher thread per training run
    light runs (2-D playground): local Run threads  (60 iterations/s needs no network hop)

``RayPool`` *is* a ``JobPool``: the same queue, limits (``heavy_runs`` now bounds actors training at
once), owners and share codes; only its run factory differs. A ``RemoteRun`` answers every call a
page or the pool makes on a ``Run`` (snapshot, status, pause, resume, stop, step_once, save, ...).
Thirty watchers cost one remote call per ``poll_s``: the watcher thread fetches what changed
(new film-strip frames and new history rows only) and every reader gets the same cached Snapshot.
The idle and closed-tab rules work as locally: reads touch the actor's Run through the watcher, and
the watcher stops the actor when the owner's tab has closed. A run's actor starts when the run first
trains or is built (a queued run holds no process on the cluster). Ray is imported only when a RayPool is
made (``pip install ray``; gan_core must be importable on the workers: the project installed there).
"""
from __future__ import annotations

import os
import threading
from typing import Any

from gan_core.training.pool import JobPool
from gan_core.training.ray_host import RunHost
from gan_core.training.remote_run import RemoteRun
from gan_core.training.run import Run


class RayPool(JobPool):
    """A JobPool whose heavy runs are RemoteRuns on Ray; light runs stay local threads.

    ``address``: "" starts a local Ray instance; "auto" joins the cluster this machine belongs to;
    "ray://head:10001" connects through Ray Client. ``gpus_per_run``: a share of a GPU each heavy
    run's actor reserves for its lifetime (0: anywhere, CPU). ``init_kwargs`` go to ``ray.init``."""

    def __init__(self, *, address: str = "", gpus_per_run: float = 0.0, threads_per_run: int = 1,
                 init_kwargs: dict | None = None, **pool_kwargs) -> None:
        import ray

        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # a classroom server reports nothing
        self._keeper: threading.Thread | None = None
        self._release = threading.Event()
        if not ray.is_initialized():
            local = {} if address else {"_node_ip_address": "127.0.0.1"}  # a local instance stays on loopback
            self._start_ray({"address": address or None, "include_dashboard": False, "log_to_driver": False,
                             **local, **(init_kwargs or {})})
        host_cls = ray.remote(max_concurrency=8)(RunHost)
        options = {"num_gpus": gpus_per_run} if gpus_per_run else {}

        def factory(*, config: Any, **kwargs) -> Run | RemoteRun:
            from gan_core.families import get_family

            if get_family(config.family_name).lane == "light":
                return Run(config=config, **kwargs)
            return RemoteRun(host_cls=host_cls, actor_options=options, threads=threads_per_run,
                             config=config, **kwargs)

        super().__init__(run_factory=factory, **pool_kwargs)

    def _start_ray(self, kwargs: dict) -> None:
        """``ray.init`` in a thread that lives as long as the pool: Ray ties the processes of a local
        instance to the thread that started them (they die with it), and Streamlit ends its script
        thread after every run."""
        import ray

        ready, failed = threading.Event(), []

        def keep() -> None:
            try:
                ray.init(**kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                failed.append(exc)
                return
            finally:
                ready.set()
            self._release.wait()
            ray.shutdown()

        self._keeper = threading.Thread(target=keep, name="ray-keeper", daemon=True)
        self._keeper.start()
        ready.wait()
        if failed:
            raise failed[0]

    def shutdown(self) -> None:
        super().shutdown()
        if self._keeper is not None:
            self._release.set()
            self._keeper.join(60)
