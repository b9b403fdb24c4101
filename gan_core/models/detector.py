"""A small real-vs-generated detector for 28x28 grey images: logit > 0 means "generated".

The idea of Wang et al. (CVPR 2020, "CNN-generated images are surprisingly easy to spot... for
now"), at classroom scale: an ordinary image classifier, trained on real pictures and the output of
ONE generator, then tested on generators it never saw. The head pools globally over positions, so
the score comes from local texture statistics (upsampling and stroke artefacts) wherever they are,
not from where the digit sits.

Shapes (base c):
  (B, 1, 28, 28) -k3s1-> (B, c, 28, 28) -k4s2-> (B, 2c, 14, 14) -k4s2-> (B, 4c, 7, 7)
  -> global average pool (B, 4c) -> dropout -> Linear -> logits (B,)
The first layer keeps full resolution (stride 1) so pixel-level artefacts reach the classifier
before any downsampling smooths them away. Logits are unbounded: apply a sigmoid for a probability,
and train with BCE-with-logits (label 1 = generated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from torch import Tensor, nn

__all__ = ["Detector", "DetectorConfig"]


@dataclass(frozen=True)
class DetectorConfig:
    base: int = 16  # channels of the first conv; doubles with each stride-2 conv
    batchnorm: bool = True
    dropout: float = 0.2
    leaky_slope: float = 0.2
    img_channels: int = 1
    img_size: int = 28

    def __post_init__(self) -> None:
        for name in ("base", "img_channels", "img_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"DetectorConfig.{name} must be an integer >= 1, got {value!r}")
        if self.img_size % 4:
            raise ValueError(f"DetectorConfig.img_size must be divisible by 4, got {self.img_size}")
        if not (math.isfinite(self.dropout) and 0.0 <= self.dropout < 1.0):
            raise ValueError(f"DetectorConfig.dropout must be finite in [0, 1), got {self.dropout}")
        if not (math.isfinite(self.leaky_slope) and 0.0 <= self.leaky_slope < 1.0):
            raise ValueError(f"DetectorConfig.leaky_slope must be finite in [0, 1), got {self.leaky_slope}")


def _conv(c_in: int, c_out: int, k: int, stride: int, cfg: DetectorConfig) -> list[nn.Module]:
    pad = (k - stride + 1) // 2  # 3/1 -> 1 (same size), 4/2 -> 1 (halves)
    norm: nn.Module = nn.BatchNorm2d(c_out) if cfg.batchnorm else nn.Identity()
    return [nn.Conv2d(c_in, c_out, k, stride, pad, bias=not cfg.batchnorm), norm, nn.LeakyReLU(cfg.leaky_slope)]


class Detector(nn.Module):
    """detector(x) -> logits (B,) of "x is generated"; x float (B, C, H, W) in [-1, 1]."""

    def __init__(self, *, config: DetectorConfig | None = None) -> None:
        super().__init__()
        cfg = config or DetectorConfig()
        self.config = cfg
        c = cfg.base
        self.features = nn.Sequential(
            *_conv(cfg.img_channels, c, 3, 1, cfg),  # (B, c, 28, 28)
            *_conv(c, 2 * c, 4, 2, cfg),  # (B, 2c, 14, 14)
            *_conv(2 * c, 4 * c, 4, 2, cfg),  # (B, 4c, 7, 7)
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),  # (B, 4c)
        )
        self.head = nn.Sequential(nn.Dropout(cfg.dropout), nn.Linear(4 * c, 1))

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x)).flatten()  # (B,) logits, unbounded
