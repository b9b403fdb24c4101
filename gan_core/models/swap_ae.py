"""The autoencoder route of a face swap: one shared encoder, one decoder per identity.

This is the structure of the original "deepfakes"/faceswap tool: every identity is encoded by the
SAME encoder E, and identity k has its own decoder D_k trained only to rebuild k's pictures,
    x_k ~ D_k(E(x_k))      (reconstruction, L1 as faceswap uses)
A swap feeds one identity's code to the other's decoder: D_B(E(x_A)). Because E is shared and its
code is small, the code is pushed to hold what both identities have in common (here: which digit,
its slant, thickness and position; for faces: pose, expression, lighting) while each decoder
supplies its identity's look (handwritten vs typeset strokes; for faces: the person).

Shapes (img 28x28, base b):
  E: (B, 1, 28, 28) -k4s2-> (B, b, 14, 14) -k4s2-> (B, 2b, 7, 7) -> code
     code "vector": flatten -> Linear -> (B, code_dim)      (faceswap's dense bottleneck)
     code "spatial": 1x1 conv -> (B, code_channels, 7, 7)  (keeps where things are by construction)
  D_k: code -> (B, 2b, 7, 7) -k4s2-> (B, b, 14, 14) -k4s2-> (B, 1, 28, 28), Tanh ([-1, 1] like the data)
No BatchNorm: A's and B's batches go through E separately, and per-batch statistics would tell the
decoders which identity they are looking at, a shortcut around the shared code.

The "GAN route" adds a discriminator per identity that judges D_k's outputs against real k
pictures (`build_discriminators`): a DCGAN D without BatchNorm from ``dcgan.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from gan_core.models import dcgan

CODES = ("vector", "spatial")


@dataclass(frozen=True)
class SwapAEConfig:
    identities: tuple[str, ...] = ("A", "B")  # one decoder each; A = handwritten, B = typeset here
    base: int = 32  # channels after the first stride-2 conv; doubles once
    code: str = "vector"  # one of CODES
    code_dim: int = 16  # small on purpose: what the code cannot hold, each decoder must supply itself
    code_channels: int = 4  # channels of the spatial code (7x7 map)
    leaky_slope: float = 0.2
    img_channels: int = 1
    img_size: int = 28  # two stride-2 stages: 28 -> 14 -> 7

    def __post_init__(self) -> None:
        object.__setattr__(self, "identities", tuple(self.identities))  # a JSON sidecar gives a list
        if len(self.identities) < 2 or len(set(self.identities)) != len(self.identities):
            raise ValueError(f"SwapAEConfig.identities must be >= 2 distinct names, got {self.identities}")
        for name in self.identities:
            if not isinstance(name, str) or not name.isidentifier():
                raise ValueError(f"SwapAEConfig.identities must be identifier strings, got {name!r}")
        if self.code not in CODES:
            raise ValueError(f"SwapAEConfig.code must be one of {CODES}, got {self.code!r}")
        for name in ("base", "code_dim", "code_channels", "img_channels", "img_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"SwapAEConfig.{name} must be an integer >= 1, got {value!r}")
        if self.img_size % 4:
            raise ValueError(f"SwapAEConfig.img_size must be divisible by 4, got {self.img_size}")
        if not (math.isfinite(self.leaky_slope) and 0.0 <= self.leaky_slope < 1.0):
            raise ValueError(f"SwapAEConfig.leaky_slope must be finite in [0, 1), got {self.leaky_slope}")

    @property
    def side(self) -> int:
        """Side of the bottleneck feature map: 7 for 28x28 images."""
        return self.img_size // 4

    @property
    def code_shape(self) -> tuple[int, ...]:
        """Shape of one code: (code_dim,) or (code_channels, side, side)."""
        if self.code == "vector":
            return (self.code_dim,)
        return (self.code_channels, self.side, self.side)


class Encoder(nn.Module):
    """E(x) -> code; x (B, C, H, W) in [-1, 1]."""

    def __init__(self, *, config: SwapAEConfig) -> None:
        super().__init__()
        b, s = config.base, config.side
        self.config = config
        self.body = nn.Sequential(
            nn.Conv2d(config.img_channels, b, 4, 2, 1),  # (B, b, 14, 14)
            nn.LeakyReLU(config.leaky_slope),
            nn.Conv2d(b, 2 * b, 4, 2, 1),  # (B, 2b, 7, 7)
            nn.LeakyReLU(config.leaky_slope),
        )
        if config.code == "vector":
            self.head: nn.Module = nn.Sequential(nn.Flatten(), nn.Linear(2 * b * s * s, config.code_dim))
        else:
            self.head = nn.Conv2d(2 * b, config.code_channels, 1)  # (B, code_channels, 7, 7)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x))  # (B, *code_shape)


class Decoder(nn.Module):
    """D_k(code) -> images (B, C, H, W) in [-1, 1]."""

    def __init__(self, *, config: SwapAEConfig) -> None:
        super().__init__()
        b, s = config.base, config.side
        self.config = config
        if config.code == "vector":
            self.stem: nn.Module = nn.Sequential(nn.Linear(config.code_dim, 2 * b * s * s), nn.Unflatten(1, (2 * b, s, s)))
        else:
            self.stem = nn.Conv2d(config.code_channels, 2 * b, 1)  # (B, 2b, 7, 7)
        self.body = nn.Sequential(
            nn.ReLU(),
            nn.ConvTranspose2d(2 * b, b, 4, 2, 1),  # (B, b, 14, 14)
            nn.ReLU(),
            nn.ConvTranspose2d(b, config.img_channels, 4, 2, 1),  # (B, C, 28, 28)
            nn.Tanh(),
        )

    def forward(self, code: Tensor) -> Tensor:
        return self.body(self.stem(code))


class SwapAutoencoder(nn.Module):
    """Shared encoder + one decoder per identity.

    ``model(x, "A")`` reconstructs A's pictures with A's decoder; ``model.swap(x, to="B")`` decodes
    the same code with B's decoder (x is meant to be A's picture).
    """

    def __init__(self, *, config: SwapAEConfig | None = None) -> None:
        super().__init__()
        self.config = config or SwapAEConfig()
        self.encoder = Encoder(config=self.config)
        self.decoders = nn.ModuleDict({k: Decoder(config=self.config) for k in self.config.identities})

    def _check(self, identity: str) -> str:
        if identity not in self.decoders:
            raise KeyError(f"unknown identity {identity!r}; valid: {', '.join(self.config.identities)}")
        return identity

    def encode(self, x: Tensor) -> Tensor:
        return self.encoder(x)  # (B, *code_shape)

    def decode(self, code: Tensor, identity: str) -> Tensor:
        return self.decoders[self._check(identity)](code)  # (B, C, H, W)

    def forward(self, x: Tensor, identity: str) -> Tensor:
        """Reconstruction D_identity(E(x)): the training path for pictures of `identity`."""
        return self.decode(self.encode(x), identity)

    def swap(self, x: Tensor, *, to: str = "B") -> Tensor:
        """The face swap: encode with the shared encoder, decode with `to`'s decoder."""
        return self.decode(self.encode(x), to)


