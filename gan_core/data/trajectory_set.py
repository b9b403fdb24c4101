"""The container for scene windows of pedestrian trajectories (built by ``trajectories.py`` from
ETH/UCY files and by ``crowds.py`` from simulated scenes), and its cutting config.

Shapes: N pedestrian rows (one per pedestrian per window), W windows, T_obs / T_pred steps of 0.4 s.
Coordinates are (x, y) in metres: ``[..., 0]`` is x, ``[..., 1]`` is y.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import torch

MAX_LEN = 200  # frames per window: 80 s, far beyond any forecasting use


@dataclass(frozen=True)
class SequenceConfig:
    """How windows are cut. Defaults follow the Social GAN paper (8 observed + 12 predicted)."""

    obs_len: int = 8  # >= 2: the models read displacements between observed points
    pred_len: int = 12
    skip: int = 1  # stride of the sliding window, in frame slots
    min_peds: int = 2  # fewest pedestrians a window needs (official loader: more than 1)
    # sum of squared residuals (m^2) of a degree-2 polynomial fit to the future, x plus y, at or
    # above which a path is "non-linear"; 0.002 is the official loader's threshold
    nonlinear_threshold: float = 0.002

    def __post_init__(self) -> None:
        limits = {"obs_len": (2, MAX_LEN), "pred_len": (1, MAX_LEN), "skip": (1, 10_000), "min_peds": (1, 10_000)}
        for name, (lo, hi) in limits.items():
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not lo <= v <= hi:
                raise ValueError(f"SequenceConfig.{name} must be an integer in {lo}..{hi}, got {v!r}")
        t = self.nonlinear_threshold
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not np.isfinite(t) or t < 0:
            raise ValueError(f"SequenceConfig.nonlinear_threshold must be a finite number >= 0, got {t!r}")

    @property
    def seq_len(self) -> int:
        return self.obs_len + self.pred_len


class TrajectoryBatch(NamedTuple):
    """Torch view of some windows: what a trainer feeds the model."""

    obs: torch.Tensor  # (N, T_obs, 2) float32, metres
    pred: torch.Tensor  # (N, T_pred, 2) float32, metres
    seq_start_end: torch.Tensor  # (W, 2) int64: pedestrians start..end-1 share one scene window
    nonlinear: torch.Tensor  # (N,) bool


@dataclass(frozen=True, eq=False)
class TrajectorySet:
    """Scene windows cut from one or more files. N pedestrians-in-windows, W windows.

    obs (N, T_obs, 2), pred (N, T_pred, 2): absolute positions in metres (float32).
    seq_start_end (W, 2) int64: window w holds rows ``start:end`` (contiguous, in order, no gaps),
        pedestrians sorted by id inside a window; a pooling module pools over these rows.
    nonlinear (N,) bool: the ground-truth future is non-linear (see ``nonlinear_mask``).
    ped_ids (N,) int64: pedestrian ids as in the file.
    window_frame (W,) int64: frame id of each window's first frame.
    window_source (W,) int64: index into ``sources`` (file or scene of each window).
    All arrays are read-only, so a cached set can be shared safely.
    """

    obs: np.ndarray
    pred: np.ndarray
    seq_start_end: np.ndarray
    nonlinear: np.ndarray
    ped_ids: np.ndarray
    window_frame: np.ndarray
    window_source: np.ndarray
    sources: tuple[str, ...]
    config: SequenceConfig = field(default_factory=SequenceConfig)

    def __post_init__(self) -> None:
        n, w = len(self.obs), len(self.seq_start_end)
        if self.obs.shape != (n, self.config.obs_len, 2) or self.pred.shape != (n, self.config.pred_len, 2):
            raise ValueError(f"obs/pred shapes {self.obs.shape}/{self.pred.shape} do not match {self.config}")
        if len(self.nonlinear) != n or len(self.ped_ids) != n:
            raise ValueError("nonlinear and ped_ids need one entry per pedestrian row")
        if len(self.window_frame) != w or len(self.window_source) != w:
            raise ValueError("window_frame and window_source need one entry per window")
        for a in (self.obs, self.pred, self.seq_start_end, self.nonlinear, self.ped_ids, self.window_frame,
                  self.window_source):
            a.setflags(write=False)

    @property
    def num_windows(self) -> int:
        return len(self.seq_start_end)

    @property
    def num_peds(self) -> int:
        return len(self.obs)

    def subset(self, windows: np.ndarray | list[int]) -> TrajectorySet:
        """The chosen windows (in the given order) as a new set, rows re-indexed."""
        idx = np.asarray(windows, dtype=np.int64).reshape(-1)
        sse = self.seq_start_end[idx]
        sizes = sse[:, 1] - sse[:, 0]
        ends = np.cumsum(sizes)
        rows = np.repeat(sse[:, 0] - (ends - sizes), sizes) + np.arange(ends[-1] if len(ends) else 0)
        return TrajectorySet(
            obs=self.obs[rows], pred=self.pred[rows],
            seq_start_end=np.stack([ends - sizes, ends], axis=1).astype(np.int64),
            nonlinear=self.nonlinear[rows], ped_ids=self.ped_ids[rows],
            window_frame=self.window_frame[idx], window_source=self.window_source[idx],
            sources=self.sources, config=self.config,
        )

    def batch(self, windows: np.ndarray | list[int] | None = None) -> TrajectoryBatch:
        """Torch tensors (CPU) for the chosen windows (all when None)."""
        s = self if windows is None else self.subset(windows)
        return TrajectoryBatch(
            torch.from_numpy(s.obs.copy()), torch.from_numpy(s.pred.copy()),
            torch.from_numpy(s.seq_start_end.copy()), torch.from_numpy(s.nonlinear.copy()),
        )


def concat_sets(sets: list[TrajectorySet]) -> TrajectorySet:
    """Join sets cut with the same config; sources are listed in order, windows re-indexed."""
    if not sets:
        raise ValueError("concat_sets needs at least one TrajectorySet")
    cfg = sets[0].config
    if any(s.config != cfg for s in sets):
        raise ValueError("concat_sets: all sets must be cut with the same SequenceConfig")
    row_off = np.cumsum([0] + [s.num_peds for s in sets[:-1]])
    src_off = np.cumsum([0] + [len(s.sources) for s in sets[:-1]])
    return TrajectorySet(
        obs=np.concatenate([s.obs for s in sets]), pred=np.concatenate([s.pred for s in sets]),
        seq_start_end=np.concatenate([s.seq_start_end + o for s, o in zip(sets, row_off)]),
        nonlinear=np.concatenate([s.nonlinear for s in sets]), ped_ids=np.concatenate([s.ped_ids for s in sets]),
        window_frame=np.concatenate([s.window_frame for s in sets]),
        window_source=np.concatenate([s.window_source + o for s, o in zip(sets, src_off)]),
        sources=tuple(name for s in sets for name in s.sources), config=cfg,
    )
