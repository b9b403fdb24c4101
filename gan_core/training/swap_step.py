"""The swap family: the autoencoder route of a deepfake, as a working toy on digits.

    python -m gan_core train --family swap --steps 12000 --out runs/swap
    python -m gan_core train --family swap --adv-weight 0.05 --out runs/swap_gan   # the GAN route

Identity A = handwritten MNIST digits, identity B = the same digits typeset from the machine's fonts
with a random slant, thickness, size and position (``gan_core.data.font_digits``). One shared encoder
E, one decoder per identity (``gan_core.models.swap_ae``). Each step, as in faceswap:

    (1) [adversarial variant only] update D_A, D_B: real A (B) pictures against what decoder A (B)
        draws: its reconstructions and the swaps into it, both detached;
    (2) update E, dec_A, dec_B:  L1(dec_A(E(warp(x_A))), x_A) + L1(dec_B(E(warp(x_B))), x_B)
                                 [+ adv_weight * non-saturating GAN loss of those drawings, D frozen]

The warp (``random_warp``) is the trick that makes the swap work: a decoder rebuilds clean pictures of
its identity from warped ones, so it learns to draw its identity's strokes itself instead of copying
the input's. With adv_weight = 0 there is no adversary and the checkpoint holds E and the decoders.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import torch
from torch import nn

from gan_core.data.font_digits import render_font_digits
from gan_core.data.mnist import ImageData, load_mnist, split_holdout
from gan_core.data.sampler import BatchSampler
from gan_core.device import pick_device
from gan_core.images import make_grid
from gan_core.losses import d_bce, g_nonsaturating
from gan_core.models.swap_ae import (
    SwapAEConfig,
    SwapAutoencoder,
    build_discriminators,
    random_warp,
    reconstruction_loss,
)
from gan_core.training.family import SWAPS, Family, FamilyTrainer, Preview, check_finite
from gan_core.training.trainer import adam, descend, frozen

IDENTITIES = ("A", "B")  # A = handwritten (MNIST), B = typeset (fonts)
STATS = ("l1_A", "l1_B", "g_adv", "d_loss", "d_real", "d_fake")
HELD_OUT_FONT_SEED = 1_000_003  # typeset digits for previews and evaluation: never drawn in training
PREVIEW_N = 4  # examples per identity in the preview grid


@dataclass(frozen=True)
class SwapModelConfig:
    """What a swap checkpoint rebuilds: the autoencoder and (adversarial variant) its two Ds."""

    ae: SwapAEConfig = field(default_factory=SwapAEConfig)
    d_base: int = 16  # channels of the discriminators' first conv

    def __post_init__(self) -> None:
        if tuple(self.ae.identities) != IDENTITIES:
            raise ValueError(f"the swap family has identities {IDENTITIES}, got {self.ae.identities}")
        if isinstance(self.d_base, bool) or not isinstance(self.d_base, int) or not 1 <= self.d_base <= 128:
            raise ValueError(f"SwapModelConfig.d_base must be an integer in 1..128, got {self.d_base!r}")


def build_modules(config: SwapModelConfig) -> dict[str, nn.Module]:
    """{"encoder", "decoder_A", "decoder_B", "D_A", "D_B"}; a checkpoint without an adversary stores
    only the first three (``checkpoints.load`` loads the modules a file holds)."""
    ae = SwapAutoencoder(config=config.ae)
    ds = build_discriminators(config=config.ae, d_base=config.d_base)
    return {"encoder": ae.encoder, **{f"decoder_{k}": ae.decoders[k] for k in IDENTITIES},
            **{f"D_{k}": ds[k] for k in IDENTITIES}}


def assemble(modules: dict[str, nn.Module], config: SwapModelConfig) -> SwapAutoencoder:
    """The ``SwapAutoencoder`` made of loaded modules (shared, not copied), for ``swap(x, to=)``."""
    ae = SwapAutoencoder(config=config.ae)
    ae.encoder = modules["encoder"]
    ae.decoders = nn.ModuleDict({k: modules[f"decoder_{k}"] for k in IDENTITIES})
    return ae.eval()


@dataclass(frozen=True)
class SwapTrainConfig:
    family_name: ClassVar[str] = "swap"
    steps: int = 12_000
    batch_size: int = 64  # per identity: each step sees 64 handwritten and 64 typeset digits
    base: int = 32  # encoder/decoder width
    code_dim: int = 16  # the shared code: small, so each decoder must supply its identity's look
    warp: float = 2.0  # random_warp strength (pixels); 0 = plain autoencoder (the swap copies)
    lr: float = 5e-4
    adv_weight: float = 0.0  # 0: no adversary (the autoencoder route); > 0: the GAN route
    d_base: int = 16
    lr_d: float = 2e-4
    font_images: int = 10_000  # typeset training digits rendered at start (~4 s)
    data_folder: str | None = None  # MNIST IDX folder (default: the usual places)
    seed: int = 0

    def __post_init__(self) -> None:
        check_finite(self)
        if not 1 <= self.steps <= 1_000_000 or not 2 <= self.batch_size <= 1024:
            raise ValueError("steps must be 1..1,000,000 and batch_size 2..1,024")
        if not 1 <= self.base <= 128 or not 1 <= self.code_dim <= 512 or not 1 <= self.d_base <= 128:
            raise ValueError("base must be 1..128, code_dim 1..512 and d_base 1..128")
        if not 0.0 <= self.warp <= 8.0:
            raise ValueError(f"warp must be between 0 and 8 pixels (got {self.warp})")
        if not 0.0 <= self.adv_weight <= 10.0:
            raise ValueError(f"adv_weight must be between 0 (no adversary) and 10 (got {self.adv_weight})")
        if not 0.0 < self.lr <= 1.0 or not 0.0 < self.lr_d <= 1.0:
            raise ValueError("lr and lr_d must be in (0, 1]")
        if not 100 <= self.font_images <= 60_000:
            raise ValueError(f"font_images must be 100..60,000 (got {self.font_images})")

    @property
    def model_config(self) -> SwapModelConfig:
        return SwapModelConfig(ae=SwapAEConfig(identities=IDENTITIES, base=self.base, code_dim=self.code_dim),
                               d_base=self.d_base)


def identity_data(*, font_images: int, seed: int, data_folder: str | None = None) -> dict[str, ImageData]:
    """Training pictures of both identities: MNIST without its held-out digits, seeded fonts."""
    train, _ = split_holdout(load_mnist(data_folder))
    return {"A": train, "B": render_font_digits(font_images, seed=seed).as_image_data()}


def held_out_data(n: int, *, data_folder: str | None = None, seed: int = 0) -> dict[str, ImageData]:
    """Pictures no swap model trained on: MNIST's held-out digits (first ``n``, balanced by class
    order of a seeded shuffle) and ``n`` typeset digits from a seed training never uses."""
    _, held = split_holdout(load_mnist(data_folder))
    order = np.random.default_rng(seed).permutation(len(held))[:n]
    a = ImageData(images=held.images[order], labels=held.labels[order], source=held.source, name=held.name,
                  class_names=held.class_names)
    return {"A": a, "B": render_font_digits(n, seed=HELD_OUT_FONT_SEED + seed).as_image_data()}


def to_input(images: np.ndarray) -> torch.Tensor:
    # uint8 (N, 28, 28) -> float32 (N, 1, 28, 28) in [-1, 1]
    return torch.tensor(np.asarray(images), dtype=torch.float32).unsqueeze(1) / 127.5 - 1.0


@torch.no_grad()
def swap_rows(ae: SwapAutoencoder, x: dict[str, torch.Tensor]) -> torch.Tensor:
    """(n_A + n_B ... ) one row per example: [A in, A recon, A as B, B in, B recon, B as A];
    x["A"], x["B"] (n, 1, 28, 28) -> (n * 6, 1, 28, 28) ready for make_grid(nrow=6)."""
    a, b = x["A"], x["B"]
    cols = [a, ae(a, "A"), ae.swap(a, to="B"), b, ae(b, "B"), ae.swap(b, to="A")]
    return torch.stack(cols, dim=1).flatten(0, 1)


class SwapTrainer(FamilyTrainer):
    def __init__(self, *, config: SwapTrainConfig, data=None, device=None) -> None:
        self.config = config
        self.device = device or pick_device()
        data = data or identity_data(font_images=config.font_images, seed=config.seed,
                                     data_folder=config.data_folder)
        self.samplers = {k: BatchSampler(data=data[k], device=self.device, seed=config.seed + i)
                         for i, k in enumerate(IDENTITIES)}
        self._source = f"A: {data['A'].name}, {data['A'].source} ({len(data['A']):,}); " \
                       f"B: {len(data['B']):,} typeset digits, {data['B'].source}"
        self._model_config = config.model_config
        torch.manual_seed(config.seed)
        built = build_modules(self._model_config)
        self._modules = {k: m.to(self.device) for k, m in built.items()}
        self.ae = assemble(self._modules, self._model_config).train()
        self.adversarial = config.adv_weight > 0
        ae_params = [p for k in ("encoder", "decoder_A", "decoder_B") for p in self._modules[k].parameters()]
        self.opt = adam(ae_params, lr=config.lr, betas=(0.5, 0.999), device=self.device)
        self.Ds = nn.ModuleDict({k: self._modules[f"D_{k}"] for k in IDENTITIES})
        self.opt_d = adam(self.Ds.parameters(), lr=config.lr_d, betas=(0.5, 0.999), device=self.device)
        self.gen = torch.Generator(device="cpu").manual_seed(config.seed + 7)
        held = held_out_data(PREVIEW_N, data_folder=config.data_folder, seed=config.seed)
        self.fixed = {k: to_input(held[k].images).to(self.device) for k in IDENTITIES}
        self.steps_done = 0
        self.publish_every_steps = 100

    @property
    def modules(self) -> dict[str, nn.Module]:
        keep = ("encoder", "decoder_A", "decoder_B") + (("D_A", "D_B") if self.adversarial else ())
        return {k: self._modules[k] for k in keep}

    @property
    def model_config(self) -> SwapModelConfig:
        return self._model_config

    @property
    def data_source(self) -> str:
        return self._source

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {"AE": self.opt, **({"D": self.opt_d} if self.adversarial else {})}

    def generators(self) -> dict[str, torch.Generator]:
        return {"warp": self.gen, **{f"data_{k}": s.generator for k, s in self.samplers.items()}}

    def _update_d(self, drawn: dict[str, torch.Tensor], real: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        # (1) D_k: maximise log D_k(x_k) + log(1 - D_k(drawn by decoder k)); drawn.detach(): no grad to the AE
        losses, reals, fakes = [], [], []
        for k in IDENTITIES:
            real_logits, fake_logits = self.Ds[k](real[k]), self.Ds[k](drawn[k].detach())
            losses.append(d_bce(real_logits, fake_logits))
            reals.append(torch.sigmoid(real_logits.detach()).mean())
            fakes.append(torch.sigmoid(fake_logits.detach()).mean())
        loss = sum(losses) / len(losses)
        descend(self.opt_d, loss, self.Ds)
        return {"d_loss": loss.detach(), "d_real": sum(reals) / 2, "d_fake": sum(fakes) / 2}

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        if mode != "both":
            raise ValueError(f"the swap family steps in mode 'both' only (got {mode!r})")
        cfg = self.config
        self.ae.train()
        x = {k: s.sample(cfg.batch_size)[0] for k, s in self.samplers.items()}  # (B, 1, 28, 28) each
        warped = torch.cat([random_warp(x[k], strength=cfg.warp, generator=self.gen) for k in IDENTITIES])
        code = self.ae.encode(warped)  # one call for both identities (no BatchNorm: nothing mixes)
        code_a, code_b = code[: cfg.batch_size], code[cfg.batch_size:]
        recon = {"A": self.ae.decode(code_a, "A"), "B": self.ae.decode(code_b, "B")}
        l1 = {k: reconstruction_loss(recon[k], x[k]) for k in IDENTITIES}
        loss = l1["A"] + l1["B"]
        nan = torch.tensor(float("nan"))
        stats = {"g_adv": nan, "d_loss": nan, "d_real": nan, "d_fake": nan}
        if self.adversarial:
            # what each decoder draws: its reconstructions and the swaps into its identity
            drawn = {"A": torch.cat([recon["A"], self.ae.decode(code_b, "A")]),
                     "B": torch.cat([recon["B"], self.ae.decode(code_a, "B")])}
            stats.update(self._update_d(drawn, x))
            with frozen(self.Ds):  # (2) the decoders learn from the frozen Ds' verdicts
                adv = sum(g_nonsaturating(self.Ds[k](drawn[k])) for k in IDENTITIES) / 2
            loss = loss + cfg.adv_weight * adv
            stats["g_adv"] = adv.detach()
        descend(self.opt, loss, self.ae)
        self.steps_done += 1
        return {"l1_A": l1["A"].detach(), "l1_B": l1["B"].detach(), **stats}

    @torch.no_grad()
    def preview(self) -> Preview:
        was = self.ae.training
        self.ae.eval()
        try:
            rows = swap_rows(self.ae, self.fixed)
        finally:
            self.ae.train(was)
        return Preview(kind="image_grid", image=make_grid(rows, nrow=6))


def _evaluate(trained, *, n: int, seed: int = 0) -> dict:
    from gan_core.swap_eval import evaluate_swap

    return evaluate_swap(trained, n=n, seed=seed)


FAMILY = Family(
    name="swap", config_cls=SwapTrainConfig, model_config_cls=SwapModelConfig, build=build_modules,
    trainer=SwapTrainer, capabilities=frozenset({SWAPS}), stat_names=STATS, evaluate=_evaluate,
    summary="face-swap autoencoder on digits: shared encoder, handwritten and typeset decoders (+ optional Ds)")
