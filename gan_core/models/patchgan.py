"""PatchGAN discriminators (Isola et al., pix2pix, CVPR 2017): one logit per patch, not per image.

D(x, y) judges whether y is a real translation of x: the condition x and the candidate y are
stacked as channels, (B, C_x + C_y, H, W), and D returns a map of UNBOUNDED logits (B, 1, h, w),
one per output cell, each judging only the input patch in its receptive field (average the loss
over the map; use BCE-with-logits, never a Sigmoid here). Three kinds, so patch size is a lesson:

  kind="pixel": three 1x1 convs (the paper's PixelGAN), field 1 px, map (B, 1, 28, 28)
  kind="patch": the official NLayerDiscriminator shape, kernel 4, padding 1: ``n_layers`` stride-2
                convs, one stride-1 conv, the stride-1 output conv. On 28 px:
                  n_layers=1: field 16 px, map 12x12 (default: a patch about half a digit high)
                  n_layers=2: field 34 px, map 5x5 (every cell already sees most of the digit)
                  n_layers=3: field 70 px, map 1x1 (the paper's "70x70" judges all of a 28-px image)
  kind="image": ``n_layers`` k4 s2 convs, then one conv as large as the remaining map: one logit for
                the whole image (like this app's DCGAN D; n_layers=2 on 28 px: field 34 px, map 1x1)
These fields are checked against ``gan_core.receptive_field`` in tests/test_pix2pix_models.py.
Channels double per stride-2 layer up to 8 * base; LeakyReLU(0.2); no normalisation on the first
layer (pix2pix, after DCGAN); conv biases only where no BatchNorm follows.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from gan_core.models._checks import check_fields
from gan_core.models.dcgan import init_weights
from gan_core.receptive_field import Layer

KINDS = ("pixel", "patch", "image")
NORMS = ("batch", "instance", "none")


@dataclass(frozen=True)
class PatchGANConfig:
    kind: str = "patch"  # one of KINDS
    n_layers: int = 1  # stride-2 layers ("patch", "image"); ignored for "pixel"
    base: int = 16  # first-layer channels (pix2pix's ndf: 64); 32 doubles a 28-px pix2pix step on CPU
    x_channels: int = 1  # channels of the condition x (e.g. 2: digit + mask)
    y_channels: int = 1  # channels of the judged image y
    conditional: bool = True  # False: D(y) alone (an unconditional GAN loss, the paper's "GAN" row)
    norm: str = "batch"  # one of NORMS
    leaky_slope: float = 0.2
    img_size: int = 28

    def __post_init__(self) -> None:
        check_fields(
            self,
            ints={"n_layers": (0, 6), "base": (1, 512), "x_channels": (1, 8), "y_channels": (1, 8),
                  "img_size": (4, 512)},
            floats={"leaky_slope": (0.0, 0.99)},
            choices={"kind": KINDS, "norm": NORMS},
            bools=("conditional",),
        )
        if self.kind != "pixel" and self.n_layers < 1:
            raise ValueError(f"PatchGANConfig.n_layers must be >= 1 for kind {self.kind!r}")
        if self.kind == "image" and self.img_size % 2**self.n_layers:
            raise ValueError(f"PatchGANConfig: kind 'image' needs img_size divisible by 2**n_layers "
                             f"= {2**self.n_layers}, got {self.img_size}")
        if self.kind == "patch" and self.img_size // 2**self.n_layers < 3:
            raise ValueError(f"PatchGANConfig: {self.n_layers} stride-2 layers leave no output map "
                             f"on {self.img_size} px (at most {max_patch_layers(self.img_size)})")

    @property
    def in_channels(self) -> int:
        return self.x_channels + self.y_channels if self.conditional else self.y_channels


def max_patch_layers(img_size: int) -> int:
    """Most stride-2 layers a "patch" D can have on img_size px (two k4 s1 p1 convs need side >= 3)."""
    n = 0
    while img_size // 2 ** (n + 1) >= 3:
        n += 1
    return n


def layer_table(config: PatchGANConfig) -> tuple[Layer, ...]:
    """The conv layers of the D that ``config`` builds, for ``gan_core.receptive_field``."""
    if config.kind == "pixel":
        return (Layer(kernel=1),) * 3
    down = (Layer(kernel=4, stride=2, padding=1),) * config.n_layers
    if config.kind == "patch":
        return down + (Layer(kernel=4, stride=1, padding=1),) * 2
    return down + (Layer(kernel=config.img_size // 2**config.n_layers),)


def norm_layer(kind: str, channels: int) -> nn.Module:
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "instance":
        return nn.InstanceNorm2d(channels)  # affine=False, per-image statistics (pix2pix's "instance")
    return nn.Identity()


class PatchDiscriminator(nn.Module):
    """D(x, y) -> logits (B, 1, h, w); with conditional=False, D(y) (x may be None)."""

    def __init__(self, *, config: PatchGANConfig) -> None:
        super().__init__()
        self.config = config
        c, slope, norm = config.base, config.leaky_slope, config.norm
        bias = norm != "batch"  # BatchNorm's shift makes a conv bias redundant
        layers: list[nn.Module]
        if config.kind == "pixel":  # 1x1 convs: every pixel judged on its own colour(s)
            layers = [nn.Conv2d(config.in_channels, c, 1), nn.LeakyReLU(slope),
                      nn.Conv2d(c, 2 * c, 1, bias=bias), norm_layer(norm, 2 * c), nn.LeakyReLU(slope),
                      nn.Conv2d(2 * c, 1, 1)]
        else:
            table = layer_table(config)
            chans = [config.in_channels] + [c * min(2**i, 8) for i in range(len(table) - 1)] + [1]
            layers = []
            for i, layer in enumerate(table):
                last = i == len(table) - 1
                layers.append(nn.Conv2d(chans[i], chans[i + 1], layer.kernel, layer.stride, layer.padding,
                                        bias=bias or i == 0 or last))
                if not last:  # the output conv gives raw logits: no norm, no activation
                    layers += [norm_layer(norm, chans[i + 1]) if i > 0 else nn.Identity(), nn.LeakyReLU(slope)]
        self.net = nn.Sequential(*layers)
        self.apply(init_weights)

    def forward(self, x: Tensor | None, y: Tensor) -> Tensor:
        if self.config.conditional:
            if x is None:
                raise ValueError("a conditional PatchGAN needs the condition x")
            y = torch.cat([x, y], dim=1)  # (B, C_x + C_y, H, W): "is y a real translation of x?"
        return self.net(y)  # (B, 1, h, w) logits
