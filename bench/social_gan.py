"""How well do the shipped Social GAN checkpoints forecast pedestrians they never saw?

For every ETH/UCY leave-one-out split s, the shipped checkpoints trained on the four other scenes
(``social_gan_<s>``: Social GAN, ``social_lstm_<s>``: the LSTM baseline) forecast 12 steps (4.8 s) from
8 observed ones on s's test scene; no training happens here. Reported per split, ADE / FDE in metres:
- linear: constant velocity (the last observed step continued; the paper's least-squares line is printed too);
- lstm: the deterministic encoder-decoder without pooling or noise;
- sgan20: Social GAN, best of 20 samples, the minimum taken per scene window (one sample number for the
  whole window, as the official evaluate_model.py, which made the paper's Table 1); the per-pedestrian
  minimum (the paper's wording) is printed beside it;
- sgan1: Social GAN, one sample;
each for all, near-linear and non-linear ground-truth paths (official threshold 0.002 m^2), next to the
paper's Table 1 (Gupta et al. 2018). Averages are the mean of the five per-scene numbers, as in the paper.

    python -m bench.social_gan [--quick] [--data DIR] [--checkpoints DIR]
--quick: zara1 only, a seeded sample of 150 test windows (under a minute).
JSON (last line): {"linear_avg", "lstm_avg", "sgan20_avg", "sgan1_avg", "splits"}
"""
from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

from bench.common import emit, parser
from gan_core import checkpoints
from gan_core.data.trajectories import SPLITS, load_split
from gan_core.trajectory_eval import (
    GROUPS,
    PAPER_TABLE1,
    baseline_scores,
    default_eth_ucy,
    forecast,
    limit_windows,
    scores,
)

QUICK_WINDOWS = 150
METHODS = ("linear", "lstm", "sgan20", "sgan1")
TARGET = 1.2  # within 20% of the paper's average best-of-20 ADE


def _load_g(folder: Path, name: str, split: str) -> torch.nn.Module | None:
    stem = folder / name
    if not checkpoints.files_of(stem)[1].is_file():
        print(f"  {name}: not found in {folder}")
        return None
    ckpt = checkpoints.load(stem)
    held_out = ckpt.train_config.get("split")
    if ckpt.train_config.get("data") is None or held_out != split:
        print(f"  warning: {name} was trained with data={ckpt.train_config.get('data')} split={held_out}, "
              f"so it may have seen the {split} scene")
    return ckpt.modules["G"]


def evaluate_split(data: Path, folder: Path, split: str, *, windows: int) -> dict:
    ts = limit_windows(load_split(data, split, "test"), windows, seed=0)
    print(f"\n{split}: {ts.num_windows:,} windows, {ts.num_peds:,} pedestrian rows, "
          f"{ts.nonlinear.mean():.0%} non-linear")
    base = baseline_scores(ts)
    out: dict = {"linear": base["cv"], "lsq": base["lsq"], "nonlinear_share": float(ts.nonlinear.mean())}
    lstm = _load_g(folder, f"social_lstm_{split}", split)
    if lstm is not None:
        out["lstm"] = scores(forecast(lstm, ts, 1), ts)["single"]
    sgan = _load_g(folder, f"social_gan_{split}", split)
    if sgan is not None:
        s = scores(forecast(sgan, ts, 20, seed=0), ts)
        out.update(sgan20=s["best"], sgan20_ped=s["best_ped"], sgan1=s["single"])
    return out


def _pair(v: tuple[float, float] | None) -> str:
    return "     -      " if v is None or math.isnan(v[0]) else f"{v[0]:.3f}/{v[1]:.3f}"


