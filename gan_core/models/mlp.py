"""The course's fully connected GAN for 28x28 digits, logits out.

The layers follow the PyTorch notebook of the course's "Introduction of GAN" lecture (the teaching
assistant's MNIST demo; the multimedia course's lecture 12 has no code):
G: z (128) -> 1024 -> 1024 -> 784, ReLU between layers, Tanh at the end (pixels in [-1, 1]).
D: 784 -> 256 -> 256 -> 1, LeakyReLU(0.2), and *no* Sigmoid: D returns the logit and the
losses in ``gan_core.losses`` apply the sigmoid inside a numerically stable log.

Noise: the notebook draws its test-time z from U[-1, 1]^128; here every trainer, metric and page
draws z ~ N(0, I) (``Trainer._noise``), so a model trained here expects Gaussian z.

``batchnorm=True`` inserts BatchNorm1d after each hidden Linear of G. The notebook has none; the
idea comes from the course's Keras GAN lecture (a smaller G, 256 -> 512 -> 784, with BatchNorm),
which shows why it matters: without it the generator tends to settle on the strokes that are
easiest to fake (mostly 0s and 1s); normalising each hidden layer over the batch keeps the hidden
units spread out and the digits more varied. D never uses BN here (nor in the notebook).
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor, nn

from gan_core.training.family import check_finite


@dataclass(frozen=True)
class MLPConfig:
    z_dim: int = 128  # noise size, as in the notebook (its z ~ U[-1, 1]; ours z ~ N(0, I))
    g_hidden: int = 1024  # width of both hidden layers of G
    d_hidden: int = 256  # width of both hidden layers of D
    batchnorm: bool = False  # BatchNorm1d after G's hidden Linears
    leaky_slope: float = 0.2  # LeakyReLU negative slope in D
    img_channels: int = 1
    img_size: int = 28

    def __post_init__(self) -> None:
        check_finite(self)
        for name, top in (("z_dim", 1024), ("g_hidden", 8192), ("d_hidden", 8192), ("img_channels", 4),
                          ("img_size", 256)):
            if not 1 <= getattr(self, name) <= top:
                raise ValueError(f"MLPConfig.{name} must be between 1 and {top}, got {getattr(self, name)}")

    @property
    def d_batchnorm(self) -> bool:
        """D never normalises here (``batchnorm`` is G's switch), so WGAN-GP is always allowed."""
        return False

    @property
    def img_shape(self) -> tuple[int, int, int]:
        return (self.img_channels, self.img_size, self.img_size)


def _hidden(n_in: int, n_out: int, *, batchnorm: bool) -> list[nn.Module]:
    # a Linear followed by BN needs no bias: BN's beta takes its role
    layers: list[nn.Module] = [nn.Linear(n_in, n_out, bias=not batchnorm)]
    if batchnorm:
        layers.append(nn.BatchNorm1d(n_out))
    layers.append(nn.ReLU())
    return layers


class Generator(nn.Module):
    """G(z, y=None) -> images (B, C, H, W) in [-1, 1]; ``y`` is ignored (unconditional)."""

    def __init__(self, *, config: MLPConfig) -> None:
        super().__init__()
        self.config = config
        c = config.g_hidden
        n_pixels = config.img_channels * config.img_size * config.img_size  # 784 for MNIST
        self.net = nn.Sequential(
            *_hidden(config.z_dim, c, batchnorm=config.batchnorm),  # (B, 1024)
            *_hidden(c, c, batchnorm=config.batchnorm),  # (B, 1024)
            nn.Linear(c, n_pixels),  # (B, 784)
            nn.Tanh(),
        )

    def forward(self, z: Tensor, y: Tensor | None = None) -> Tensor:
        return self.net(z).view(z.shape[0], *self.config.img_shape)  # (B, 1, 28, 28)


class Discriminator(nn.Module):
    """D(x, y=None) -> logits (B,); ``y`` is ignored (unconditional)."""

    def __init__(self, *, config: MLPConfig) -> None:
        super().__init__()
        self.config = config
        c = config.d_hidden
        n_pixels = config.img_channels * config.img_size * config.img_size
        self.net = nn.Sequential(
            nn.Flatten(),  # (B, 784)
            nn.Linear(n_pixels, c),
            nn.LeakyReLU(config.leaky_slope),  # 0.2: keeps a gradient for negative inputs
            nn.Linear(c, c),
            nn.LeakyReLU(config.leaky_slope),
            nn.Linear(c, 1),  # (B, 1) logit, no Sigmoid
        )

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        return self.net(x).squeeze(1)  # (B,)
