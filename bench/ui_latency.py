"""Is the Train page cheap to refresh, and does training inside the app run as fast as the CLI?

Two measurements, one process, CPU:
- latency: while a real Run trains the course MLP GAN (batch 64), read ``snapshot()`` and build
  every figure of the live view the way the page does (``ui.train_figures.page_figures`` +
  ``plotly.io.to_json``, which ``st.plotly_chart`` runs), ~50 times; median and p95 in ms.
  The PNG encoding of the two grids (cached per frame by the page) is printed separately.
- app_vs_cli: steps/s of a Run driven like the page (snapshots every 50 steps, quality check
  every 200 steps with the trainer's own quality check, a poller reading the snapshot and building the
  figures once a second) divided by steps/s of the CLI's plain loop (``trainer.step`` with a grid
  every budget/8 steps), same config, alternated so drifting machine load hits both alike.

    python -m bench.ui_latency [--quick]
JSON: {"p50_ms", "p95_ms", "app_vs_cli"}
"""
from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import plotly.io as pio

from bench.common import emit, parser, percentile
from gan_core.data import load_mnist
from gan_core.device import set_threads
from gan_core.training.family import new_trainer
from gan_core.training.presets import COURSE
from gan_core.training.run import Run
from ui.train_figures import Series, page_figures
from ui.train_view import encode_grid

LABELS = {k: k for k in ("loss", "d_out", "grad_norm", "step", "d_loss", "g_loss", "d_real", "d_fake",
                         "d_grad", "g_grad", "equilibrium", "fid", "coverage", "digit")}
PAGE_SNAPSHOT_EVERY = 50  # ui.train_controls.snapshot_every(2000), the page's default budget
PAGE_QUALITY_EVERY = 200  # gan_core.training.trainer.quality_every of the page's default 2,000-step run


def page_refresh(run: Run) -> float:
    """One fragment refresh minus Streamlit's transport: snapshot + figures + their JSON (ms)."""
    t0 = time.perf_counter()
    snap = run.snapshot()
    figures = page_figures([Series(label="#1", history=snap.history, quality=snap.quality)], LABELS)
    for fig in figures:
        pio.to_json(fig, validate=False)
    return (time.perf_counter() - t0) * 1000


def image_ms(run: Run) -> float:
    """PNG encoding of the live grid and the film-strip frame as the page does it (ms); the page
    caches each frame's PNG, so this is paid once per new snapshot, not once per refresh."""
    t0 = time.perf_counter()
    snap = run.snapshot()
    for grid in (snap.latest_grid, snap.frames[0][1]):
        encode_grid(grid)
    return (time.perf_counter() - t0) * 1000


def measure_latency(data, *, reads: int, warm_steps: int) -> tuple[list[float], list[float]]:
    run = Run(config=COURSE.replace(steps=100_000, snapshot_every=PAGE_SNAPSHOT_EVERY), data=data,
              quality_every=PAGE_QUALITY_EVERY)
    run.start()
    try:
        while run.snapshot().step < warm_steps:
            if run.status not in ("starting", "running"):
                raise RuntimeError(f"run ended early: {run.snapshot().error}")
            time.sleep(0.1)
        times, images = [], []
        for _ in range(reads):
            times.append(page_refresh(run))
            images.append(image_ms(run))
            time.sleep(0.05)
        return times, images
    finally:
        run.stop()
        run.join()


class TimedRun(Run):
    """A Run that records when its training loop starts and ends (model building excluded)."""

    def _train(self, trainer) -> None:
        self.t_start = time.perf_counter()
        super()._train(trainer)
        self.t_end = time.perf_counter()
        self.steps_timed = trainer.steps_done


def app_steps_per_s(data, steps: int, max_s: float) -> float:
    run = TimedRun(config=COURSE.replace(steps=steps, snapshot_every=PAGE_SNAPSHOT_EVERY), data=data,
                   quality_every=PAGE_QUALITY_EVERY)
    run.start()
    started = time.perf_counter()
    while run.status in ("starting", "running"):  # the page: one fragment refresh a second
        page_refresh(run)
        time.sleep(1.0)
        if time.perf_counter() - started > max_s:
            run.stop()
    run.join()
    if run.status == "error":
        raise RuntimeError(f"app run failed: {run.snapshot().error}")
    return run.steps_timed / (run.t_end - run.t_start)


def cli_steps_per_s(data, steps: int, max_s: float) -> float:
    """`python -m gan_core train`'s loop: a step, and a fixed-noise grid + loss print every steps/8."""
    trainer = new_trainer(COURSE.replace(steps=steps), data=data)
    every = max(1, steps // 8)
    t0 = time.perf_counter()
    for _ in range(steps):
        stats = trainer.step()
        if trainer.steps_done % every == 0 or trainer.steps_done == 1:
            trainer.fixed_grid()
            float(stats["d_loss"]), float(stats["g_loss"])
            if time.perf_counter() - t0 > max_s:
                break
    return trainer.steps_done / (time.perf_counter() - t0)


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    threads = set_threads()
    data = load_mnist()
    # quick: at most ~8 s per measurement, so a loaded machine still finishes in about a minute
    steps, max_s, rounds, reads = (400, 8.0, 2, 50) if args.quick else (1000, 600.0, 3, 60)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"torch threads: {threads}; other processes may share the cores (load average {load})")

    lat, img = measure_latency(data, reads=reads, warm_steps=60 if args.quick else 400)
    print(f"page refresh (snapshot + figures + JSON): median {statistics.median(lat):.1f} ms, "
          f"p95 {percentile(lat, 95):.1f} ms over {len(lat)} reads of a live run")
    print(f"grid PNGs for st.image (not in p50/p95): median {statistics.median(img):.1f} ms")

    new_trainer(COURSE.replace(steps=10), data=data).quality()  # classifier + real stats load once
    app, cli = [], []
    for r in range(rounds):  # alternate: app, cli, cli, app, ... so load drift hits both
        order = (app_steps_per_s, cli_steps_per_s) if r % 2 == 0 else (cli_steps_per_s, app_steps_per_s)
        for fn in order:
            value = fn(data, steps, max_s)
            (app if fn is app_steps_per_s else cli).append(value)
            print(f"  round {r + 1}: {'app' if fn is app_steps_per_s else 'cli'} {value:.1f} steps/s")
    ratio = statistics.median(app) / statistics.median(cli)
    print(f"steps/s (up to {steps} steps or {max_s:.0f} s each): app {statistics.median(app):.1f}, cli {statistics.median(cli):.1f} "
          f"(app/cli {ratio:.2f}; target >= 0.85)")
    emit({"p50_ms": statistics.median(lat), "p95_ms": percentile(lat, 95), "app_vs_cli": ratio})


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
