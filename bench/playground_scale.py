"""How many 2-D playground runs keep GAN Lab's pace (60 iterations/s each), in threads or in processes?

K playground runs (the default preset, real ``Run`` objects with their previews every 0.15 s, one
torch thread each, as the app runs them) train at once for a few seconds:
- threads: all K in this one process (what the app does today: the pool's light lane);
- processes: one process per run (forked: each with its own interpreter and its own lock).
For each K: the median and slowest run's iterations/s, the total, the CPU the runs used (cores), and
"page ms": meanwhile, this process redraws the playground's two figures (plotly figure + JSON, what
a watching tab's fragment does 5 times a second) in a loop, median ms per redraw. Threads share one
interpreter lock with the page; processes share only the cores.

    python -m bench.playground_scale [--quick]
JSON (last line): {"threads_at_60", "processes_at_60"}: the largest K whose slowest run kept 60/s.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import time

from bench.common import emit, parser, percentile

PACE = 60.0  # GAN Lab's iterations per second
SHOW = {"heatmap": True, "manifold": True, "real": True, "fake": True, "arrows": True}


def _runs(k: int):
    from gan_core.training.run import Run
    from gan_core.training.toy2d import Toy2DConfig

    return [Run(config=Toy2DConfig(steps=10_000_000), idle_timeout=1e9) for _ in range(k)]


class Page:
    """The playground page's redraw, on a fixed view: both figures and their JSON."""

    def __init__(self) -> None:
        import streamlit.logger

        from gan_core.training.toy2d_view import with_history
        from ui.toy2d_plots import curves, playfield  # imports streamlit: only when measuring

        streamlit.logger.set_log_level("error")  # no "missing ScriptRunContext" per figure: there is no page

        (run,) = _runs(1)
        run.prepare()
        self.view = with_history(run.snapshot().preview.data, run.snapshot().history)
        self.draw = lambda: (playfield(self.view, show=SHOW).to_json(), curves(self.view).to_json())
        self.draw()

    def loop(self, seconds: float) -> list[float]:
        times, end = [], time.perf_counter() + seconds
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            self.draw()
            times.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.02)
        return times


def _measure(runs, seconds: float, page: Page | None = None) -> tuple[list[float], list[float]]:
    """Iterations/s of each running run over ``seconds`` (after a 1.5 s warm-up), and the page's
    redraw times meanwhile (when given)."""
    time.sleep(1.5)
    before = [r.snapshot().step for r in runs]
    t0 = time.perf_counter()
    page_ms = page.loop(seconds) if page is not None else time.sleep(seconds) or []
    elapsed = time.perf_counter() - t0
    return [(r.snapshot().step - b) / elapsed for r, b in zip(runs, before)], page_ms


def in_threads(k: int, seconds: float, page: Page) -> tuple[list[float], float, list[float]]:
    runs = _runs(k)
    for r in runs:
        r.prepare()
    cpu0, t0 = sum(os.times()[:2]), time.perf_counter()
    for r in runs:
        r.start()
    try:
        rates, page_ms = _measure(runs, seconds, page)
    finally:
        for r in runs:
            r.stop()
        for r in runs:
            r.join(10)
    return rates, (sum(os.times()[:2]) - cpu0) / (time.perf_counter() - t0), page_ms


def _one_process(seconds: float, barrier, out) -> None:
    import torch

    torch.set_num_threads(1)
    (run,) = _runs(1)
    run.prepare()
    barrier.wait()
    cpu0, t0 = sum(os.times()[:2]), time.perf_counter()
    run.start()
    rate = _measure([run], seconds)[0][0]
    cpu = (sum(os.times()[:2]) - cpu0) / (time.perf_counter() - t0)
    run.stop()
    run.join(10)
    out.put((rate, cpu))


def in_processes(k: int, seconds: float, page: Page) -> tuple[list[float], float, list[float]]:
    ctx = mp.get_context("fork")  # after the thread runs have ended; starts in milliseconds, not an import
    barrier, out = ctx.Barrier(k + 1), ctx.Queue()
    procs = [ctx.Process(target=_one_process, args=(seconds, barrier, out)) for _ in range(k)]
    for p in procs:
        p.start()
    try:
        barrier.wait()
        time.sleep(1.5)
        page_ms = page.loop(seconds)
        got = [out.get(timeout=180) for _ in procs]
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
    return [r for r, _ in got], sum(c for _, c in got), page_ms


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    import torch

    torch.set_num_threads(1)
    ks = (1, 2, 4, 8) if args.quick else (1, 2, 3, 4, 6, 8, 12)
    seconds = 3.0 if args.quick else 8.0
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    page = Page()
    alone = page.loop(seconds)
    print(f"page redraw with nothing training: {statistics.median(alone):.0f} ms")
    print(f"{'mode':<10}{'runs':>5}{'median it/s':>13}{'slowest':>9}{'total':>8}{'cores used':>12}"
          f"{'page ms':>9}{'page p95':>10}")
    best = {"threads": 0, "processes": 0}
    for mode, fn in (("threads", in_threads), ("processes", in_processes)):
        for k in ks:
            rates, cores, page_ms = fn(k, seconds, page)
            print(f"{mode:<10}{k:>5}{statistics.median(rates):>13.0f}{min(rates):>9.0f}{sum(rates):>8.0f}"
                  f"{cores:>12.2f}{statistics.median(page_ms):>9.0f}{percentile(page_ms, 95):>10.0f}", flush=True)
            if min(rates) >= PACE:
                best[mode] = max(best[mode], k)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    emit({"threads_at_60": best["threads"], "processes_at_60": best["processes"]})


if __name__ == "__main__":
    main()
