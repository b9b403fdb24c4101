"""Small generators that differ only in HOW they upsample: the checkerboard lesson.

Odena, Dumoulin & Olah, "Deconvolution and Checkerboard Artifacts" (Distill, 2016): a transposed
convolution with kernel k and stride s writes some output pixels more often than others unless k
is a multiple of s, and the pattern shows up already at random initialisation. Their fix: resize
(nearest neighbour) and then convolve. Three variants of one generator, same everything else:

  mode="deconv", kernel=3: ConvTranspose2d(k=3, s=2, padding=1, output_padding=1)  uneven overlap
  mode="deconv", kernel=4: ConvTranspose2d(k=4, s=2, padding=1)                    even overlap
  mode="resize":           Upsample(x2, nearest) + Conv2d(k=3, padding=1)           no overlap pattern

Shapes for img_size=28, base=b:
  z (B, z_dim) -Linear-> (B, 2b, 7, 7) -up-> (B, b, 14, 14) -up-> (B, C, 28, 28), Tanh.
The stem is a Linear layer (not a 7x7 transposed conv) so the only stride-2 structure comes from the
two upsampling stages under study. ``G(z, y=None)`` as every family, so a trainer can use them with
DCGAN's discriminator: ``UpsampleGANConfig`` + ``build_pair`` are the "upsample" family's model config
and modules (G one of the three variants, D the DCGAN discriminator).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from torch import Tensor, nn

from gan_core.models import dcgan
from gan_core.models._checks import check_fields
from gan_core.models.dcgan import init_weights

MODES = ("deconv", "resize")
# The three shipped variants: name -> (mode, kernel). "resize" always convolves with 3x3 after nearest x2.
VARIANTS: dict[str, tuple[str, int]] = {"k3": ("deconv", 3), "k4": ("deconv", 4), "resize": ("resize", 3)}


def transposed_padding(kernel: int, stride: int = 2) -> tuple[int, int]:
    """(padding, output_padding) making ConvTranspose2d(kernel, stride) map side n to exactly stride * n.

    Output side = (n - 1) * s - 2p + k + op; setting it to s * n gives k + op - 2p = s, so
    p = ceil((k - s) / 2) and op = 2p + s - k (0 or 1 < s). k=4, s=2: (1, 0); k=3, s=2: (1, 1).
    """
    if kernel < stride:
        raise ValueError(f"kernel {kernel} < stride {stride} leaves output pixels never written")
    padding = math.ceil((kernel - stride) / 2)
    return padding, 2 * padding + stride - kernel


@dataclass(frozen=True)
class UpsamplingConfig:
    z_dim: int = 64
    base: int = 32  # channels after the first upsampling stage; the stem has 2 * base
    kernel: int = 4  # transposed-conv kernel at stride 2 (mode "deconv"): 3 vs 4 is the lesson
    mode: str = "deconv"  # one of MODES
    batchnorm: bool = True
    img_channels: int = 1
    img_size: int = 28  # a multiple of 4: two stride-2 stages from img_size / 4

    def __post_init__(self) -> None:
        check_fields(
            self,
            ints={"z_dim": (1, 1024), "base": (1, 512), "kernel": (2, 8), "img_channels": (1, 4),
                  "img_size": (8, 128)},
            choices={"mode": MODES},
            bools=("batchnorm",),
        )
        if self.img_size % 4:
            raise ValueError(f"UpsamplingConfig.img_size must be a multiple of 4, got {self.img_size}")


def upsample_block(c_in: int, c_out: int, *, mode: str, kernel: int, bias: bool = True) -> nn.Module:
    """Double H and W: a stride-2 transposed conv ("deconv") or nearest x2 + 3x3 conv ("resize")."""
    if mode == "deconv":
        padding, output_padding = transposed_padding(kernel, 2)
        return nn.ConvTranspose2d(c_in, c_out, kernel, 2, padding, output_padding, bias=bias)
    if mode == "resize":
        return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c_in, c_out, 3, 1, 1, bias=bias))
    raise ValueError(f"mode must be one of {MODES}, got {mode!r}")


class Generator(nn.Module):
    """G(z, y=None) -> (B, C, img_size, img_size) in [-1, 1]; only the upsampling differs between variants."""

    def __init__(self, *, config: UpsamplingConfig) -> None:
        super().__init__()
        self.config = config
        b, bn, stem = config.base, config.batchnorm, config.img_size // 4
        self.project = nn.Linear(config.z_dim, 2 * b * stem * stem)  # z -> (B, 2b * stem^2)
        self.net = nn.Sequential(
            nn.BatchNorm2d(2 * b) if bn else nn.Identity(),
            nn.ReLU(),
            upsample_block(2 * b, b, mode=config.mode, kernel=config.kernel, bias=not bn),  # (B, b, 14, 14)
            nn.BatchNorm2d(b) if bn else nn.Identity(),
            nn.ReLU(),
            upsample_block(b, config.img_channels, mode=config.mode, kernel=config.kernel),  # (B, C, 28, 28)
            nn.Tanh(),
        )
        self.apply(init_weights)  # N(0, 0.02) as DCGAN, so "untrained" means the same for every variant

    def forward(self, z: Tensor, y: Tensor | None = None) -> Tensor:
        stem = self.config.img_size // 4
        h = self.project(z.reshape(z.shape[0], -1)).view(z.shape[0], 2 * self.config.base, stem, stem)
        return self.net(h)


@dataclass(frozen=True)
class UpsampleGANConfig:
    """The "upsample" family's model config: G = ``Generator`` in one of ``VARIANTS``, D = the DCGAN
    discriminator (the same judge for all three, so only the upsampling differs between runs)."""

    z_dim: int = 64
    g_base: int = 32
    d_base: int = 32
    variant: str = "k4"  # one of VARIANTS: k3 (uneven overlap), k4 (even), resize (no overlap pattern)
    batchnorm: bool = True
    leaky_slope: float = 0.2
    img_channels: int = 1
    img_size: int = 28  # one of dcgan.SIZES (the discriminator's)

    def __post_init__(self) -> None:
        check_fields(
            self,
            ints={"z_dim": (1, 1024), "g_base": (1, 512), "d_base": (1, 512), "img_channels": (1, 4)},
            floats={"leaky_slope": (0.0, 0.99)},
            choices={"variant": tuple(VARIANTS), "img_size": dcgan.SIZES},
            bools=("batchnorm",),
        )

    @property
    def d_batchnorm(self) -> bool:
        """Whether D normalises over the batch (WGAN-GP refuses that)."""
        return self.batchnorm

    def generator_config(self) -> UpsamplingConfig:
        mode, kernel = VARIANTS[self.variant]
        return UpsamplingConfig(z_dim=self.z_dim, base=self.g_base, kernel=kernel, mode=mode,
                                batchnorm=self.batchnorm, img_channels=self.img_channels, img_size=self.img_size)

    def discriminator_config(self) -> dcgan.DCGANConfig:
        return dcgan.DCGANConfig(z_dim=self.z_dim, d_base=self.d_base, batchnorm=self.batchnorm,
                                 leaky_slope=self.leaky_slope, img_channels=self.img_channels,
                                 img_size=self.img_size)


def build_pair(config: UpsampleGANConfig) -> dict[str, nn.Module]:
    """Fresh {"G": upsampling generator, "D": DCGAN discriminator} for one variant."""
    return {"G": Generator(config=config.generator_config()),
            "D": dcgan.Discriminator(config=config.discriminator_config())}
