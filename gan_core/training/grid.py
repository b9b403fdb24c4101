"""Turn a batch of generated images into one uint8 picture (an 8x8 sample grid)."""
from __future__ import annotations

import math

import numpy as np
import torch


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """(B, C, H, W) in [-1, 1] -> uint8 (B, H, W) for one channel or (B, H, W, C) for three."""
    x = ((images.detach().float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).cpu()
    if x.shape[1] == 1:
        return x[:, 0].numpy()
    return x.permute(0, 2, 3, 1).numpy()


def make_grid(images: torch.Tensor | np.ndarray, *, nrow: int | None = None, pad: int = 2,
              background: int = 0) -> np.ndarray:
    """Tile images into a grid: (B, H, W[, C]) uint8 or a (B, C, H, W) tensor -> (H', W'[, C]) uint8.

    ``nrow`` defaults to the square root of B rounded up, so 64 samples give the usual 8x8.
    """
    arr = to_uint8(images) if isinstance(images, torch.Tensor) else np.asarray(images, dtype=np.uint8)
    b, h, w = arr.shape[:3]
    nrow = nrow or max(1, math.ceil(math.sqrt(b)))
    ncol = math.ceil(b / nrow)
    shape = (ncol * (h + pad) + pad, nrow * (w + pad) + pad) + arr.shape[3:]
    out = np.full(shape, background, dtype=np.uint8)
    for i in range(b):
        r, c = divmod(i, nrow)
        top, left = pad + r * (h + pad), pad + c * (w + pad)
        out[top:top + h, left:left + w] = arr[i]
    return out
