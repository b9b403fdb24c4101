"""A small MNIST CNN used as the *feature extractor* for offline FID and mode coverage.

There are no Inception weights on the course machines, so quality metrics are computed in the
penultimate-layer space of this classifier (the same idea as FID, Heusel et al. 2017, with a
domain-specific network). It is trained by the classifier family (`gan_core.training.classifier_step`) and shipped as
`checkpoints/mnist_classifier.{safetensors,json}`.

Input convention matches the generators: x float32 in [-1, 1], shape (B, 1, 28, 28).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class ClassifierConfig:
    c1: int = 16  # channels of conv block 1 (28x28 -> 14x14)
    c2: int = 32  # channels of conv block 2 (14x14 -> 7x7); 32*7*7 -> feat_dim keeps the file < 1 MB
    feat_dim: int = 128  # penultimate feature layer: the space FID is measured in
    n_classes: int = 10
    dropout: float = 0.3
    img_size: int = 28


def _block(c_in: int, c_out: int) -> nn.Sequential:
    # conv3-BN-ReLU x2 then 2x2 max-pool: (B, c_in, H, W) -> (B, c_out, H/2, W/2)
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class Classifier(nn.Module):
    """Two conv blocks + FC. `forward` returns logits (B, n_classes); `features` the (B, feat_dim)
    penultimate activations (after ReLU) used for Frechet distances."""

    def __init__(self, *, config: ClassifierConfig | None = None) -> None:
        super().__init__()
        cfg = config or ClassifierConfig()
        self.config = cfg
        side = cfg.img_size // 4  # two 2x2 pools
        self.body = nn.Sequential(_block(1, cfg.c1), _block(cfg.c1, cfg.c2), nn.Flatten())
        self.fc = nn.Sequential(
            nn.Dropout(cfg.dropout),
            nn.Linear(cfg.c2 * side * side, cfg.feat_dim),  # (B, c2*7*7) -> (B, feat_dim)
            nn.ReLU(inplace=True),
        )
        self.head = nn.Sequential(nn.Dropout(cfg.dropout), nn.Linear(cfg.feat_dim, cfg.n_classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.body(x))  # (B, feat_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))  # (B, n_classes) logits

    def forward_both(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits, features) in one pass — what the metrics need."""
        feats = self.features(x)
        return self.head(feats), feats
