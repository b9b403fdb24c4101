"""Where tensors live and how many CPU threads torch may use.

The order is CUDA, then Apple MPS, then CPU: the app never assumes a GPU.
"""
from __future__ import annotations

import os
import sys
import threading

import torch

_threads_lock = threading.Lock()
_threads_set: int | None = None


def pick_device(prefer: str | None = None) -> torch.device:
    """Return the best available device (cuda > mps > cpu), or ``prefer`` when it is usable."""
    if prefer:
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def device_label(device: torch.device) -> str:
    """Short upper-case name for display: CPU, CUDA or MPS."""
    return device.type.upper()


def set_threads(n: int | None = None) -> int:
    """Set torch's intra-op thread count once per process and return it.

    Later calls return the value chosen first: changing the count while a training thread
    runs makes timings jump, so one place decides: ``$GAN_CLASSROOM_THREADS`` if set, else ``n``,
    else all cores.
    """
    global _threads_set
    with _threads_lock:
        if _threads_set is None:
            env = os.environ.get("GAN_CLASSROOM_THREADS")
            wanted = (int(env) if env else None) or n or os.cpu_count() or 1
            torch.set_num_threads(max(1, int(wanted)))
            _threads_set = torch.get_num_threads()
        return _threads_set


def lower_thread_priority(steps: int) -> bool:
    """Make the calling thread ``steps`` nice levels less urgent than the rest of the process (Linux).

    A classroom server trains in threads of the same process that answers the students' pages; on
    two cores the trainings would otherwise take the CPU the page scripts wait for. Linux keeps a
    nice value per thread (``setpriority`` on the thread id), so only this training thread yields;
    other systems apply it to the whole process, so there it does nothing. Returns True when applied.
    """
    if steps <= 0 or not sys.platform.startswith("linux"):
        return False
    tid = threading.get_native_id()
    try:
        now = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, now + int(steps)))
    except OSError:
        return False
    return True
