"""What a trajectory forecaster trains on and how it is judged (the Social GAN family, its page and
``bench/social_gan.py`` all use these functions, so the three report the same numbers).

Data: ``data=None`` means the embedded synthetic crowds (``gan_core.data.crowds``: seeds 0-11 of each
scene for training, seeds 100-103 held out); otherwise ``data`` is an ETH/UCY root with the
leave-one-out layout ``<data>/<split>/{train,val,test}/*.txt`` and a model of split s trains on
``<data>/s/train`` (the four other scenes) and is judged on ``<data>/s/test`` (scene s itself).

Scores (metres), for the k samples of a model on a set of windows (see ``trajectory_metrics``):
``best`` = best-of-k, the minimum taken **per scene window** as the official ``evaluate_model.py``
does (the one sample index whose summed ADE over the window's pedestrians is smallest serves the whole
window; the paper's Table 1 was made this way); ``best_ped`` = the same with the minimum per pedestrian
(the paper's wording, a little kinder); ``single`` = one sample. Each is given for all, near-linear and
non-linear ground-truth paths.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from gan_core.data.crowds import crowd_dataset
from gan_core.data.trajectories import SPLITS, TrajectorySet, load_split
from gan_core.trajectory_metrics import (
    best_of_k,
    constant_velocity,
    displacement_errors,
    linear_fit,
    summarize,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
ETH_UCY_ENV = "GAN_CLASSROOM_ETH_UCY"  # where a user's ETH/UCY copy is (overrides a checkpoint's path)
SYNTH_TRAIN_SEEDS = tuple(range(12))
SYNTH_TEST_SEEDS = (100, 101, 102, 103)
SYNTHETIC = "synthetic"
GROUPS = ("all", "linear", "nonlinear")  # summarize()'s groups: all, near-linear, non-linear paths
# Gupta et al. 2018, Table 1, 12 predicted steps (4.8 s), ADE / FDE in metres, per test scene and average
PAPER_TABLE1: dict[str, dict[str, tuple[float, float]]] = {
    "linear": {"eth": (1.33, 2.94), "hotel": (0.39, 0.72), "univ": (0.82, 1.59), "zara1": (0.62, 1.21),
               "zara2": (0.77, 1.48), "avg": (0.79, 1.59)},
    "lstm": {"eth": (1.09, 2.41), "hotel": (0.86, 1.91), "univ": (0.61, 1.31), "zara1": (0.41, 0.88),
             "zara2": (0.52, 1.11), "avg": (0.70, 1.52)},
    "sgan20": {"eth": (0.87, 1.62), "hotel": (0.67, 1.37), "univ": (0.76, 1.52), "zara1": (0.35, 0.68),
               "zara2": (0.42, 0.84), "avg": (0.61, 1.21)},  # SGAN-20VP-20: best of 20
}
EVAL_CHUNK = 96  # windows per forward pass (univ's 57-pedestrian windows: 3,249 pooling pairs each)


def resolve_data(path: str | None) -> str | None:
    """An ETH/UCY folder as given; a relative one that is not below the working directory is taken from
    the repository root (the shipped recipes ran there with ``--data ../shared/data/eth_ucy``)."""
    if path is None:
        return None
    p = Path(path).expanduser()
    if not p.is_absolute() and not p.is_dir() and (REPO_ROOT / p).is_dir():
        return str(REPO_ROOT / p)
    return str(p)


def data_root(recorded: str | None) -> str | None:
    """The ETH/UCY folder to judge a checkpoint on: ``$GAN_CLASSROOM_ETH_UCY`` when set (a user's own
    copy), else the folder its run recorded; None stays None (synthetic crowds)."""
    if recorded is None:
        return None
    return os.environ.get(ETH_UCY_ENV) or resolve_data(recorded)


def default_eth_ucy() -> Path | None:
    """``$GAN_CLASSROOM_ETH_UCY``, else ``../shared/data/eth_ucy`` beside the repository, if it exists."""
    env = os.environ.get(ETH_UCY_ENV)
    path = Path(env).expanduser() if env else REPO_ROOT.parent / "shared" / "data" / "eth_ucy"
    return path if path.is_dir() else None


@functools.lru_cache(maxsize=4)
def synthetic_set(part: str) -> TrajectorySet:
    """Windows of the three synthetic scenes: seeds 0-11 ("train") or the held-out 100-103 ("test")."""
    if part not in ("train", "test"):
        raise KeyError(f"synthetic crowds have parts 'train' and 'test', not {part!r}")
    return crowd_dataset(seeds=SYNTH_TRAIN_SEEDS if part == "train" else SYNTH_TEST_SEEDS)


def trajectory_set(data: str | None, split: str, part: str) -> TrajectorySet:
    """The windows a run with ``data`` / ``split`` trains on (part "train") or is judged on ("test")."""
    if data is None:
        return synthetic_set(part)
    if split not in SPLITS:
        raise KeyError(f"unknown split {split!r}; valid splits: {', '.join(SPLITS)}")
    return load_split(resolve_data(data), split, part)


def describe(data: str | None, split: str) -> str:
    """'synthetic' or the split's name: what a checkpoint was trained for (page and bench labels)."""
    return SYNTHETIC if data is None else split


