"""Style studio: how long the shipped photo -> cartoon model takes on a 512-pixel photo, and its cycle error.

Times ``style.translate(G_AB, photo)`` (uint8 in, uint8 out: tensor conversion included) on the
held-out photos scaled to 512 pixels on the long side, with the torch threads the app itself uses
(cores / concurrent runs). Also prints what a page visit computes for one new photo: both round
trips (four generator passes) and the classical filter's cartoon. The cycle error is measured
afresh, both ways, on the held-out photos (``style.evaluate_pairs``), not read from the sidecar.

    python -m bench.style [--quick] [--checkpoint checkpoints/cyclegan_photo_cartoon]
Last line: {"seconds_512": ..., "cycle_err": ...}   (target: seconds_512 <= 5)
"""
from __future__ import annotations

import os
import statistics
import sys
import time

from bench.common import emit, parser

DEFAULT = "checkpoints/cyclegan_photo_cartoon"


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--checkpoint", default=DEFAULT, help=f"a two-way translator (default: {DEFAULT})")
    args = p.parse_args()

    import torch

    from gan_core import checkpoints, style
    from gan_core.data.cartoon import cartoonize
    from gan_core.data.unpaired import held_out_pairs
    from gan_core.device import set_threads

    threads = set_threads(max(1, (os.cpu_count() or 1) // 2))  # as app.py: cores / MAX_RUNNING (2)
    try:
        ckpt = checkpoints.load(args.checkpoint)
    except checkpoints.CheckpointError as exc:
        print(f"cannot benchmark: {exc}", file=sys.stderr)
        return 2
    g_ab, g_ba = ckpt.modules["G_AB"], ckpt.modules["G_BA"]
    pairs = held_out_pairs(512)
    if not pairs:
        print("cannot benchmark: no held-out photos installed (scikit-image / mate-backgrounds)", file=sys.stderr)
        return 2
    pairs = pairs[:2] if args.quick else pairs
    repeats = 2 if args.quick else 5
    print(f"{ckpt.path.name}: step {ckpt.meta['step']}, {threads} torch thread(s), {len(pairs)} held-out photos")
    style.translate(g_ab, pairs[0][1])  # warm-up: first-call allocations
    times, visits = [], []
    for key, photo, _cartoon in pairs:
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            with torch.no_grad():
                style.translate(g_ab, photo)
            runs.append(time.perf_counter() - start)
        times.append(statistics.median(runs))
        start = time.perf_counter()
        style.round_trip(g_ab, g_ba, photo)
        style.round_trip(g_ba, g_ab, cartoonize(photo))
        visits.append(time.perf_counter() - start)
        print(f"  {key:<32} {photo.shape[1]}x{photo.shape[0]}: G {times[-1]:.3f} s; "
              f"page visit (filter + both round trips) {visits[-1]:.2f} s")
    metrics = style.evaluate_pairs(g_ab, g_ba, pairs)
    print(f"held-out: cycle error A->B->A {metrics['cycle_err_aba']}, B->A->B {metrics['cycle_err_bab']}; "
          f"G vs filter {metrics['cartoon_err']} (unchanged photo: {metrics['cartoon_err_unchanged']})")
    emit({"seconds_512": max(times), "cycle_err": metrics["cycle_err"]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
