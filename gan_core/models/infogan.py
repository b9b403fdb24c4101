"""InfoGAN (Chen et al. 2016) on the small DCGAN body: latent codes that mean something.

The latent vector (B, z_dim) is laid out as  [ noise (z_dim - n_cat - n_cont) | c1 | c2..c3 ]
  c1: categorical code, n_cat = 10 slots ("digit type" on MNIST); G uses onehot(argmax(slots)),
      so a one-hot, or plain N(0, I) noise (argmax of 10 Gaussians is uniform), both work;
  c2, c3: n_cont = 2 continuous codes, trained on U(-1, 1) (rotation and width emerge).
The paper's MNIST latent: 62 noise + 10 + 2 = 74 = z_dim.

InfoGAN adds a network Q(c | x) that recovers the codes from G(z, c) and maximises a lower
bound of the mutual information I(c; G(z, c)): L_I = E[log Q(c | G(z, c))].
Q shares D's convolutional body and adds a small head (it lives inside ``Discriminator`` so
checkpoints hold G and D only). The training step is ``gan_core.training.infogan_step``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gan_core.models import dcgan
from gan_core.training.family import check_finite


@dataclass(frozen=True)
class InfoGANConfig:
    z_dim: int = 74  # total latent size: noise + n_cat + n_cont
    n_cat: int = 10  # slots of the categorical code c1
    n_cont: int = 2  # continuous codes c2, c3
    q_hidden: int = 128
    g_base: int = 32
    d_base: int = 32
    batchnorm: bool = True
    leaky_slope: float = 0.2
    img_channels: int = 1
    img_size: int = 28

    def __post_init__(self) -> None:
        check_finite(self)
        if not 2 <= self.n_cat <= 100 or not 0 <= self.n_cont <= 16 or not 1 <= self.q_hidden <= 4096:
            raise ValueError(
                f"InfoGANConfig needs n_cat in 2..100, n_cont in 0..16 and q_hidden in 1..4096 "
                f"(got {self.n_cat}, {self.n_cont}, {self.q_hidden})"
            )
        if self.noise_dim < 1:
            raise ValueError(
                f"InfoGANConfig.z_dim ({self.z_dim}) must exceed n_cat + n_cont ({self.n_cat + self.n_cont})"
            )
        self.body()  # validates sizes via DCGANConfig

    @property
    def noise_dim(self) -> int:
        return self.z_dim - self.n_cat - self.n_cont

    @property
    def d_batchnorm(self) -> bool:
        return self.batchnorm

    def body(self) -> dcgan.DCGANConfig:
        return dcgan.DCGANConfig(
            z_dim=self.z_dim,
            g_base=self.g_base,
            d_base=self.d_base,
            batchnorm=self.batchnorm,
            leaky_slope=self.leaky_slope,
            img_channels=self.img_channels,
            img_size=self.img_size,
        )


def split_latent(z: Tensor, config: InfoGANConfig) -> tuple[Tensor, Tensor, Tensor]:
    """(noise (B, noise_dim), categorical slots (B, n_cat), continuous codes (B, n_cont))."""
    n = config.noise_dim
    return z[:, :n], z[:, n : n + config.n_cat], z[:, n + config.n_cat :]


def make_latent(noise: Tensor, cat: Tensor, cont: Tensor, config: InfoGANConfig) -> Tensor:
    """Assemble z from noise (B, noise_dim), class indices (B,) and continuous codes (B, n_cont)."""
    onehot = F.one_hot(cat.long(), config.n_cat).to(noise.dtype)
    return torch.cat([noise, onehot, cont.to(noise.dtype)], dim=1)  # (B, z_dim)


def sample_latent(
    n: int,
    config: InfoGANConfig,
    *,
    generator: torch.Generator | None = None,
    device: torch.device | str = "cpu",
) -> tuple[Tensor, Tensor, Tensor]:
    """Training draws: (z (n, z_dim), c1 indices (n,), c2..c3 (n, n_cont) ~ U(-1, 1))."""
    noise = torch.randn(n, config.noise_dim, generator=generator, device=device)
    cat = torch.randint(0, config.n_cat, (n,), generator=generator, device=device)
    cont = torch.rand(n, config.n_cont, generator=generator, device=device) * 2 - 1
    return make_latent(noise, cat, cont, config), cat, cont


class Generator(nn.Module):
    """G(z, y=None) -> (B, C, H, W) in [-1, 1]; the c1 slots of z are snapped to a one-hot."""

    def __init__(self, *, config: InfoGANConfig) -> None:
        super().__init__()
        self.config = config
        self.body = dcgan.Generator(config=config.body())

    def forward(self, z: Tensor, y: Tensor | None = None) -> Tensor:
        noise, slots, cont = split_latent(z, self.config)
        onehot = F.one_hot(slots.argmax(dim=1), self.config.n_cat).to(z.dtype)  # (B, n_cat)
        return self.body(torch.cat([noise, onehot, cont], dim=1))


class Discriminator(nn.Module):
    """D(x) -> logits (B,); ``forward_q(x)`` also returns Q's code estimates from the shared body."""

    def __init__(self, *, config: InfoGANConfig) -> None:
        super().__init__()
        self.config = config
        body = dcgan.Discriminator(config=config.body())
        self.features = body.net[:-1]  # (B, C, H, W) -> (B, 2b, stem, stem)
        self.judge = body.net[-1]  # (B, 2b, stem, stem) -> (B, 1, 1, 1) real/fake logit
        feat = self.judge.in_channels * config.body().stem ** 2
        self.q_head = nn.Sequential(  # Q(c | x): categorical logits and continuous means
            nn.Flatten(),
            nn.Linear(feat, config.q_hidden),
            nn.LeakyReLU(config.leaky_slope),
            nn.Linear(config.q_hidden, config.n_cat + config.n_cont),
        )

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        return self.judge(self.features(x)).flatten()  # (B,)

    def forward_q(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(real/fake logits (B,), c1 logits (B, n_cat), c2..c3 means (B, n_cont))."""
        h = self.features(x)
        q = self.q_head(h)
        return (
            self.judge(h).flatten(),
            q[:, : self.config.n_cat],
            q[:, self.config.n_cat :],
        )
