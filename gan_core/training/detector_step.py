"""The detector family: a real-vs-generated classifier trained on ONE generator, tested on all of them.

    python -m gan_core train --family detector --train-generator mnist_dcgan --out runs/detector

Wang et al. (CVPR 2020) at classroom scale: real MNIST digits (label 0) against samples of one shipped
generator (label 1), drawn on the fly from the loaded generator with seeded noise, so the detector
never sees the same fake twice. Its recipe names that generator and the sidecar keeps the sha256 of
the weights it was trained against (``data_source``): the shipped generators may be retrained later,
and the evaluation then says that the detector's "seen" generator is no longer the one it saw.

The evaluation (``evaluate_detector``) runs against whatever digit generators are shipped at the
time: real held-out MNIST digits vs fresh samples of each, average precision and accuracy at 0.5.
Optional augmentation as in the paper: with probability ``blur_prob`` a batch is Gaussian-blurred
(sigma uniform in 0..1 px), reals and fakes alike, so the detector cannot lean on the finest pixels.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F

from gan_core.data.mnist import load_mnist, split_holdout
from gan_core.data.sampler import BatchSampler
from gan_core.device import pick_device
from gan_core.fake_sources import draw, load_generator, resolve_stem
from gan_core.images import make_grid
from gan_core.models.detector import Detector, DetectorConfig
from gan_core.training.family import DETECTS_FAKES, Family, FamilyTrainer, Preview, Trained, check_finite
from gan_core.training.trainer import adam, descend

STATS = ("loss", "accuracy", "real_score", "fake_score")
EVAL_SEED_OFFSET = 10_000  # evaluation noise: far from the training stream's seed


@dataclass(frozen=True)
class DetectorTrainConfig:
    family_name: ClassVar[str] = "detector"
    train_generator: str = "mnist_dcgan"  # checkpoint name in checkpoints/ (or a path): the ONE it sees
    steps: int = 1500
    batch_size: int = 64  # real digits; as many fakes
    base: int = 16
    batchnorm: bool = False  # off: BatchNorm's running statistics lagged the weights and skewed eval scores
    lr: float = 1e-3
    blur_prob: float = 0.0  # Wang et al.'s blur augmentation (0: off)
    data_folder: str | None = None  # MNIST IDX folder (default: the usual places)
    seed: int = 0

    def __post_init__(self) -> None:
        check_finite(self)
        if not self.train_generator.strip():
            raise ValueError("train_generator must name a generator checkpoint, e.g. mnist_dcgan")
        if not 1 <= self.steps <= 1_000_000 or not 2 <= self.batch_size <= 1024 or not 1 <= self.base <= 128:
            raise ValueError("steps must be 1..1,000,000, batch_size 2..1,024 and base 1..128")
        if not 0.0 < self.lr <= 1.0 or not 0.0 <= self.blur_prob <= 1.0:
            raise ValueError("lr must be in (0, 1] and blur_prob in [0, 1]")


def gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of (B, 1, H, W) with ``sigma`` pixels (radius 2 px)."""
    if sigma <= 0.05:
        return x
    k = torch.exp(-0.5 * (torch.arange(-2, 3, dtype=x.dtype) / sigma) ** 2)
    k = k / k.sum()
    pad = F.pad(x, (2, 2, 2, 2), mode="replicate")
    return F.conv2d(F.conv2d(pad, k.view(1, 1, 1, 5)), k.view(1, 1, 5, 1))


