"""Differentiable augmentation for the discriminator on small data sets.

With 5,000 digits D sees every image every ~80 steps and starts to memorise them; its verdicts
then stop carrying information about what digits look like, and G's progress stalls. Shifting
real AND generated images by a few random pixels before D sees them (DiffAugment, Zhao et al.
2020; the "translation" policy) keeps D from memorising while G still gets gradients, because
the shift is an indexing operation that back-propagates into G's pixels.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def translate(x: torch.Tensor, *, max_shift: int, generator: torch.Generator,
              fill: float = -1.0) -> torch.Tensor:
    """Shift each image (B, C, H, W) by its own random (dy, dx) in [-max_shift, max_shift]; the
    uncovered border is filled with ``fill`` (-1 = the black background of [-1, 1] images)."""
    if max_shift <= 0:
        return x
    b, c, h, w = x.shape
    s = max_shift
    padded = F.pad(x, (s, s, s, s), value=fill)  # (B, C, H + 2s, W + 2s)
    shift = torch.randint(-s, s + 1, (2, b), generator=generator, device=generator.device).to(x.device)
    rows = torch.arange(h, device=x.device) + s + shift[0][:, None]  # (B, H)
    cols = torch.arange(w, device=x.device) + s + shift[1][:, None]  # (B, W)
    # one flat gather (backward: one scatter-add) instead of 4-D advanced indexing, ~10x cheaper
    flat = (rows[:, :, None] * (w + 2 * s) + cols[:, None, :]).reshape(b, 1, h * w).expand(b, c, h * w)
    return padded.reshape(b, c, -1).gather(2, flat).reshape(b, c, h, w)  # (B, C, H, W)
