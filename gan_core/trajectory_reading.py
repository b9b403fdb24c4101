"""What the Social GAN page says about a model, measured: the shape of a fan of sampled futures, how
close forecast pedestrians come to each other, how far the pooling switch moves a forecast, what the
discriminator answers, and what a training curve did. Every number in those sentences comes from here.

Shapes as in ``trajectory_metrics``: samples (K, N, T_pred, 2), paths (N, T, 2), metres; seq_start_end
(W, 2) groups the N rows into scene windows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from gan_core.models.social_pooling import window_pairs

CLOSE = 0.4  # metres between two centres: shoulders touch (a body is ~0.45 m wide)
LEVEL_D = 2 * math.log(2.0)  # D's loss when it answers 1/2 to everything (the official sum of two terms)
FLAT = 0.02  # |d_loss - 2 ln 2| below this counts as "on the level"
NEAR = 0.1  # D's loss within this of 2 ln 2 all through the last tenth of training: "near the level"


@dataclass(frozen=True)
class FanShape:
    """How the K sampled futures of a pedestrian spread at the last step, medians over pedestrians (m)."""

    along: float  # std of the end points along the direction of walking (the fan's mean displacement): pace
    across: float  # std across that direction: heading, route
    split: float  # share of fans in two groups (SPLIT_SIDE+ samples each) with SPLIT_GAP+ m between, across


SPLIT_GAP, SPLIT_SIDE = 0.5, 3  # metres of empty space across the walk; samples on each side


def fan_shape(samples: Tensor, last: Tensor | np.ndarray) -> FanShape:
    """samples (K, N, T, 2), last (N, 2) = the last observed positions. Ends spread along the walk
    differ in pace; spread across it, in direction; a gap across splits a fan into separate routes."""
    end = samples[:, :, -1].double()  # (K, N, 2)
    mean = end.mean(dim=0)
    walk = mean - torch.tensor(np.asarray(last), dtype=torch.float64)
    u = walk / torch.linalg.vector_norm(walk, dim=-1, keepdim=True).clamp_min(1e-9)  # (N, 2) unit
    c = end - mean
    along, across = (c * u).sum(-1), c[..., 1] * u[:, 0] - c[..., 0] * u[:, 1]  # (K, N) each
    k = end.shape[0]
    if k < 2:
        return FanShape(0.0, 0.0, 0.0)
    split = 0.0
    if k >= 2 * SPLIT_SIDE:
        gaps = across.sort(dim=0).values.diff(dim=0)  # (K-1, N): gap above the i-th lowest end point
        below = torch.arange(1, k)[:, None]
        gaps = torch.where((below >= SPLIT_SIDE) & (k - below >= SPLIT_SIDE), gaps, torch.zeros_like(gaps))
        split = float((gaps.max(dim=0).values >= SPLIT_GAP).double().mean())
    return FanShape(float(along.std(dim=0).median()), float(across.std(dim=0).median()), split)


def close_pairs(paths: Tensor | np.ndarray, seq_start_end: Tensor | np.ndarray, *,
                radius: float = CLOSE) -> tuple[int, int]:
    """(pairs closer than ``radius`` at some common step, all pairs) among pedestrians sharing a window.
    paths (N, T, 2); a pair is counted once."""
    p = torch.tensor(np.asarray(paths), dtype=torch.float32)  # a copy: read-only numpy views are fine
    i, j = window_pairs(torch.tensor(np.asarray(seq_start_end)))
    keep = i < j
    i, j = i[keep], j[keep]
    if len(i) == 0:
        return 0, 0
    near = (torch.linalg.vector_norm(p[i] - p[j], dim=-1).min(dim=1).values < radius)  # (P,)
    return int(near.sum()), len(i)


def shift(a: Tensor, b: Tensor) -> tuple[float, float]:
    """How far forecast ``b`` lies from ``a`` (same shape, (..., T, 2)): (mean over all points, mean at
    the last step), metres."""
    d = torch.linalg.vector_norm(a - b, dim=-1)
    return float(d.mean()), float(d[..., -1].mean())


@torch.no_grad()
def probe_discriminator(D: nn.Module, G: nn.Module, obs: Tensor, truth: Tensor, seq_start_end: Tensor, *,
                        seed: int = 0) -> dict[str, float]:
    """D's mean answer (probability "real") to the true futures, to one generated sample, and to a
    pedestrian who freezes at the last observed point. A D that gives the three the same answer has
    stopped judging; one that still tells them apart only lost to G."""
    fake = G(obs, seq_start_end, generator=torch.Generator().manual_seed(seed))
    frozen = obs[:, -1:].expand(-1, truth.shape[1], -1)
    out = {}
    for name, future in (("real", truth), ("fake", fake), ("frozen", frozen)):
        out[name] = float(torch.sigmoid(D(torch.cat([obs, future], dim=1), seq_start_end)).mean())
    return out


@dataclass(frozen=True)
class CurveReading:
    """What a logged Social GAN training curve did (steps as logged; losses as averaged per point)."""

    last: int  # last logged step
    left: int | None  # first step whose D loss is off 2 ln 2 by FLAT or more (None: never)
    low: float  # D's lowest loss, and where
    low_step: int
    settled: int | None  # from this step to the end D's loss stays within FLAT of 2 ln 2 (None: it does not)
    d_end: float  # D's loss at the last point
    end_lo: float  # D's lowest and highest loss over the last tenth of the logged points (3 at least)
    end_hi: float
    d_real: float  # D's mean answers at the last point (nan when not logged)
    d_fake: float
    variety_start: float  # mean variety loss of the first tenth after the first point (warm-up), m^2
    variety_end: float  # mean of the last tenth
    variety_from: int  # the step where variety_start begins

    @property
    def variety_falls(self) -> bool:
        return self.variety_end < 0.8 * self.variety_start

    @property
    def ends_near_level(self) -> bool:
        return max(abs(self.end_lo - LEVEL_D), abs(self.end_hi - LEVEL_D)) < NEAR


def read_curve(curve: dict) -> CurveReading | None:
    """Read a sidecar's ``train_curve`` (step, d_loss, g_variety, d_real, d_fake); None when it has no
    discriminator loss (the LSTM baseline) or too few points."""
    steps = list(curve.get("step") or [])
    d = np.array([np.nan if v is None else v for v in curve.get("d_loss") or []], dtype=float)
    var = np.array([np.nan if v is None else v for v in curve.get("g_variety") or []], dtype=float)
    if len(steps) < 8 or len(d) != len(steps) or np.isnan(d).all():
        return None
    off = np.abs(d - LEVEL_D) >= FLAT
    left = int(steps[int(np.argmax(off))]) if off.any() else None
    on = ~off[::-1]  # from the end backwards: how many points in a row sit on the level
    tail = int(np.argmin(on)) if not on.all() else len(on)
    settled = int(steps[len(steps) - tail]) if tail >= max(3, len(steps) // 4) and left is not None else None
    n = max(1, len(steps) // 10)
    low = int(np.nanargmin(d))
    end = d[-max(3, n):]

    def last_of(key: str) -> float:
        v = (curve.get(key) or [None])[-1]
        return math.nan if v is None else float(v)

    return CurveReading(last=int(steps[-1]), left=left, low=float(d[low]), low_step=int(steps[low]),
                        settled=settled, d_end=float(d[-1]), end_lo=float(np.nanmin(end)),
                        end_hi=float(np.nanmax(end)), d_real=last_of("d_real"),
                        d_fake=last_of("d_fake"),
                        variety_start=float(np.nanmean(var[1:1 + n])) if len(var) > 1 else math.nan,
                        variety_end=float(np.nanmean(var[-n:])) if len(var) else math.nan,
                        variety_from=int(steps[1]))
