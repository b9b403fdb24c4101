"""A small DCGAN (Radford, Metz & Chintala 2016) for 28x28, 32x32 or 64x64 images.

The paper's recipe, as summarised in the course notes: no pooling and no hidden fully
connected layers; G upsamples with transposed convolutions (kernel 4, stride 2, "fractionally
strided"), D downsamples with strided convolutions; BatchNorm in both nets (not on G's output
or D's input layer); ReLU in G with Tanh at the output; LeakyReLU(0.2) in D; weights drawn
from N(0, 0.02) (``init_weights``).

Shapes for img_size=28 (MNIST), g_base = d_base = b:
  G: z (B, z_dim, 1, 1) -k7-> (B, 2b, 7, 7) -k4s2-> (B, b, 14, 14) -k4s2-> (B, C, 28, 28)
  D: (B, C, 28, 28) -k4s2-> (B, b, 14, 14) -k4s2-> (B, 2b, 7, 7) -k7-> (B, 1, 1, 1) logit
For 32 / 64 the stem is 4x4 (as in the paper) and there are 3 / 4 stride-2 stages.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from torch import Tensor, nn

from gan_core.training.family import check_finite

SIZES = (28, 32, 64)


@dataclass(frozen=True)
class DCGANConfig:
    z_dim: int = 64
    g_base: int = 32  # channels of G's last hidden layer; doubles towards the stem
    d_base: int = 32  # channels of D's first layer; doubles with each stride-2 stage
    batchnorm: bool = True
    leaky_slope: float = 0.2
    img_channels: int = 1  # 3 for colour image folders
    img_size: int = 28  # one of SIZES
    d_norm: bool | None = None  # BatchNorm in D; None: the same as ``batchnorm`` (G's)

    def __post_init__(self) -> None:
        check_finite(self)
        if self.img_size not in SIZES:
            raise ValueError(f"DCGANConfig.img_size must be one of {SIZES}, got {self.img_size}")
        for name, top in (("z_dim", 1024), ("g_base", 1024), ("d_base", 1024), ("img_channels", 16)):
            if not 1 <= getattr(self, name) <= top:
                raise ValueError(f"DCGANConfig.{name} must be between 1 and {top}, got {getattr(self, name)}")

    @property
    def d_batchnorm(self) -> bool:
        """Whether D normalises over the batch (then WGAN-GP's per-sample penalty is refused)."""
        return self.batchnorm if self.d_norm is None else self.d_norm

    @property
    def stem(self) -> int:
        """Side of the first feature map: 7 for 28 (7 * 2 * 2), 4 for 32 and 64."""
        return 7 if self.img_size == 28 else 4

    @property
    def n_up(self) -> int:
        """Number of stride-2 stages: 2 for 28, 3 for 32, 4 for 64."""
        return (self.img_size // self.stem).bit_length() - 1


def init_weights(module: nn.Module) -> None:
    """DCGAN initialisation (paper, section 4): conv weights ~ N(0, 0.02), BatchNorm
    gamma ~ N(1, 0.02), all biases 0. Use as ``net.apply(init_weights)``."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def _norm(channels: int, on: bool) -> nn.Module:
    return nn.BatchNorm2d(channels) if on else nn.Identity()


class Generator(nn.Module):
    """G(z, y=None) -> images (B, C, H, W) in [-1, 1]; z is (B, z_dim); ``y`` is ignored."""

    def __init__(self, *, config: DCGANConfig) -> None:
        super().__init__()
        self.config = config
        bn, n = config.batchnorm, config.n_up
        ch = [config.g_base * 2 ** (n - 1 - i) for i in range(n)]  # e.g. [64, 32] for 28
        layers: list[nn.Module] = [
            # "project and reshape": (B, z, 1, 1) -> (B, ch[0], stem, stem)
            nn.ConvTranspose2d(config.z_dim, ch[0], config.stem, 1, 0, bias=not bn),
            _norm(ch[0], bn),
            nn.ReLU(),
        ]
        for c_in, c_out in itertools.pairwise(ch):  # each stage doubles H and W
            layers += [
                nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=not bn),
                _norm(c_out, bn),
                nn.ReLU(),
            ]
        # output layer: no BN, Tanh puts pixels in [-1, 1] like the data
        layers += [nn.ConvTranspose2d(ch[-1], config.img_channels, 4, 2, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)
        self.apply(init_weights)

    def forward(self, z: Tensor, y: Tensor | None = None) -> Tensor:
        return self.net(z.view(z.shape[0], -1, 1, 1))  # (B, C, img_size, img_size)


class Discriminator(nn.Module):
    """D(x, y=None) -> logits (B,); ``y`` is ignored."""

    def __init__(self, *, config: DCGANConfig) -> None:
        super().__init__()
        self.config = config
        bn, n, slope = config.d_batchnorm, config.n_up, config.leaky_slope
        ch = [config.d_base * 2**i for i in range(n)]  # e.g. [32, 64] for 28
        # first layer sees raw pixels: no BN there (paper)
        layers: list[nn.Module] = [
            nn.Conv2d(config.img_channels, ch[0], 4, 2, 1),
            nn.LeakyReLU(slope),
        ]
        for c_in, c_out in itertools.pairwise(ch):  # each stage halves H and W, no pooling
            layers += [
                nn.Conv2d(c_in, c_out, 4, 2, 1, bias=not bn),
                _norm(c_out, bn),
                nn.LeakyReLU(slope),
            ]
        # (B, ch[-1], stem, stem) -> (B, 1, 1, 1): one logit per image, no Sigmoid
        layers.append(nn.Conv2d(ch[-1], 1, config.stem, 1, 0))
        self.net = nn.Sequential(*layers)
        self.apply(init_weights)

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        return self.net(x).flatten()  # (B,)
