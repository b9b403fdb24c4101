"""The InfoGAN training step (Chen et al. 2016): the usual GAN game plus an information term.

    min_{G,Q} max_D  V(D, G) - lambda * L_I(G, Q),   L_I = E_{c, z}[ log Q(c | G(z, c)) ]

Here Q (a head on D's body, see ``gan_core.models.infogan``) learns to read the codes back
from generated images during D's update, and G, with D and Q frozen, is rewarded when its
images make the codes easy to read. -log Q(c1 | x) is a cross-entropy for the categorical
code; for the continuous codes Q outputs the mean of a unit-variance Gaussian, so -log Q is
0.5 * (c - mu)^2 up to a constant.

D (and Q through it) sees every image through ``augment`` (DiffAugment), as in every image family.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from gan_core.losses import gradient_penalty
from gan_core.models import infogan
from gan_core.models.infogan import make_latent, sample_latent
from gan_core.training.family import SAMPLES_CODES
from gan_core.training.image_gan import _image_family, gan_builder
from gan_core.training.trainer import Trainer, descend, frozen

CAT_WEIGHT = 1.0  # lambda for c1 (the paper uses 1 for discrete codes)
CONT_WEIGHT = 0.5  # smaller for continuous codes, whose -log Q scale differs (paper, section 7)


def info_loss(cat_logits: torch.Tensor, cont_mean: torch.Tensor, cat: torch.Tensor,
              cont: torch.Tensor) -> torch.Tensor:
    """-L_I estimate: CE(c1 logits (B, n_cat), c1 (B,)) + 0.5 * mean (c - mu)^2 over (B, n_cont)."""
    loss = CAT_WEIGHT * F.cross_entropy(cat_logits, cat)
    if cont.shape[1]:
        loss = loss + CONT_WEIGHT * 0.5 * (cont - cont_mean).pow(2).sum(dim=1).mean()
    return loss


class InfoGANTrainer(Trainer):
    """Trainer whose noise carries codes c and whose two updates add the information term."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        mc = self.model_config
        fixed = torch.Generator(device=self.device).manual_seed(self.config.seed + 2)
        n = self.config.grid_n
        noise = torch.randn(n, mc.noise_dim, generator=fixed, device=self.device)
        cont = torch.rand(n, mc.n_cont, generator=fixed, device=self.device) * 2 - 1
        cat = torch.arange(n, device=self.device) % mc.n_cat  # each grid row cycles through c1
        self.fixed_z = make_latent(noise, cat, cont, mc)
        self.last_info_loss = torch.zeros(())

    def _codes(self, n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return sample_latent(n, self.model_config, generator=self.rng, device=self.device)

    def _update_d(self) -> dict[str, torch.Tensor]:
        cfg = self.config
        x, _ = self.sampler.sample(cfg.batch_size)  # (B, C, H, W) in [-1, 1]
        z, cat, cont = self._codes(cfg.batch_size)
        with torch.no_grad():
            fake = self.G(z)  # fake.detach(): G gets no gradient in D's update
        real_in = self.real_input(x)  # augmented; records gradients when R1 is on
        real_logits = self.D(real_in)
        fake_logits, cat_logits, cont_mean = self.D.forward_q(self.augment(fake))
        # (1) update D: the chosen GAN loss on real vs fake ...
        loss = self.loss.d_loss(real_logits, fake_logits, 1.0 - cfg.label_smoothing)
        if self.loss.gradient_penalty:
            loss = loss + cfg.gp_weight * gradient_penalty(self.D, x, fake)
        loss = loss + self.r1_term(real_logits, real_in)  # gamma/2 E||grad_x D(x)||^2 (0: off)
        # ... and Q learns to recover c from G(z, c): minimise -L_I
        info = info_loss(cat_logits, cont_mean, cat, cont)
        norm = descend(self.opt_d, loss + info, self.D)
        self.last_info_loss = info.detach()
        return {"d_loss": loss.detach(), "d_real": torch.sigmoid(real_logits.detach()).mean(),
                "d_fake": torch.sigmoid(fake_logits.detach()).mean(), "d_grad_norm": norm}

    def _update_g(self) -> dict[str, torch.Tensor]:
        cfg = self.config
        z, cat, cont = self._codes(cfg.batch_size)
        with frozen(self.D):  # D and Q frozen while G learns
            fake_logits, cat_logits, cont_mean = self.D.forward_q(self.augment(self.G(z)))
            # (2) update G: fool D and make the codes readable (maximise L_I)
            loss = self.loss.g_loss(fake_logits) + info_loss(cat_logits, cont_mean, cat, cont)
            norm = descend(self.opt_g, loss, self.G)
        return {"g_loss": loss.detach(), "g_grad_norm": norm}


def training_prior(config: infogan.InfoGANConfig, n: int, generator: torch.Generator) -> torch.Tensor:
    """z (n, z_dim) as the trainer draws it: N(0, I) noise, a one-hot c1, c2..c3 ~ U(-1, 1). All-Gaussian z
    would put a continuous code outside [-1, 1] in about half of the samples: a rotation or width G never
    learned to draw."""
    return sample_latent(n, config, generator=generator, device=generator.device)[0]


FAMILY = _image_family("infogan", infogan.InfoGANConfig, gan_builder(infogan.Generator, infogan.Discriminator),
                       trainer="gan_core.training.infogan_step:InfoGANTrainer",
                       capabilities=frozenset({SAMPLES_CODES}), prior=training_prior,
                       summary="InfoGAN: a categorical and two continuous codes that mean something")
