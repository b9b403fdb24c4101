"""Small shared pieces of the benchmarks: argument parsing, timing, the closing JSON line."""
from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a short run (< 60 s) for smoke checks")
    return p


def median_ms(fn: Callable[[], object], *, repeats: int) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[pos]


def emit(result: dict) -> None:
    """The last line of every benchmark: one JSON object with exactly the issue's keys."""
    print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in result.items()}), flush=True)
