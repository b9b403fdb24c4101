"""Scenes, forecasts and the small experiments of the Social GAN page (all maths here, none in the page).

A scene is a set of scene windows (8 observed + 12 future positions per pedestrian, metres) plus the
walls to draw: a held-out synthetic crowd (seed 100, never trained on), an ETH/UCY test scene, or a
sandbox the student lays out (start and goal per pedestrian, simulated with the social force model).
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from gan_core.data.crowds import SANDBOX_SCENES, crowd_scene, scene_walls, simulate_sandbox
from gan_core.data.trajectories import FRAME_SECONDS, build_sequences, load_split
from gan_core.data.trajectory_set import SequenceConfig, TrajectorySet
from gan_core.trajectory_eval import SYNTH_TEST_SEEDS
from gan_core.trajectory_metrics import best_of_k, constant_velocity, displacement_errors

MAX_SANDBOX = 12  # pedestrians a student may place
SANDBOX_LIMIT = 15.0  # metres from the origin, starts and goals
MAX_BROWSE = 80  # windows offered by the page's window slider


class SandboxError(ValueError):
    """A sandbox layout that cannot be simulated; ``code`` names a translated message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code} {params}")
        self.code, self.params = code, params


@dataclass(frozen=True, eq=False)
class Scene:
    windows: TrajectorySet
    walls: np.ndarray  # (M, 2, 2) segments [m]
    key: str  # cache key: "synthetic:crossing", "eth_ucy:<root>:zara1", "sandbox:<digest>"


@functools.lru_cache(maxsize=8)
def synthetic_scene(name: str, seed: int = SYNTH_TEST_SEEDS[0]) -> Scene:
    """A held-out synthetic scene ("crossing", "groups", "corridor"; seed 100 by default)."""
    crowd = crowd_scene(name, seed=seed)
    return Scene(windows=build_sequences(crowd.tracks), walls=crowd.walls, key=f"synthetic:{name}:{seed}")


def eth_ucy_scene(root: str, split: str) -> Scene:
    """The test scene of a leave-one-out split (the scene its model never saw)."""
    return Scene(windows=load_split(root, split, "test"), walls=np.zeros((0, 2, 2)),
                 key=f"eth_ucy:{root}:{split}")


def sandbox_scene(pairs: Sequence[Sequence[float]], *, walls: str = "open",
                  seed: int = 0) -> tuple[Scene, int]:
    """Simulate pedestrians placed by a student; rows (x_start, y_start, x_goal, y_goal) in metres.

    Returns the scene (one window: the first 3.2 s observed, the next 4.8 s what the simulator did)
    and how many pedestrians left the scene before 8 s (they arrived: too short a trip to forecast).
    Raises SandboxError("empty" | "too_many" | "not_numbers" | "too_far" | "same_point" | "all_left").
    """
    rows = np.asarray(pairs, dtype=object).reshape(-1, 4) if len(pairs) else np.zeros((0, 4))
    if len(rows) == 0:
        raise SandboxError("empty")
    if len(rows) > MAX_SANDBOX:
        raise SandboxError("too_many", n=len(rows), limit=MAX_SANDBOX)
    try:
        arr = rows.astype(np.float64)
    except (TypeError, ValueError):
        raise SandboxError("not_numbers") from None
    if not np.isfinite(arr).all():
        raise SandboxError("not_numbers")
    if (np.abs(arr) > SANDBOX_LIMIT).any():
        raise SandboxError("too_far", limit=SANDBOX_LIMIT)
    if (np.linalg.norm(arr[:, :2] - arr[:, 2:], axis=1) < 1.0).any():
        raise SandboxError("same_point")
    if walls not in SANDBOX_SCENES:
        raise KeyError(f"unknown walls {walls!r}; valid: {', '.join(SANDBOX_SCENES)}")
    cfg = SequenceConfig(min_peds=1)
    seconds = cfg.seq_len * FRAME_SECONDS + 0.4  # just the first window's 8 s
    crowd = simulate_sandbox(arr.reshape(-1, 2, 2).tolist(), scene=walls, seed=seed, duration=seconds)
    ts = build_sequences(crowd.tracks, config=cfg)
    first = np.flatnonzero(ts.window_frame == 0)
    if len(first) == 0:
        raise SandboxError("all_left")
    window = ts.subset(first[:1])
    key = f"sandbox:{walls}:{seed}:{arr.round(3).tobytes().hex()}"
    return Scene(windows=window, walls=scene_walls(walls), key=key), len(arr) - window.num_peds