# ---------------------------------------------------------------- forecasting
@torch.no_grad()
def forecast(G: nn.Module, ts: TrajectorySet, k: int, *, seed: int = 0,
             chunk: int = EVAL_CHUNK) -> torch.Tensor:
    """k sampled futures of every pedestrian of ``ts``: (k, N, T_pred, 2), metres. Seeded; windows go
    through G in chunks (memory), each chunk with its own generator state drawn from one seeded stream."""
    gen = torch.Generator().manual_seed(seed)
    G.eval()
    out = []
    for lo in range(0, ts.num_windows, chunk):
        b = ts.batch(np.arange(lo, min(lo + chunk, ts.num_windows)))
        out.append(G.sample(b.obs, b.seq_start_end, k, generator=gen))
    return torch.cat(out, dim=1)


def scores(samples: torch.Tensor, ts: TrajectorySet) -> dict[str, dict[str, tuple[float, float]]]:
    """{"best": ..., "best_ped": ..., "single": ...} of (ADE, FDE) by group for samples (k, N, T, 2)."""
    truth = torch.from_numpy(ts.pred.copy())
    sse = torch.from_numpy(ts.seq_start_end.copy())
    nl = torch.from_numpy(ts.nonlinear.copy())
    return {
        "best": summarize(*best_of_k(samples, truth, seq_start_end=sse), nl),
        "best_ped": summarize(*best_of_k(samples, truth), nl),
        "single": summarize(*displacement_errors(samples[0], truth), nl),
    }


def baseline_scores(ts: TrajectorySet) -> dict[str, dict[str, tuple[float, float]]]:
    """Constant velocity (the last observed step, continued) and the least-squares line of the paper."""
    obs, truth = torch.from_numpy(ts.obs.copy()), torch.from_numpy(ts.pred.copy())
    nl = torch.from_numpy(ts.nonlinear.copy())
    t_pred = truth.shape[1]
    return {"cv": summarize(*displacement_errors(constant_velocity(obs, t_pred), truth), nl),
            "lsq": summarize(*displacement_errors(linear_fit(obs, t_pred), truth), nl)}


def limit_windows(ts: TrajectorySet, n: int, *, seed: int = 0) -> TrajectorySet:
    """At most ``n`` windows (a seeded random subset, in time order); n <= 0 or >= W keeps all."""
    if n <= 0 or n >= ts.num_windows:
        return ts
    pick = np.sort(np.random.default_rng(seed).choice(ts.num_windows, size=n, replace=False))
    return ts.subset(pick)


def flat(prefix: str, summary: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """{"<prefix>_ade": .., "<prefix>_fde": .., "<prefix>_ade_linear": .., ...} rounded to mm."""
    out = {}
    for group in GROUPS:
        tail = "" if group == "all" else f"_{group}"
        for i, name in enumerate(("ade", "fde")):
            v = summary[group][i]
            out[f"{prefix}_{name}{tail}"] = None if math.isnan(v) else round(v, 4)
    return out


def evaluate_set(G: nn.Module, ts: TrajectorySet, *, k: int = 20, seed: int = 0,
                 stochastic: bool = True) -> dict[str, Any]:
    """The metrics a checkpoint's sidecar and ``python -m gan_core eval`` show: best-of-k (per window
    and per pedestrian) and single-sample ADE/FDE by group, the constant-velocity baseline beside them."""
    samples = forecast(G, ts, k if stochastic else 1, seed=seed)
    s = scores(samples, ts)
    share = round(float(ts.nonlinear.mean()), 4)
    out: dict[str, Any] = {"eval_windows": ts.num_windows, "eval_peds": ts.num_peds,
                           "k": k if stochastic else 1, "nonlinear_share": share}
    out.update(flat(f"best{k}" if stochastic else "det", s["best"]))
    if stochastic:
        out.update(flat(f"best{k}_ped", s["best_ped"]))
        out.update(flat("one", s["single"]))
    out.update(flat("cv", baseline_scores(ts)["cv"]))
    return out
