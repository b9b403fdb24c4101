"""Where trainings run: the in-process pool (default) or Ray actors, chosen in `.streamlit/classroom.toml`.

    [backend]
    kind = "local"          # "local": training threads in the app process; "ray": heavy runs on Ray
    address = ""            # Ray only. "": start a Ray instance on this machine; "auto": join the
                            # cluster this machine is part of; "ray://head:10001": Ray Client
    gpus_per_run = 0        # Ray only: share of a GPU each heavy run reserves (0.25: 4 runs per GPU)
    threads_per_run = 1     # Ray only: torch threads of each heavy run's actor

Missing keys keep these defaults; unknown keys and bad values are refused with a message naming the
file (the same rules as the [limits] table, read by gan_core/classroom.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from gan_core.classroom import Limits, load_section
from gan_core.training.pool import JobPool

KINDS = ("local", "ray")


@dataclass(frozen=True)
class Backend:
    kind: str = "local"
    address: str = ""
    gpus_per_run: float = 0.0
    threads_per_run: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} (got {self.kind!r})")
        if not isinstance(self.address, str) or len(self.address) > 300:
            raise ValueError(f"address must be a short string (got {self.address!r})")
        gpus = self.gpus_per_run
        if isinstance(gpus, bool) or not isinstance(gpus, (int, float)) or not math.isfinite(gpus) or not 0 <= gpus <= 8:
            raise ValueError(f"gpus_per_run must be a number from 0 to 8 (got {gpus!r})")
        threads = self.threads_per_run
        if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= 256:
            raise ValueError(f"threads_per_run must be a whole number from 1 to 256 (got {threads!r})")


def load_backend(path: str | Path | None = None) -> Backend:
    """The [backend] table of ``path`` (see ``gan_core.classroom.load_section``)."""
    return load_section(Backend, "backend", path, label="[backend] ")


def make_pool(limits: Limits, backend: Backend, **ray_init) -> JobPool:
    """The server's pool for ``limits`` on ``backend`` (``ray_init``: extra ``ray.init`` arguments)."""
    bounds = {"max_running": limits.heavy_runs, "max_light": limits.light_runs, "idle_timeout": limits.idle_seconds,
              "paused_timeout": limits.paused_minutes * 60, "queue_length": limits.queue_length}
    if backend.kind == "local":
        return JobPool(heavy_nice=limits.training_nice, **bounds)
    try:
        from gan_core.training.ray_pool import RayPool

        return RayPool(address=backend.address, gpus_per_run=backend.gpus_per_run,
                       threads_per_run=backend.threads_per_run, init_kwargs=ray_init, **bounds)
    except ImportError as exc:
        raise RuntimeError("[backend] kind = \"ray\" needs Ray: .venv/bin/pip install 'ray>=2.40'"
                           f" ({exc})") from None