def browse_windows(ts: TrajectorySet, *, limit: int = MAX_BROWSE) -> np.ndarray:
    """Windows worth showing, in time order: at least two pedestrians, the busiest of evenly spaced
    stretches (sliding windows overlap by 19 of 20 frames, so neighbours look alike)."""
    sizes = ts.seq_start_end[:, 1] - ts.seq_start_end[:, 0]
    busy = np.flatnonzero(sizes >= 2)
    if len(busy) == 0:
        busy = np.arange(ts.num_windows)
    parts = np.array_split(busy, min(limit, len(busy)))
    return np.array([p[np.argmax(sizes[p])] for p in parts if len(p)], dtype=np.int64)


@torch.no_grad()
def forecast_window(G: nn.Module, ts: TrajectorySet, *, k: int, seed: int,
                    alone: bool = False) -> torch.Tensor:
    """k sampled futures (k, N, T_pred, 2) for the windows of ``ts``. ``alone``: every pedestrian is
    forecast as if it were alone in its window, so the pooling module sees nobody else."""
    b = ts.batch()
    sse = b.seq_start_end
    if alone:
        n = b.obs.shape[0]
        sse = torch.stack([torch.arange(n), torch.arange(1, n + 1)], dim=1)
    G.eval()
    return G.sample(b.obs, sse, k, generator=torch.Generator().manual_seed(seed))


def window_scores(samples: torch.Tensor, ts: TrajectorySet) -> dict[str, tuple[float, float]]:
    """(ADE, FDE) in metres over the pedestrians shown: best-of-k (per window), one sample, constant
    velocity."""
    truth, sse = torch.from_numpy(ts.pred.copy()), torch.from_numpy(ts.seq_start_end.copy())
    cv = constant_velocity(torch.from_numpy(ts.obs.copy()), truth.shape[1])
    out = {}
    for name, (a, f) in (("best", best_of_k(samples, truth, seq_start_end=sse)),
                         ("one", displacement_errors(samples[0], truth)),
                         ("cv", displacement_errors(cv, truth))):
        out[name] = (float(a.mean()), float(f.mean()))
    return out


def spray(obs: torch.Tensor, k: int, pred_len: int, *, seed: int, max_speed: float = 2.0) -> torch.Tensor:
    """A "model" that ignores everything but the last observed position: k straight walks in random
    directions at random speeds (uniform 0..max_speed m/s). (k, N, pred_len, 2)."""
    gen = torch.Generator().manual_seed(seed)
    n = obs.shape[0]
    angle = torch.rand(k, n, generator=gen) * (2 * np.pi)
    step = torch.rand(k, n, generator=gen) * (max_speed * FRAME_SECONDS)  # metres per 0.4 s
    v = torch.stack([torch.cos(angle), torch.sin(angle)], -1) * step[..., None]  # (k, N, 2)
    t = torch.arange(1, pred_len + 1, dtype=obs.dtype)[None, None, :, None]
    return obs[None, :, -1:, :] + t * v[:, :, None, :]


def best_of_k_curve(samples: torch.Tensor, ts: TrajectorySet) -> np.ndarray:
    """Best-of-j ADE (per window) for j = 1..k using the first j samples: (k,), metres."""
    truth, sse = torch.from_numpy(ts.pred.copy()), torch.from_numpy(ts.seq_start_end.copy())
    return np.array([float(best_of_k(samples[:j], truth, seq_start_end=sse)[0].mean())
                     for j in range(1, samples.shape[0] + 1)])


def mixture_possible(overall: float, group_a: float, group_b: float) -> bool:
    """Can ``overall`` be the mean over all paths when the paths split into two groups with these means?
    (A weighted average lies between its parts: min(a, b) <= overall <= max(a, b).)"""
    return min(group_a, group_b) <= overall <= max(group_a, group_b)