def print_split(split: str, r: dict) -> None:
    rows = (("constant velocity", "linear"), ("least-squares line", "lsq"), ("LSTM", "lstm"),
            ("Social GAN best of 20 (window)", "sgan20"),
            ("Social GAN best of 20 (pedestrian)", "sgan20_ped"),
            ("Social GAN one sample", "sgan1"))
    print(f"  {'ADE/FDE [m]':<36}{'all':>13}{'near-linear':>13}{'non-linear':>13}")
    for label, key in rows:
        if key in r:
            print(f"  {label:<36}" + "".join(f"{_pair(r[key][g]):>13}" for g in GROUPS))
    paper = [(n, PAPER_TABLE1[k][split]) for n, k in (("paper linear", "linear"), ("paper LSTM", "lstm"),
                                                      ("paper SGAN-20VP-20", "sgan20"))]
    print("  " + "   ".join(f"{n} {_pair(v)}" for n, v in paper))


def average(results: dict, key: str) -> list[float] | None:
    pairs = [results[s][key]["all"] for s in results if key in results[s]]
    if len(pairs) != len(results):
        return None
    return [round(float(np.mean([p[0] for p in pairs])), 3), round(float(np.mean([p[1] for p in pairs])), 3)]


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--data", default=None,
                   help="ETH/UCY root (default: $GAN_CLASSROOM_ETH_UCY or ../shared/data/eth_ucy)")
    p.add_argument("--checkpoints", default=str(checkpoints.SHIPPED_DIR), help="folder of the checkpoints")
    args = p.parse_args()
    data = Path(args.data) if args.data else default_eth_ucy()
    if data is None or not data.is_dir():
        print("no ETH/UCY folder: pass --data DIR (layout <DIR>/<split>/test/*.txt) "
              "or set GAN_CLASSROOM_ETH_UCY", file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    splits = ("zara1",) if args.quick else SPLITS
    started = time.perf_counter()
    results = {s: evaluate_split(data, Path(args.checkpoints), s, windows=QUICK_WINDOWS if args.quick else 0)
               for s in splits}
    for s in splits:
        print(f"\n{s}")
        print_split(s, results[s])
    avgs = {k: average(results, k) for k in METHODS}
    print(f"\naverage over {', '.join(splits)} (ADE/FDE, all paths; paper: linear 0.79/1.59, LSTM 0.70/1.52, "
          f"SGAN-20VP-20 0.61/1.21)" + (" -- quick: one split, a sample of windows" if args.quick else ""))
    for k in METHODS:
        print(f"  {k:<8} {avgs[k]}")
    for s in splits:
        r, cv = results[s], results[s]["linear"]["all"][0]
        beaten = [k for k in ("lstm", "sgan1", "sgan20") if k in r and cv < r[k]["all"][0]]
        if beaten:
            print(f"  constant velocity ({cv:.3f}) beats {', '.join(beaten)} on {s}")
        if PAPER_TABLE1["linear"][s][0] < min(PAPER_TABLE1[k][s][0] for k in ("lstm", "sgan20")):
            print(f"  (in the paper, the linear model beats LSTM and SGAN-20VP-20 on {s})")
    sg, lin = avgs["sgan20"], avgs["linear"]
    if sg is not None and lin is not None:
        paper = PAPER_TABLE1["sgan20"]["avg"][0]
        print(f"target: best-of-20 beats linear on average: {sg[0] < lin[0]} ({sg[0]:.3f} < {lin[0]:.3f}); "
              f"within 20% of the paper's {paper:.2f}: {sg[0] <= TARGET * paper} ({sg[0] / paper:.2f}x)")
    print(f"({time.perf_counter() - started:.0f} s; best of 20 = one sample number per scene window, as the "
          "official evaluate_model.py)")
    emit({"linear_avg": avgs["linear"], "lstm_avg": avgs["lstm"], "sgan20_avg": avgs["sgan20"],
          "sgan1_avg": avgs["sgan1"],
          "splits": {s: {k: [round(results[s][k]["all"][0], 3), round(results[s][k]["all"][1], 3)]
                         for k in METHODS if k in results[s]} for s in splits}})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
