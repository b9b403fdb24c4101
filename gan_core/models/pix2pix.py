"""pix2pix generator for small images: a U-Net (Ronneberger et al. 2015; Isola et al. 2017).

An encoder halves the image ``n_down`` times with k4 s2 p1 convs; a decoder doubles it back with
k4 s2 p1 transposed convs (k divisible by s: no uneven overlap). The U-Net trick: decoder level i
also gets the encoder's features of the same size, concatenated as channels, so fine detail
(where the strokes are) need not squeeze through the bottleneck. ``skips=False`` gives the plain
encoder-decoder of the pre-pix2pix papers, same layers otherwise, for the side-by-side lesson.

Shapes for img_size=28, n_down=2, base=b (skips on; C_in e.g. 2 = digit + mask):
  encoder  x (B, C_in, 28, 28) -> e1 (B, b, 14, 14) -> e2 (B, 2b, 7, 7)
  bottleneck e2 -k7-> (B, 4b, 1, 1) -k7 transposed-> (B, 2b, 7, 7)   whole-image code, like pix2pix's
             1x1 innermost layer, and the same 7x7 layers as this app's DCGAN stem
  decoder  [bottleneck ; e2] (B, 4b, 7, 7) -> (B, b, 14, 14); [that ; e1] (B, 2b, 14, 14)
           -> (B, C_out, 28, 28), Tanh: pixels in [-1, 1]
Works on any img_size divisible by 2 ** n_down (28 and 32 with n_down=2; 32 with n_down up to 5).
The bottleneck gives every output pixel the whole image as context (completing the lower half of a
digit needs its upper half). Dropout (pix2pix: 0.5 on its inner decoder layers, kept on at test time
as its only noise source) follows the bottleneck and every decoder level but the output one; like any
nn.Dropout it acts in train mode only, so keep G in train mode to sample with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from gan_core.models._checks import check_fields
from gan_core.models.dcgan import init_weights
from gan_core.models.patchgan import NORMS, norm_layer


@dataclass(frozen=True)
class UNetConfig:
    in_channels: int = 1  # channels of x (2 for completion: digit with hidden rows + mask)
    out_channels: int = 1
    base: int = 32  # channels of the first encoder level (pix2pix's ngf, 64 there)
    n_down: int = 2  # stride-2 levels; img_size must be divisible by 2 ** n_down
    bottleneck: bool = True  # add the whole-image 1x1 code below the last level
    skips: bool = True  # False: plain encoder-decoder (the course's "before the U-Net trick")
    norm: str = "batch"  # one of patchgan.NORMS
    dropout: float = 0.0  # after the bottleneck and every decoder level but the output (pix2pix: 0.5)
    img_size: int = 28

    def __post_init__(self) -> None:
        check_fields(
            self,
            ints={"in_channels": (1, 8), "out_channels": (1, 8), "base": (1, 256), "n_down": (1, 6),
                  "img_size": (2, 512)},
            floats={"dropout": (0.0, 0.9)},
            choices={"norm": NORMS},
            bools=("bottleneck", "skips"),
        )
        if self.img_size % 2**self.n_down:
            raise ValueError(f"UNetConfig.img_size ({self.img_size}) must be divisible by 2 ** n_down "
                             f"= {2**self.n_down}")

    def channels(self, level: int) -> int:
        """Encoder channels after level ``level`` (1-based): base * 2^(level-1), capped at 8 * base."""
        return self.base * min(2 ** (level - 1), 8)


class UNetGenerator(nn.Module):
    """G(x) -> y (B, out_channels, H, W) in [-1, 1], same H, W as x."""

    def __init__(self, *, config: UNetConfig) -> None:
        super().__init__()
        self.config = config
        n, norm, ch = config.n_down, config.norm, config.channels
        bias = norm != "batch"
        self.down = nn.ModuleList()
        for i in range(1, n + 1):  # level i: (B, ch(i-1), s, s) -> (B, ch(i), s/2, s/2)
            c_in = config.in_channels if i == 1 else ch(i - 1)
            self.down.append(nn.Sequential(
                nn.Conv2d(c_in, ch(i), 4, 2, 1, bias=bias or i == 1),
                norm_layer(norm, ch(i)) if i > 1 else nn.Identity(),  # raw pixels are not normalised
                nn.LeakyReLU(0.2),
            ))
        self.middle: nn.Module = nn.Identity()
        if config.bottleneck:
            side, c = config.img_size // 2**n, ch(n)
            self.middle = nn.Sequential(
                nn.Conv2d(c, 2 * c, side), nn.ReLU(),  # (B, 2c, 1, 1): no norm on a 1x1 map
                nn.ConvTranspose2d(2 * c, c, side, bias=bias), norm_layer(norm, c), nn.ReLU(),
                nn.Dropout(config.dropout) if config.dropout > 0 else nn.Identity(),
            )
        self.up = nn.ModuleList()
        for i in range(n, 0, -1):  # level i: (B, *, s/2, s/2) -> (B, ch(i-1) or C_out, s, s)
            c_in = ch(i) * (2 if self._concat(i) else 1)
            if i == 1:
                self.up.append(nn.Sequential(nn.ConvTranspose2d(c_in, config.out_channels, 4, 2, 1), nn.Tanh()))
                continue
            self.up.append(nn.Sequential(
                nn.ConvTranspose2d(c_in, ch(i - 1), 4, 2, 1, bias=bias), norm_layer(norm, ch(i - 1)), nn.ReLU(),
                nn.Dropout(config.dropout) if config.dropout > 0 else nn.Identity(),
            ))
        self.apply(init_weights)

    def _concat(self, level: int) -> bool:
        """Whether decoder level ``level`` gets encoder features: with skips, every level except the
        innermost one when there is no bottleneck (there the input IS the encoder output)."""
        return self.config.skips and (self.config.bottleneck or level != self.config.n_down)

    def forward(self, x: Tensor) -> Tensor:
        feats = []
        h = x
        for block in self.down:
            h = block(h)
            feats.append(h)  # e1 (B, b, 14, 14), e2 (B, 2b, 7, 7) for 28 px
        h = self.middle(h)
        for block, level in zip(self.up, range(self.config.n_down, 0, -1)):
            if self._concat(level):
                h = torch.cat([h, feats[level - 1]], dim=1)  # the skip: same-size encoder features
            h = block(h)
        return h  # (B, out_channels, H, W) in [-1, 1]
