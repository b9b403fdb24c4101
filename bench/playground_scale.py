"""How many 2-D playground runs keep GAN Lab's pace (60 iterations/s each), in threads or in processes?

K playground runs (the default preset, real ``Run`` objects with their previews every 0.15 s, one
torch thread each, as the app runs them) train at once for a few seconds:
- threads: all K in this one process (what the app does today: the pool's light lane);
- processes: one process per run (forked: each with its own interpreter and its own lock).
For each K: the median and slowest run's iterations/s, the total, and the CPU the runs used (cores).
Threads share one interpreter lock: past a few runs they stop gaining, whatever the cores; processes
scale until the cores are full. Page redraws (the plots a watching tab asks for 5 times a second) are
not included: in the app they take the same interpreter lock as the threads.

    python -m bench.playground_scale [--quick]
JSON (last line): {"threads_at_60", "processes_at_60"}: the largest K whose slowest run kept 60/s.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import time

from bench.common import emit, parser

PACE = 60.0  # GAN Lab's iterations per second


def _runs(k: int):
    from gan_core.training.run import Run
    from gan_core.training.toy2d import Toy2DConfig

    return [Run(config=Toy2DConfig(steps=10_000_000), idle_timeout=1e9) for _ in range(k)]


def _measure(runs, seconds: float) -> list[float]:
    """Iterations/s of each running run over ``seconds`` (after a 1.5 s warm-up)."""
    time.sleep(1.5)
    before = [r.snapshot().step for r in runs]
    time.sleep(seconds)
    return [(r.snapshot().step - b) / seconds for r, b in zip(runs, before)]


def in_threads(k: int, seconds: float) -> tuple[list[float], float]:
    runs = _runs(k)
    for r in runs:
        r.prepare()
    cpu0, t0 = sum(os.times()[:2]), time.perf_counter()
    for r in runs:
        r.start()
    try:
        rates = _measure(runs, seconds)
    finally:
        for r in runs:
            r.stop()
        for r in runs:
            r.join(10)
    return rates, (sum(os.times()[:2]) - cpu0) / (time.perf_counter() - t0)


def _one_process(seconds: float, barrier, out) -> None:
    import torch

    torch.set_num_threads(1)
    (run,) = _runs(1)
    run.prepare()
    barrier.wait()
    cpu0, t0 = sum(os.times()[:2]), time.perf_counter()
    run.start()
    rate = _measure([run], seconds)[0]
    cpu = (sum(os.times()[:2]) - cpu0) / (time.perf_counter() - t0)
    run.stop()
    run.join(10)
    out.put((rate, cpu))


def in_processes(k: int, seconds: float) -> tuple[list[float], float]:
    ctx = mp.get_context("fork")  # after the thread runs have ended; starts in milliseconds, not an import
    barrier, out = ctx.Barrier(k), ctx.Queue()
    procs = [ctx.Process(target=_one_process, args=(seconds, barrier, out)) for _ in range(k)]
    for p in procs:
        p.start()
    try:
        got = [out.get(timeout=180) for _ in procs]
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
    return [r for r, _ in got], sum(c for _, c in got)


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    import torch

    torch.set_num_threads(1)
    ks = (1, 2, 4, 8) if args.quick else (1, 2, 3, 4, 6, 8, 12)
    seconds = 3.0 if args.quick else 8.0
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'mode':<10}{'runs':>5}{'median it/s':>13}{'slowest':>9}{'total':>8}{'cores used':>12}{'it/CPU-s':>10}")
    best = {"threads": 0, "processes": 0}
    for mode, fn in (("threads", in_threads), ("processes", in_processes)):
        for k in ks:
            rates, cores = fn(k, seconds)
            print(f"{mode:<10}{k:>5}{statistics.median(rates):>13.0f}{min(rates):>9.0f}{sum(rates):>8.0f}"
                  f"{cores:>12.2f}{sum(rates) / max(cores, 1e-9):>10.0f}", flush=True)
            if min(rates) >= PACE:
                best[mode] = max(best[mode], k)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    emit({"threads_at_60": best["threads"], "processes_at_60": best["processes"]})


if __name__ == "__main__":
    main()
