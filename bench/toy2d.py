"""How fast does the 2-D playground train, and how often can it redraw while it trains?

- iters_per_s: full iterations (1 D update + 1 G update, default sizes: G and D 2 x 64,
  2-D Gaussian noise, ring of 8, non-saturating loss, Adam, batch 256) per second, with the
  better of 1 and 2 torch threads (both printed).
- fps: 1 / median time to produce one frame *while a toy2d Run trains in its background thread*:
  compute a snapshot (D heatmap 60 x 60, manifold, arrows, divergence, coverage) under the run's
  lock, build both plotly figures and serialise them to JSON (what st.plotly_chart ships to the
  browser). Measured server-side; browser rendering time is not included.
Also printed: the live run's own iteration rate while frames are being drawn.

    python -m bench.toy2d [--quick]
JSON (last line): {"iters_per_s", "fps"}
"""
from __future__ import annotations

import statistics
import time

import torch

from bench.common import emit, parser
from gan_core.training.run import Run
from gan_core.training.toy2d import Toy2DConfig, Toy2DTrainer
from gan_core.training.toy2d_view import with_history

SHOW = {"heatmap": True, "manifold": True, "real": True, "fake": True, "arrows": True}


def train_rate(iters: int, *, threads: int, budget_s: float) -> float:
    """Iterations/s over `iters` iterations, or fewer if `budget_s` runs out first (chunks of 50)."""
    torch.set_num_threads(threads)
    tr = Toy2DTrainer(config=Toy2DConfig())
    tr.train(30)  # warm-up: allocator, optimiser state
    done, t0 = 0, time.perf_counter()
    while done < iters and time.perf_counter() - t0 < budget_s:
        tr.train(50)
        done += 50
    return done / (time.perf_counter() - t0)


def frame_times(frames: int) -> tuple[list[float], float]:
    from ui.toy2d_plots import curves, playfield  # imports streamlit; kept out of module import

    run = Run(config=Toy2DConfig())  # the toy2d family on the generic Run, as the playground page uses it
    run.start()
    time.sleep(0.5)
    times = []
    try:
        for _ in range(frames):
            t0 = time.perf_counter()
            preview = run.fresh_preview()
            view = with_history(preview.data, run.snapshot().history)
            playfield(view, show=SHOW).to_json()
            curves(view).to_json()
            times.append(time.perf_counter() - t0)
            time.sleep(0.2)  # the page's fragment period
        live_rate = run.snapshot().steps_per_s
    finally:
        run.stop()
        run.join()
    return times, live_rate


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    iters = 600 if args.quick else 3000
    # two intra-op threads are measured too: on a busy 2-core machine MKL's tiny GEMMs spin and stall
    rates = {n: train_rate(iters, threads=n, budget_s=5.0 if args.quick else 20.0) for n in (1, 2)}
    best = max(rates, key=rates.get)
    torch.set_num_threads(best)
    for n, r in rates.items():
        print(f"torch threads={n}: {r:.0f} iterations/s (batch 256)")
    times, live = frame_times(15 if args.quick else 50)
    med = statistics.median(times)
    print(f"frame (snapshot + 2 figures + JSON) while training: median {med * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms; live run meanwhile: {live:.0f} iterations/s")
    emit({"iters_per_s": rates[best], "fps": 1.0 / med})


if __name__ == "__main__":
    main()
