"""Conditional GAN (Mirza & Osindero 2014) on the small DCGAN body: G(z, y), D(x, y).

How the label y enters both players (one-hot, n_classes = 10 for digits):
  G: [z ; onehot(y)]  (B, z_dim + 10)  -> DCGAN generator -> (B, C, 28, 28)
     the label is extra input noise that the generator cannot ignore: D checks it.
  D: [x ; 10 label planes] (B, C + 10, 28, 28) -> DCGAN discriminator -> logit (B,)
     plane k is all ones when y = k, else zeros, so every filter of the first layer
     sees the label at every pixel. D learns to reject "a good 3 labelled 7".
Trained with the ordinary GAN losses; the trainer passes real labels with real images and
random labels with generated ones (``ModelSpec.conditional = True``).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gan_core.models import dcgan


@dataclass(frozen=True)
class CGANConfig:
    z_dim: int = 64  # style noise; the digit comes from y
    n_classes: int = 10
    g_base: int = 32
    d_base: int = 32
    batchnorm: bool = True
    leaky_slope: float = 0.2
    img_channels: int = 1
    img_size: int = 28

    def __post_init__(self) -> None:
        if self.n_classes < 2:
            raise ValueError(f"CGANConfig.n_classes must be >= 2, got {self.n_classes}")
        self.body(extra_in=0)  # validates z_dim, sizes, channels via DCGANConfig

    def body(self, *, extra_in: int, for_d: bool = False) -> dcgan.DCGANConfig:
        """The DCGAN config of the body: G gets n_classes more inputs, D n_classes more planes."""
        return dcgan.DCGANConfig(
            z_dim=self.z_dim + (0 if for_d else extra_in),
            g_base=self.g_base,
            d_base=self.d_base,
            batchnorm=self.batchnorm,
            leaky_slope=self.leaky_slope,
            img_channels=self.img_channels + (extra_in if for_d else 0),
            img_size=self.img_size,
        )


def _labels(y: Tensor | None, n: int, device: torch.device) -> Tensor:
    if y is None:  # generic callers (no label given): cycle 0..9 so samples stay meaningful
        return torch.arange(n, device=device)
    return y.to(device=device, dtype=torch.long)


class Generator(nn.Module):
    """G(z, y) -> (B, C, H, W) in [-1, 1]; z (B, z_dim), y int64 (B,) in 0..n_classes-1."""

    def __init__(self, *, config: CGANConfig) -> None:
        super().__init__()
        self.config = config
        self.body = dcgan.Generator(config=config.body(extra_in=config.n_classes))

    def forward(self, z: Tensor, y: Tensor | None = None) -> Tensor:
        y = _labels(y, z.shape[0], z.device) % self.config.n_classes
        onehot = F.one_hot(y, self.config.n_classes).to(z.dtype)  # (B, 10)
        return self.body(torch.cat([z, onehot], dim=1))  # (B, z_dim + 10) -> image


class Discriminator(nn.Module):
    """D(x, y) -> logits (B,); the label is broadcast as n_classes constant planes."""

    def __init__(self, *, config: CGANConfig) -> None:
        super().__init__()
        self.config = config
        self.body = dcgan.Discriminator(config=config.body(extra_in=config.n_classes, for_d=True))

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        b, _, h, w = x.shape
        y = _labels(y, b, x.device) % self.config.n_classes
        planes = F.one_hot(y, self.config.n_classes).to(x.dtype)[:, :, None, None].expand(b, -1, h, w)
        return self.body(torch.cat([x, planes], dim=1))  # (B, C + 10, H, W) -> (B,)
