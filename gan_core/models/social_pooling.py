"""The pooling module of Social GAN (Gupta et al. 2018, sec. 3.2, "Pooling Module").

For pedestrian i of a scene window S(i) (rows start..end-1 of the batch):

    P_i = max_{j in S(i)}  MLP([ phi(x_j - x_i), h_j ])          (element-wise max over j)

x_j - x_i is where j stands relative to i (metres, (x, y)), phi a linear embedding, h_j j's encoder
state. j runs over the whole window, i itself included (relative position 0), as in the official
code, so a pedestrian alone in its window still gets a defined P_i. The max is symmetric in its
arguments: permuting the other pedestrians leaves P_i unchanged (permutation invariance), and the
same weights serve any crowd size.

All windows of a batch are pooled in one vectorised pass over the (i, j) pairs (sum of n_w^2 pairs).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def window_pairs(seq_start_end: Tensor) -> tuple[Tensor, Tensor]:
    """All ordered pairs (i, j) of rows sharing a window: two (P,) int64 tensors, P = sum_w n_w^2,
    grouped by i. seq_start_end (W, 2) must tile 0..N contiguously (as TrajectorySet builds it)."""
    sse = seq_start_end.long()
    start, size = sse[:, 0], sse[:, 1] - sse[:, 0]
    if len(sse) and (bool((size < 1).any()) or int(start[0]) != 0 or bool((start[1:] != sse[:-1, 1]).any())):
        raise ValueError("seq_start_end must list non-empty, contiguous windows (start, end) starting at 0")
    sq = size * size
    window = torch.repeat_interleave(torch.arange(len(sse)), sq)  # (P,)
    k = torch.arange(int(sq.sum())) - torch.repeat_interleave(torch.cumsum(sq, 0) - sq, sq)  # pair within window
    n = size[window]
    return start[window] + k // n, start[window] + k % n


class SocialPooling(nn.Module):
    """(h (N, H), pos (N, 2), seq_start_end (W, 2)) -> P (N, out_dim)."""

    def __init__(self, *, hidden_dim: int, embedding_dim: int, mlp_dim: int, out_dim: int) -> None:
        super().__init__()
        self.embed = nn.Linear(2, embedding_dim)  # phi(x_j - x_i)
        # ReLU after the last layer too (as the official pre-pool MLP): P_i >= 0
        self.mlp = nn.Sequential(nn.Linear(embedding_dim + hidden_dim, mlp_dim), nn.ReLU(),
                                 nn.Linear(mlp_dim, out_dim), nn.ReLU())

    def forward(self, h: Tensor, pos: Tensor, seq_start_end: Tensor) -> Tensor:
        i, j = window_pairs(seq_start_end)
        feat = self.mlp(torch.cat([self.embed(pos[j] - pos[i]), h[j]], dim=1))  # (P, out): what i sees of j
        pooled = feat.new_zeros(h.shape[0], feat.shape[1])
        # max over j for each i; every i has at least the pair (i, i), so no row stays at the zeros
        return pooled.scatter_reduce(0, i[:, None].expand_as(feat), feat, reduce="amax", include_self=False)
