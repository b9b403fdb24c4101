"""Where tensors live and how many CPU threads torch may use.

The order is CUDA, then Apple MPS, then CPU: the app never assumes a GPU.
"""
from __future__ import annotations

import os
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
