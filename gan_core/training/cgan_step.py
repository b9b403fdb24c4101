"""The conditional GAN step: the usual game on (image, label) pairs plus an auxiliary classifier.

    D: maximise the GAN objective on (x, y) and (G(z, y'), y')  +  learn to name real digits:
       min CE(classify(x), y)                     (AC-GAN, Odena et al. 2017; real images only)
    G: fool D on (G(z, y'), y')  +  make D name the requested digit: min CE(classify(G(z, y')), y')

The classifier head never sees the label, so G can only lower its term by drawing the digit it
was asked for. D sees every image through ``augment`` (DiffAugment), as in every image family.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from gan_core.losses import gradient_penalty
from gan_core.models import cgan
from gan_core.training.family import SAMPLES_CLASS
from gan_core.training.image_gan import _image_family, gan_builder
from gan_core.training.trainer import Trainer, descend, frozen

AUX_WEIGHT = 1.0  # weight of the classification terms next to the adversarial ones


class CGANTrainer(Trainer):
    """Trainer whose two updates add the auxiliary-classifier terms."""

    def _update_d(self) -> dict[str, torch.Tensor]:
        cfg = self.config
        x, y = self.sampler.sample(cfg.batch_size)  # (B, C, H, W), (B,)
        y_fake = self._fake_labels(cfg.batch_size)
        with torch.no_grad():
            fake = self.G(self._noise(cfg.batch_size), y_fake)  # fake.detach(): no grad to G
        real_in = self.real_input(x)  # augmented; records gradients when R1 is on
        real_logits, real_class = self.D.forward_aux(real_in, y)
        fake_logits = self.D(self.augment(fake), y_fake)
        # (1) update D: real (x, y) vs fake (G(z, y'), y') ...
        loss = self.loss.d_loss(real_logits, fake_logits, 1.0 - cfg.label_smoothing)
        if self.loss.gradient_penalty:
            loss = loss + cfg.gp_weight * gradient_penalty(self.D, x, fake, y=y)
        loss = loss + self.r1_term(real_logits, real_in)  # gamma/2 E||grad_x D(x)||^2 (0: off)
        # ... and name the digit of real images
        norm = descend(self.opt_d, loss + AUX_WEIGHT * F.cross_entropy(real_class, y), self.D)
        return {"d_loss": loss.detach(), "d_real": torch.sigmoid(real_logits.detach()).mean(),
                "d_fake": torch.sigmoid(fake_logits.detach()).mean(), "d_grad_norm": norm}

    def _update_g(self) -> dict[str, torch.Tensor]:
        cfg = self.config
        y_fake = self._fake_labels(cfg.batch_size)
        with frozen(self.D):  # D frozen while G learns
            fake = self.augment(self.G(self._noise(cfg.batch_size), y_fake))
            fake_logits, fake_class = self.D.forward_aux(fake, y_fake)
            # (2) update G: look real for label y' and be named y'
            loss = self.loss.g_loss(fake_logits) + AUX_WEIGHT * F.cross_entropy(fake_class, y_fake)
            norm = descend(self.opt_g, loss, self.G)
        return {"g_loss": loss.detach(), "g_grad_norm": norm}


FAMILY = _image_family("cgan", cgan.CGANConfig, gan_builder(cgan.Generator, cgan.Discriminator),
                       trainer="gan_core.training.cgan_step:CGANTrainer",
                       capabilities=frozenset({SAMPLES_CLASS}),
                       summary="conditional DCGAN: pick the digit (projection D + auxiliary classifier)")
