"""Conditional GAN (Mirza & Osindero 2014) on the small DCGAN body: G(z, y), D(x, y).

How the label y enters both players (one-hot, n_classes = 10 for digits):
  G: [z ; onehot(y)]  (B, z_dim + 10)  -> DCGAN generator -> (B, C, 28, 28)
     the label is extra input that the generator cannot ignore: D checks it.
  D: x -> DCGAN body -> features h (B, 2b, 7, 7); the last layer gives one "looks real"
     score plus one score per class and adds the score of class y (a projection
     discriminator, Miyato & Koyama 2018), so "a good 3 labelled 7" is judged fake.
     A second per-class head, ``classify(x)``, names the digit of an image without being
     told the label (the auxiliary classifier of AC-GAN, Odena et al. 2017); the CGAN
     step (``gan_core.training.cgan_step``) trains it on real digits and rewards G when
     it names the requested one. Both heads made the label stick within a few minutes
     of CPU training; label planes on D's input alone reached ~80%.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gan_core.models import dcgan
from gan_core.training.family import check_finite


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
        check_finite(self)
        if not 2 <= self.n_classes <= 1000:
            raise ValueError(f"CGANConfig.n_classes must be between 2 and 1000, got {self.n_classes}")
        self.body(extra_in=0)  # validates z_dim, sizes, channels via DCGANConfig

    @property
    def d_batchnorm(self) -> bool:
        return self.batchnorm

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
    """D(x, y) -> logits (B,): a "looks real" score plus the projection score of class y."""

    def __init__(self, *, config: CGANConfig) -> None:
        super().__init__()
        self.config = config
        body = config.body(extra_in=0)
        net = dcgan.Discriminator(config=body).net
        self.features = net[:-1]  # (B, C, H, W) -> (B, 2b, stem, stem)
        self.judge = net[-1]  # -> (B, 1, 1, 1): "looks real" score
        # one score per class, same shape as judge: the projection term <embed(y), h>
        self.per_class = nn.Conv2d(self.judge.in_channels, config.n_classes, body.stem)
        self.classifier = nn.Conv2d(self.judge.in_channels, config.n_classes, body.stem)  # AC head
        self.per_class.apply(dcgan.init_weights)
        self.classifier.apply(dcgan.init_weights)

    def forward_aux(self, x: Tensor, y: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """(logits (B,), class logits (B, n_classes) that never see y)."""
        y = _labels(y, x.shape[0], x.device) % self.config.n_classes
        feats = self.features(x)  # (B, 2b, stem, stem)
        scores = self.per_class(feats).flatten(1)  # (B, n_classes)
        logits = self.judge(feats).flatten() + scores.gather(1, y[:, None]).squeeze(1)
        return logits, self.classifier(feats).flatten(1)

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        return self.forward_aux(x, y)[0]  # (B,)
