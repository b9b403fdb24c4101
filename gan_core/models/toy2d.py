"""Small configurable MLPs for the 2-D playground: G maps noise z (1-D or 2-D) to a point x in
the plane, D maps a point to one logit. 0-5 hidden layers, width <= 128 (GAN Lab's range).

G(z): (B, noise_dim) -> (B, 2), linear output (the data are not bounded to [-1, 1]).
D(x): (B, 2) -> (B,) logits, no sigmoid (losses work on logits).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

MAX_LAYERS = 5
MAX_WIDTH = 128
NOISE_KINDS = ("uniform", "gaussian")
ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "tanh": nn.Tanh,
    "elu": nn.ELU,
}


@dataclass(frozen=True)
class Toy2DModelConfig:
    noise_dim: int = 2  # 1: G draws a curve, 2: G warps a sheet
    noise: str = "gaussian"  # "uniform" on [-1, 1] or "gaussian" N(0, 1)
    g_layers: int = 2
    g_width: int = 64
    d_layers: int = 2
    d_width: int = 64
    activation: str = "leaky_relu"

    def __post_init__(self) -> None:
        if self.noise_dim not in (1, 2):
            raise ValueError(f"noise_dim must be 1 or 2, got {self.noise_dim}")
        if self.noise not in NOISE_KINDS:
            raise ValueError(f"noise must be one of {NOISE_KINDS}, got {self.noise!r}")
        for name in ("g_layers", "d_layers"):
            v = getattr(self, name)
            if not 0 <= v <= MAX_LAYERS:
                raise ValueError(f"{name} must be in 0..{MAX_LAYERS}, got {v}")
        for name in ("g_width", "d_width"):
            v = getattr(self, name)
            if not 1 <= v <= MAX_WIDTH:
                raise ValueError(f"{name} must be in 1..{MAX_WIDTH}, got {v}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}")


def mlp(*, in_dim: int, out_dim: int, layers: int, width: int, activation: str) -> nn.Sequential:
    """in_dim -> [width, act] x layers -> out_dim; layers=0 is a single affine map."""
    mods: list[nn.Module] = []
    d = in_dim
    for _ in range(layers):
        mods += [nn.Linear(d, width), ACTIVATIONS[activation]()]
        d = width
    mods.append(nn.Linear(d, out_dim))
    return nn.Sequential(*mods)


class ToyGenerator(nn.Module):
    def __init__(self, *, config: Toy2DModelConfig) -> None:
        super().__init__()
        self.config = config
        self.net = mlp(
            in_dim=config.noise_dim,
            out_dim=2,
            layers=config.g_layers,
            width=config.g_width,
            activation=config.activation,
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # (B, noise_dim) -> (B, 2)
        return self.net(z)


class ToyDiscriminator(nn.Module):
    def __init__(self, *, config: Toy2DModelConfig) -> None:
        super().__init__()
        self.config = config
        self.net = mlp(
            in_dim=2,
            out_dim=1,
            layers=config.d_layers,
            width=config.d_width,
            activation=config.activation,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, 2) -> (B,) logits
        return self.net(x).squeeze(-1)


def sample_noise(
    n: int, config: Toy2DModelConfig, *, generator: torch.Generator | None = None
) -> torch.Tensor:
    """z ~ p_z, shape (n, noise_dim)."""
    if config.noise == "uniform":
        return torch.rand(n, config.noise_dim, generator=generator) * 2.0 - 1.0
    return torch.randn(n, config.noise_dim, generator=generator)


def noise_grid(
    config: Toy2DModelConfig, *, lines: int = 11, points: int = 41
) -> tuple[torch.Tensor, tuple[int, int]]:
    """A regular grid in noise space for drawing G's manifold.

    2-D noise: `lines` horizontal + `lines` vertical polylines of `points` each -> (2*lines*points, 2).
    1-D noise: one polyline of lines*points points -> (lines*points, 1).
    The range covers the noise support: [-1, 1] for uniform, [-2.5, 2.5] (~99% mass) for Gaussian.
    Returns the grid and (number of polylines, points per polyline).
    """
    r = 1.0 if config.noise == "uniform" else 2.5
    if config.noise_dim == 1:
        n = lines * points
        return torch.linspace(-r, r, n).unsqueeze(1), (1, n)
    a = torch.linspace(-r, r, lines)
    t = torch.linspace(-r, r, points)
    horiz = torch.stack([t.repeat(lines), a.repeat_interleave(points)], dim=1)
    vert = torch.stack([a.repeat_interleave(points), t.repeat(lines)], dim=1)
    return torch.cat([horiz, vert]), (2 * lines, points)