class DetectorTrainer(FamilyTrainer):
    def __init__(self, *, config: DetectorTrainConfig, data=None, device=None) -> None:
        self.config = config
        self.device = device or pick_device()
        real = data or split_holdout(load_mnist(config.data_folder))[0]
        self.sampler = BatchSampler(data=real, device=self.device, seed=config.seed)
        stem = resolve_stem(config.train_generator)
        self.G, self.latents, self.conditional, self.g_sha256 = load_generator(stem)
        self._source = (f"real: {real.name}, {real.source} ({len(real):,}); generated: {stem.name} "
                        f"(sha256 {self.g_sha256}), fresh seeded noise every step")
        torch.manual_seed(config.seed)
        self.model = Detector(config=DetectorConfig(base=config.base, batchnorm=config.batchnorm)).to(self.device)
        self.opt = adam(self.model.parameters(), lr=config.lr, betas=(0.9, 0.999), device=self.device)
        self.gen = torch.Generator().manual_seed(config.seed + 1)  # fakes' noise and the blur draws
        fixed = torch.Generator().manual_seed(config.seed + 2)
        pick = torch.randperm(len(self.sampler), generator=fixed)[:8]
        self.fixed = torch.cat([self.sampler.images[pick].float() / 127.5 - 1.0,
                                draw(self.G, 8, latents=self.latents, conditional=self.conditional, generator=fixed)])
        self.steps_done = 0
        self.publish_every_steps = 50

    @property
    def modules(self):
        return {"detector": self.model}

    @property
    def model_config(self):
        return self.model.config

    @property
    def data_source(self) -> str:
        return self._source

    def optimizers(self):
        return {"detector": self.opt}

    def generators(self):
        return {"fakes": self.gen, "data": self.sampler.generator}

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        if mode != "both":
            raise ValueError(f"the detector family steps in mode 'both' only (got {mode!r})")
        b = self.config.batch_size
        real, _ = self.sampler.sample(b)  # (B, 1, 28, 28) in [-1, 1]
        fake = draw(self.G, b, latents=self.latents, conditional=self.conditional, generator=self.gen)
        x = torch.cat([real, fake.to(self.device)])  # (2B, 1, 28, 28)
        if float(torch.rand((), generator=self.gen)) < self.config.blur_prob:
            x = gaussian_blur(x, float(torch.rand((), generator=self.gen)))
        target = torch.cat([torch.zeros(b), torch.ones(b)]).to(self.device)  # 1 = generated
        self.model.train()
        logits = self.model(x)  # (2B,)
        loss = F.binary_cross_entropy_with_logits(logits, target)
        descend(self.opt, loss, self.model)
        self.steps_done += 1
        p = torch.sigmoid(logits.detach())
        return {"loss": loss.detach(), "accuracy": ((p > 0.5).float() == target).float().mean(),
                "real_score": p[:b].mean(), "fake_score": p[b:].mean()}

    @torch.no_grad()
    def preview(self) -> Preview:
        self.model.eval()
        scores = torch.sigmoid(self.model(self.fixed)).numpy()  # first 8 real, last 8 generated
        return Preview(kind="image_grid", image=make_grid(self.fixed, nrow=8), data={"scores": scores})


@torch.no_grad()
def score(model: torch.nn.Module, images: np.ndarray) -> np.ndarray:
    """P("generated") per picture, uint8 (N, 28, 28) -> float64 (N,); model in eval mode."""
    model.eval()
    x = torch.tensor(np.asarray(images), dtype=torch.float32).unsqueeze(1) / 127.5 - 1.0
    logits = torch.cat([model(x[i:i + 500]) for i in range(0, len(x), 500)]) if len(x) else torch.zeros(0)
    return torch.sigmoid(logits.double()).numpy()


def trained_on(train_config) -> str:
    """The name of the generator a detector trained against, from its run config or sidecar dict."""
    tc = train_config or {}
    name = tc.get("train_generator", "") if isinstance(tc, dict) else tc.train_generator
    return resolve_stem(name).name if name else ""


def evaluate_detector(trained: Trained, *, n: int = 1000, seed: int = 0, threshold: float = 0.5,
                      data_source: str = "", folders: tuple = ()) -> dict:
    """AP and accuracy at ``threshold`` on held-out real digits vs ``n`` fresh samples of every digit
    generator shipped now (``fake_sources.digit_generators``); "seen" marks the generator it trained on,
    "same_weights" whether that checkpoint still has the weights it trained against."""
    from gan_core.detection import detector_table
    from gan_core.fake_sources import digit_generators, sample_digits

    if not 10 <= n <= 5000:
        raise ValueError(f"the detector evaluation uses 10 to 5,000 samples per generator (got {n})")
    tc = trained.train_config
    folder = tc.get("data_folder") if isinstance(tc, dict) else getattr(tc, "data_folder", None)
    seen = trained_on(tc)
    _, held = split_holdout(load_mnist(folder))
    real = held.images[np.random.default_rng(seed).permutation(len(held))[:n]]
    model = trained.modules["detector"]
    gens = digit_generators(*folders)
    fakes = {g.name: score(model, sample_digits(g.stem, n, seed=EVAL_SEED_OFFSET + seed)) for g in gens}
    rows = detector_table(score(model, real), fakes, threshold)
    out: dict = {"threshold": threshold, "n_real": len(real), "n_fake": n, "trained_on": seen}
    sha = {g.name: g.sha256 for g in gens}
    if seen in sha and data_source:
        out["same_weights"] = sha[seen] in data_source
    for row in rows:
        out[f"ap_{row['generator']}"] = round(float(row["ap"]), 4)
        out[f"acc_{row['generator']}"] = round(float(row["accuracy"]), 4)
    return out


FAMILY = Family(
    name="detector", config_cls=DetectorTrainConfig, model_config_cls=DetectorConfig,
    build=lambda cfg: {"detector": Detector(config=cfg)}, trainer=DetectorTrainer,
    capabilities=frozenset({DETECTS_FAKES}), stat_names=STATS, evaluate=evaluate_detector,
    summary="real-vs-generated digit detector trained on one generator, tested on every shipped one")
