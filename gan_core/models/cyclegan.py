"""CycleGAN's networks (Zhu, Park, Isola & Efros, "Unpaired Image-to-Image Translation using
Cycle-Consistent Adversarial Networks", ICCV 2017): the ResNet-block generator and the image pool.

Two generators G: A -> B and F: B -> A, each a ``ResnetGenerator`` (Johnson et al. 2016's
style-transfer net, as in the official code), in the paper's notation for base b:
  c7s1-b, d2b, d4b, R4b x n_blocks, u2b, ub, c7s1-3, tanh
  (B, 3, H, W) -> (B, b, H, W) -> (B, 2b, H/2, W/2) -> (B, 4b, H/4, W/4) -> ... -> (B, 3, H, W)
c7s1-k: 7x7 conv, stride 1, reflection padding 3, InstanceNorm, ReLU; dk: 3x3 conv, stride 2,
InstanceNorm, ReLU; Rk: two reflection-padded 3x3 convs with InstanceNorm and a skip connection;
uk: 3x3 transposed conv, stride 2 (the official choice; "resize" = nearest x2 + 3x3 conv avoids
its checkerboard, Odena et al. 2016). The paper uses b = 64 with 9 blocks for 256 px and 6 for
128 px; on a 2-core CPU b = 16..32 with 4..6 blocks is what fits in a class.

Fully convolutional: any H x W works; the forward pass pads to a multiple of 4 (the two stride-2
stages) and crops back, so the output always has the input's size.

InstanceNorm (affine=False, no running statistics, as the official "instance" norm) normalises
each image on its own: the style of one photo does not leak into another through batch statistics,
and test-time behaviour equals training-time behaviour. Convs followed by it have no bias: the
per-channel mean subtraction removes any constant exactly.

Discriminators are the PatchGAN of ``gan_core.models.patchgan`` (``discriminator_config``).
The losses (least squares for the GAN terms, L1 for cycle and identity) live in the trainer.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gan_core.models._checks import check_fields
from gan_core.models.dcgan import init_weights  # N(0, 0.02): the official CycleGAN init too
from gan_core.models.patchgan import PatchGANConfig

UPSAMPLE = ("deconv", "resize")
MIN_SIDE = 8  # padded inputs are at least this large: the residual blocks then see >= 2x2 maps


@dataclass(frozen=True)
class ResnetGeneratorConfig:
    base: int = 32  # b: channels after the stem (the paper's ngf = 64)
    n_blocks: int = 6  # residual blocks at 1/4 resolution (paper: 6 for 128 px, 9 for 256 px)
    in_channels: int = 3
    out_channels: int = 3
    upsample: str = "deconv"  # one of UPSAMPLE

    def __post_init__(self) -> None:
        check_fields(self, ints={"base": (1, 256), "n_blocks": (0, 16), "in_channels": (1, 4),
                                 "out_channels": (1, 4)}, choices={"upsample": UPSAMPLE})


def _conv_norm_relu(c_in: int, c_out: int, kernel: int, stride: int = 1) -> list[nn.Module]:
    pad = [nn.ReflectionPad2d(kernel // 2)] if stride == 1 else []  # stride 2: zero padding 1, as official
    conv = nn.Conv2d(c_in, c_out, kernel, stride, padding=0 if stride == 1 else 1, bias=False)
    return [*pad, conv, nn.InstanceNorm2d(c_out), nn.ReLU()]


class ResidualBlock(nn.Module):
    """Rk: x + [pad, conv3, IN, ReLU, pad, conv3, IN](x); shape (B, k, h, w) kept."""

    def __init__(self, *, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            *_conv_norm_relu(channels, channels, 3),
            nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3, bias=False), nn.InstanceNorm2d(channels),
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)  # no ReLU after the sum (official code)


def _up(c_in: int, c_out: int, mode: str) -> list[nn.Module]:
    if mode == "deconv":  # (h, w) -> (2h, 2w): k3, s2, padding 1, output_padding 1
        layer: list[nn.Module] = [nn.ConvTranspose2d(c_in, c_out, 3, 2, padding=1, output_padding=1, bias=False)]
    else:
        layer = [nn.Upsample(scale_factor=2, mode="nearest"), nn.ReflectionPad2d(1),
                 nn.Conv2d(c_in, c_out, 3, bias=False)]
    return [*layer, nn.InstanceNorm2d(c_out), nn.ReLU()]


class ResnetGenerator(nn.Module):
    """G(x) -> (B, out_channels, H, W) in [-1, 1] for x (B, in_channels, H, W) of any H, W >= 1."""

    def __init__(self, *, config: ResnetGeneratorConfig) -> None:
        super().__init__()
        self.config = config
        b = config.base
        self.net = nn.Sequential(
            *_conv_norm_relu(config.in_channels, b, 7),  # c7s1-b      (B, b, H, W)
            *_conv_norm_relu(b, 2 * b, 3, stride=2),  # d2b              (B, 2b, H/2, W/2)
            *_conv_norm_relu(2 * b, 4 * b, 3, stride=2),  # d4b          (B, 4b, H/4, W/4)
            *[ResidualBlock(channels=4 * b) for _ in range(config.n_blocks)],  # R4b x n
            *_up(4 * b, 2 * b, config.upsample),  # u2b                  (B, 2b, H/2, W/2)
            *_up(2 * b, b, config.upsample),  # ub                       (B, b, H, W)
            nn.ReflectionPad2d(3), nn.Conv2d(b, config.out_channels, 7),  # c7s1-3, with bias
            nn.Tanh(),
        )
        self.apply(init_weights)

    def forward(self, x: Tensor) -> Tensor:
        h, w = x.shape[-2:]
        ph, pw = _pad_to(h) - h, _pad_to(w) - w
        if ph or pw:  # reflect when the side allows it (pad < side), else repeat the border
            mode = "reflect" if ph < h and pw < w else "replicate"
            x = F.pad(x, (0, pw, 0, ph), mode=mode)
        return self.net(x)[..., :h, :w]  # (B, out_channels, H, W)


def _pad_to(side: int) -> int:
    """Smallest multiple of 4 that is >= max(side, MIN_SIDE)."""
    return max(MIN_SIDE, -(-side // 4) * 4)


def discriminator_config(*, base: int = 32, n_layers: int = 3, channels: int = 3,
                         img_size: int = 128) -> PatchGANConfig:
    """CycleGAN's D: an unconditional PatchGAN with InstanceNorm; n_layers=3 is the paper's 70x70."""
    return PatchGANConfig(kind="patch", n_layers=n_layers, base=base, x_channels=channels,
                          y_channels=channels, conditional=False, norm="instance", img_size=img_size)


class ImagePool:
    """History of generated images (Shrivastava et al. 2017; CycleGAN section 4), size 50 in the paper.

    D is updated on ``pool.query(fakes)``: while the pool fills, each new fake is stored and
    returned; once full, each fake is returned as it is with probability 1 - p_history, otherwise
    a random stored fake is returned in its place and the new one takes its slot. D then also
    sees older generators' mistakes, which damps the oscillation between G and D.
    Seeded (its own torch.Generator): the same seed and inputs give the same answers.
    """

    def __init__(self, *, size: int = 50, seed: int = 0, p_history: float = 0.5) -> None:
        if size < 0 or not 0.0 <= p_history <= 1.0:
            raise ValueError(f"ImagePool needs size >= 0 and 0 <= p_history <= 1, got {size}, {p_history}")
        self.size = size
        self.p_history = p_history
        self.images: list[Tensor] = []  # each (C, H, W), detached
        self.rng = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        return len(self.images)

    def query(self, images: Tensor) -> Tensor:
        """(B, C, H, W) fakes -> (B, C, H, W) detached: a mix of these and stored ones."""
        images = images.detach()
        if self.size == 0:
            return images
        if self.images and images.shape[1:] != self.images[0].shape:
            raise ValueError(f"ImagePool holds {tuple(self.images[0].shape)} images, got {tuple(images.shape[1:])}"
                             " (use fixed-size crops for training)")
        out = []
        for image in images:
            if len(self.images) < self.size:  # filling up: store and return the new fake
                self.images.append(image.clone())
                out.append(image)
            elif torch.rand((), generator=self.rng).item() < self.p_history:  # swap with a stored fake
                slot = int(torch.randint(self.size, (), generator=self.rng))
                out.append(self.images[slot])
                self.images[slot] = image.clone()
            else:
                out.append(image)
        return torch.stack(out)

    def state_dict(self) -> dict[str, Tensor]:
        """Contents and random state as tensors (safetensors-friendly), so a resumed run continues exactly."""
        stored = torch.stack(self.images) if self.images else torch.empty(0)
        return {"images": stored, "rng_state": self.rng.get_state()}

    def load_state_dict(self, state: dict[str, Tensor]) -> None:
        if len(state["images"]) > self.size:
            raise ValueError(f"saved pool holds {len(state['images'])} images, more than size {self.size}")
        self.images = [image.clone() for image in state["images"]]
        self.rng.set_state(state["rng_state"])
