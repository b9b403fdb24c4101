"""A real app server for load benchmarks, and what it costs: ``streamlit run app.py`` on a free loopback
port in its own process group (stopped whole on exit), its memory and CPU read from /proc."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _family(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc: no psutil needed)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for kids in Path(f"/proc/{p}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(k) for k in kids.read_text().split()]
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, MB."""
    total = 0
    for p in _family(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            line = next(x for x in Path(f"/proc/{p}/status").read_text().splitlines() if x.startswith("VmRSS:"))
            total += int(line.split()[1]) * 1024
    return total / 2**20


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def server(runs_dir: Path, log: Path, *, options: tuple[str, ...] = ()) -> Iterator[tuple[str, int]]:
    """``streamlit run app.py`` on a free loopback port; stopped (its whole process group) on exit."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GAN_CLASSROOM_RUNS": str(runs_dir)}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *options],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start:\n" + log.read_text()[-3000:])
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


class Memory(threading.Thread):
    """Samples the server's RSS (with any children) twice a second: (seconds, MB) pairs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [], threading.Event()
        self.t0 = time.monotonic()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.samples.append((time.monotonic() - self.t0, rss_mb(self.pid)))