def reconstruction_loss(recon: Tensor, target: Tensor) -> Tensor:
    """Mean absolute error (L1), the autoencoder loss of faceswap: mean |D_k(E(x_k)) - x_k|.

    L1 rather than L2 keeps edges sharper (L2 averages plausible outputs into blur), the same reason
    pix2pix pairs its GAN term with L1 (Isola et al. 2017)."""
    if recon.shape != target.shape:
        raise ValueError(f"shape mismatch: {tuple(recon.shape)} vs {tuple(target.shape)}")
    return (recon - target).abs().mean()


def random_warp(x: Tensor, *, strength: float = 1.5, grid: int = 4, generator: torch.Generator | None = None) -> Tensor:
    """Smooth random elastic warp of a batch (B, C, H, W), each image its own field.

    faceswap trains D_k(E(warp(x_k))) ~ x_k: the code of a warped picture no longer pins down k's
    exact strokes, so D_k learns to draw them itself, which is what makes D_B turn A's code into a
    B-looking picture. `strength` is the displacement sd in pixels; `grid` the control points per side.
    """
    if not (math.isfinite(strength) and strength >= 0.0) or grid < 2:
        raise ValueError(f"strength must be finite >= 0 and grid >= 2, got {strength}, {grid}")
    b, _, h, w = x.shape
    coarse = torch.randn((b, 2, grid, grid), generator=generator, device=x.device, dtype=x.dtype)
    flow = nn.functional.interpolate(coarse, size=(h, w), mode="bicubic", align_corners=True)  # (B, 2, H, W)
    flow = flow * strength * torch.tensor([2.0 / w, 2.0 / h], device=x.device, dtype=x.dtype).view(1, 2, 1, 1)
    ys = torch.linspace(-1 + 1 / h, 1 - 1 / h, h, device=x.device, dtype=x.dtype)
    xs = torch.linspace(-1 + 1 / w, 1 - 1 / w, w, device=x.device, dtype=x.dtype)
    base = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)  # (H, W, 2) as (x, y)
    field = base.unsqueeze(0) + flow.permute(0, 2, 3, 1)  # (B, H, W, 2)
    # padding "border": background pixels (-1) come in at the edges, not zeros (mid-grey)
    return nn.functional.grid_sample(x, field, mode="bilinear", padding_mode="border", align_corners=False)


def build_discriminators(*, config: SwapAEConfig, d_base: int = 16) -> nn.ModuleDict:
    """One small DCGAN discriminator per identity (logits (B,)), for the adversarial variant:
    D_k learns to tell real k pictures from D_k(E(.)) outputs and its loss sharpens the decoder.
    BatchNorm is off for the same reason as in the autoencoder (a batch of one identity at a time)."""
    if d_base < 1:
        raise ValueError(f"d_base must be >= 1, got {d_base}")
    if config.img_size not in dcgan.SIZES:
        raise ValueError(f"discriminators need img_size in {dcgan.SIZES}, got {config.img_size}")
    dcfg = dcgan.DCGANConfig(d_base=d_base, batchnorm=False, img_channels=config.img_channels,
                             img_size=config.img_size, leaky_slope=config.leaky_slope)
    return nn.ModuleDict({k: dcgan.Discriminator(config=dcfg) for k in config.identities})


__all__ = [
    "CODES",
    "Decoder",
    "Encoder",
    "SwapAEConfig",
    "SwapAutoencoder",
    "build_discriminators",
    "random_warp",
    "reconstruction_loss",
]
