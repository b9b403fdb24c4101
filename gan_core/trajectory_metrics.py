"""Trajectory forecasting metrics and the linear baselines (Social GAN, Gupta et al. 2018, sec. 4).

For pedestrian i with true future positions Y_i^t and a prediction Yhat_i^t, t = 1..T_pred (metres):

    ADE_i = 1/T_pred sum_t || Yhat_i^t - Y_i^t ||_2       average displacement error (all predicted points)
    FDE_i = || Yhat_i^T_pred - Y_i^T_pred ||_2            final displacement error (last point only)

A data set's ADE / FDE is the mean over its pedestrians. For a generative model the paper draws k
samples and reports the best one ("best-of-k", k = 20): min_k ADE_i^(k), min_k FDE_i^(k). That
flatters a model: a predictor that sprays k random guesses also gets closer with every extra guess.

Tensors are torch; numpy arrays are accepted and converted. Shapes: positions (N, T, 2) with
``[..., 0]`` = x and ``[..., 1]`` = y, k samples stacked first: (K, N, T, 2).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import Tensor


def _t(a: Tensor | np.ndarray) -> Tensor:
    return a if isinstance(a, Tensor) else torch.as_tensor(np.asarray(a), dtype=torch.float32)


def displacement_errors(pred: Tensor | np.ndarray, truth: Tensor | np.ndarray) -> tuple[Tensor, Tensor]:
    """Per-pedestrian (ADE_i, FDE_i). pred (..., N, T, 2), truth (N, T, 2) -> two tensors (..., N)."""
    pred, truth = _t(pred), _t(truth)
    if pred.shape[-3:] != truth.shape or truth.shape[-1] != 2:
        raise ValueError(f"pred {tuple(pred.shape)} must end with truth's shape {tuple(truth.shape)} = (N, T, 2)")
    dist = torch.linalg.vector_norm(pred - truth, dim=-1)  # (..., N, T): metres at every step
    return dist.mean(dim=-1), dist[..., -1]


def ade(pred: Tensor | np.ndarray, truth: Tensor | np.ndarray) -> float:
    """Mean over pedestrians of ADE_i (metres); pred and truth (N, T, 2)."""
    return float(displacement_errors(pred, truth)[0].mean())


def fde(pred: Tensor | np.ndarray, truth: Tensor | np.ndarray) -> float:
    """Mean over pedestrians of FDE_i (metres); pred and truth (N, T, 2)."""
    return float(displacement_errors(pred, truth)[1].mean())


def best_of_k(pred_k: Tensor | np.ndarray, truth: Tensor | np.ndarray, *,
              seq_start_end: Tensor | np.ndarray | None = None) -> tuple[Tensor, Tensor]:
    """Best-of-k errors per pedestrian: (min_k ADE_i^(k), min_k FDE_i^(k)), each (N,).

    pred_k (K, N, T, 2), truth (N, T, 2). ADE and FDE each take their own best sample, as the paper
    and its evaluation script do. Default: the min is taken per pedestrian (the paper's wording).
    With ``seq_start_end`` (W, 2) it is taken per scene window instead, as the official
    ``evaluate_model.py`` does: the sample k minimising sum_{i in window} ADE_i^(k) is chosen for the
    whole window (one joint future for the scene); this can only give larger or equal numbers.
    """
    ade_k, fde_k = displacement_errors(pred_k, truth)  # (K, N) each
    if seq_start_end is None:
        return ade_k.min(dim=0).values, fde_k.min(dim=0).values
    sse = _t(seq_start_end).long()
    window = torch.repeat_interleave(torch.arange(len(sse)), sse[:, 1] - sse[:, 0])  # (N,) window of each ped
    out = []
    for err in (ade_k, fde_k):
        per_window = torch.zeros(len(err), len(sse), dtype=err.dtype).index_add_(1, window, err)  # (K, W)
        best = per_window.argmin(dim=0)[window]  # (N,) the window's best sample, for each of its peds
        out.append(err.gather(0, best[None]).squeeze(0))
    return out[0], out[1]


def constant_velocity(obs: Tensor | np.ndarray, pred_len: int, *, history: int = 1) -> Tensor:
    """Constant-velocity ("linear") baseline: extrapolate the mean velocity of the last ``history``
    observed steps. obs (N, T_obs, 2) -> (N, pred_len, 2):

        v = (X^T_obs - X^(T_obs - h)) / h,    Yhat^t = X^T_obs + t v,  t = 1..pred_len

    Exact for a straight path walked at constant speed. history = T_obs - 1 uses all observed steps.
    """
    obs = _t(obs)
    if not 1 <= history < obs.shape[1]:
        raise ValueError(f"history must be in 1..{obs.shape[1] - 1} (T_obs - 1), got {history}")
    v = (obs[:, -1] - obs[:, -1 - history]) / history  # (N, 2) metres per step
    t = torch.arange(1, pred_len + 1, dtype=obs.dtype)[None, :, None]  # (1, T_pred, 1)
    return obs[:, -1:, :] + t * v[:, None, :]


def linear_fit(obs: Tensor | np.ndarray, pred_len: int) -> Tensor:
    """The paper's "Linear" baseline: a least-squares line x(t) = a_x + b_x t (and y likewise)
    fitted to all T_obs observed points, evaluated at t = T_obs+1..T_obs+pred_len. obs (N, T_obs, 2)."""
    obs = _t(obs)
    t_obs = obs.shape[1]
    t = torch.arange(t_obs, dtype=obs.dtype)
    design = torch.stack([torch.ones_like(t), t], dim=1)  # (T_obs, 2)
    coef = torch.linalg.pinv(design) @ obs  # (N, 2 coefficients, 2 axes)
    t_new = torch.arange(t_obs, t_obs + pred_len, dtype=obs.dtype)
    return torch.stack([torch.ones_like(t_new), t_new], dim=1) @ coef  # (N, pred_len, 2)


def summarize(ade_i: Tensor, fde_i: Tensor, nonlinear: Tensor | np.ndarray) -> dict[str, tuple[float, float]]:
    """Mean (ADE, FDE) over all, near-linear and non-linear pedestrians (NaN where a group is empty).
    ade_i, fde_i, nonlinear: (N,)."""
    nl = _t(nonlinear).bool()
    out = {}
    for name, m in (("all", torch.ones_like(nl)), ("linear", ~nl), ("nonlinear", nl)):
        out[name] = (float(ade_i[m].mean()), float(fde_i[m].mean())) if m.any() else (math.nan, math.nan)
    return out
