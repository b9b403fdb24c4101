"""The pix2pix family (Isola et al., "Image-to-Image Translation with Conditional Adversarial
Networks", CVPR 2017): a U-Net G(x) and a PatchGAN D(x, y), trained on paired 28-px tasks.

    python -m gan_core train --family pix2pix --task completion --steps 3000 --out runs/p2p
    python -m gan_core train --family pix2pix --task completion --adv-weight 0 --out runs/l1_only
    python -m gan_core train --family pix2pix --task superres --content features --lambda-l1 1 \\
        --adv-weight 0.001 --out runs/srgan_like

One step, as the paper's objective G* = arg min_G max_D L_cGAN(G, D) + lambda L_L1(G):
  (1) update D: maximise log D(x, y) + log(1 - D(x, G(x)))  (BCE on every patch logit, halved
      as in pix2pix "to slow down the rate at which D learns relative to G")
  (2) update G: minimise adv_weight * -log D(x, G(x))  +  lambda_l1 * content(G(x), y)
      with content = mean |G(x) - y| (L1 on pixels in [-1, 1]) or, for the SRGAN-like variant
      (Ledig et al. 2017: content loss + 1e-3 x adversarial loss), the mean squared distance of
      the shipped MNIST classifier's features (our stand-in for VGG, whose weights are not here).
adv_weight = 0 is "L1 only" (no D is trained or stored); lambda_l1 = 0 is "cGAN only".
Noise: none by default. pix2pix feeds none either except dropout (``dropout``), which it keeps on
at test time; sampling with that needs G in train mode.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F

from gan_core.data.paired import TASKS, PairedImages, make_pairs, to_model
from gan_core.device import pick_device
from gan_core.images import make_grid
from gan_core.losses import d_bce, g_nonsaturating
from gan_core.models.patchgan import KINDS, NORMS, PatchDiscriminator, PatchGANConfig
from gan_core.models.pix2pix import UNetConfig, UNetGenerator
from gan_core.training.family import IMAGE_TO_IMAGE, Family, FamilyTrainer, Preview, check_finite
from gan_core.training.trainer import adam, build_lock, descend, frozen

CONTENTS = ("l1", "features")
STATS = ("d_loss", "g_gan", "g_content", "d_real", "d_fake")
DATASET_OF = {"completion": "mnist", "superres": "mnist", "edges": "fashion-mnist"}
PREVIEW_N = 8  # fixed held-out pairs in the live view


@dataclass(frozen=True)
class Pix2PixModelConfig:
    """What a checkpoint's "config" holds: G's and D's configs."""

    G: UNetConfig = field(default_factory=UNetConfig)
    D: PatchGANConfig = field(default_factory=PatchGANConfig)


@dataclass(frozen=True)
class Pix2PixConfig:
    family_name: ClassVar[str] = "pix2pix"
    task: str = "completion"  # one of gan_core.data.paired.TASKS
    lambda_l1: float = 100.0  # lambda: weight of the content term (pix2pix: 100); 0 = cGAN only
    adv_weight: float = 1.0  # weight of the adversarial term; 0 = L1 only (no D)
    content: str = "l1"  # "l1": |G(x) - y| on pixels; "features": MSE of the MNIST classifier's features
    conditional: bool = True  # False: D(y) alone, the paper's unconditional "GAN" rows
    d_kind: str = "patch"  # pixel (1x1) | patch | image (one logit per image)
    d_layers: int = 1  # stride-2 layers of D: on 28 px, patch 1 -> 16-px field, 2 -> 34 px
    d_base: int = 16
    g_base: int = 16
    skips: bool = True  # False: the plain encoder-decoder (no U-Net trick)
    norm: str = "batch"
    dropout: float = 0.0  # pix2pix: 0.5 in the decoder
    lr: float = 2e-4  # pix2pix: 2e-4 for both players, Adam beta1 0.5
    beta1: float = 0.5
    batch_size: int = 64
    steps: int = 3000
    seed: int = 0

    def __post_init__(self) -> None:
        check_finite(self)
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS} (got {self.task!r})")
        if self.content not in CONTENTS:
            raise ValueError(f"content must be one of {CONTENTS} (got {self.content!r})")
        if self.content == "features" and DATASET_OF[self.task] != "mnist":
            raise ValueError("content 'features' uses the MNIST classifier: only for the digit tasks")
        if not 0 <= self.lambda_l1 <= 10_000 or not 0 <= self.adv_weight <= 100:
            raise ValueError("lambda_l1 must be in [0, 10000] and adv_weight in [0, 100]")
        if self.lambda_l1 == 0 and self.adv_weight == 0:
            raise ValueError("lambda_l1 and adv_weight are both 0: G would learn nothing")
        if self.d_kind not in KINDS or self.norm not in NORMS:
            raise ValueError(f"d_kind must be one of {KINDS} and norm one of {NORMS}")
        if not 1 <= self.steps <= 1_000_000 or not 2 <= self.batch_size <= 1024:
            raise ValueError("steps must be 1..1,000,000 and batch_size 2..1024")
        if not 0 < self.lr <= 1 or not 0 <= self.beta1 < 1:
            raise ValueError("lr must be in (0, 1] and beta1 in [0, 1)")
        self.model_config()  # G's and D's own checks (sizes, dropout, layers) with their messages

    def model_config(self) -> Pix2PixModelConfig:
        c_in = 2 if self.task == "completion" else 1  # completion: digit + mask
        g = UNetConfig(in_channels=c_in, base=self.g_base, skips=self.skips, norm=self.norm,
                       dropout=self.dropout)
        d = PatchGANConfig(kind=self.d_kind, n_layers=self.d_layers, base=self.d_base, x_channels=c_in,
                           conditional=self.conditional, norm=self.norm)
        return Pix2PixModelConfig(G=g, D=d)


def build_modules(config: Pix2PixModelConfig) -> dict[str, torch.nn.Module]:
    return {"G": UNetGenerator(config=config.G), "D": PatchDiscriminator(config=config.D)}


@functools.lru_cache(maxsize=6)
def task_pairs(task: str, split: str) -> tuple[PairedImages, np.ndarray, str]:
    """(pairs, labels, source) of a task. MNIST from the embedded subset: training uses the 4,000
    digits the classifier also trained on, "test" the 1,000 it never saw (``split_holdout``)."""
    from gan_core.data import load_dataset
    from gan_core.data.mnist import EMBEDDED_SOURCE, split_holdout

    name = DATASET_OF[task]
    data = load_dataset(name, split="train" if split == "train" else "test")
    if split == "train" and data.source == EMBEDDED_SOURCE:
        data = split_holdout(data, per_class=100)[0]
    pairs = make_pairs(task, np.asarray(data.images))
    pairs.inputs.flags.writeable = pairs.targets.flags.writeable = False  # cached: shared by callers
    return pairs, np.asarray(data.labels), f"{name}: {data.source} ({len(data):,} {split} images)"


def show_input(inputs: np.ndarray, task: str) -> np.ndarray:
    """(N, 28, 28) uint8 picture of what G was given; completion's hidden rows drawn mid-grey."""
    a = np.asarray(inputs)
    if task == "completion":
        return np.where(a[:, 1] > 0, a[:, 0], 96).astype(np.uint8)
    return a[:, 0]


class Pix2PixTrainer(FamilyTrainer):
    def __init__(self, *, config: Pix2PixConfig, data: PairedImages | None = None, device=None) -> None:
        self.config = config
        self.device = device or pick_device()
        if data is None:
            data, _, self._source = task_pairs(config.task, "train")
        else:
            self._source = f"{config.task}: {len(data):,} given pairs"
        self.x_all = torch.tensor(np.asarray(data.inputs), device=self.device)  # uint8 (N, C, 28, 28), a copy
        self.y_all = torch.tensor(np.asarray(data.targets), device=self.device)  # uint8 (N, 1, 28, 28)
        held, _, _ = task_pairs(config.task, "test") if data is None else (data, None, "")
        self.fixed_x = to_model(held.inputs[:PREVIEW_N]).to(self.device)
        self._fixed_pics = (show_input(held.inputs[:PREVIEW_N], config.task), held.targets[:PREVIEW_N, 0])
        self._model_config = config.model_config()
        with build_lock:  # torch.manual_seed is process-wide
            torch.manual_seed(config.seed)
            built = build_modules(self._model_config)
        self.G = built["G"].to(self.device)
        self.D = built["D"].to(self.device) if config.adv_weight > 0 else None
        betas = (config.beta1, 0.999)
        self.opt_g = adam(self.G.parameters(), lr=config.lr, betas=betas, device=self.device)
        self.opt_d = adam(self.D.parameters(), lr=config.lr, betas=betas, device=self.device) if self.D else None
        self.rng = torch.Generator().manual_seed(config.seed + 1)
        self.features = None
        if config.content == "features":
            from gan_core.metrics import load_classifier

            self.features = load_classifier().to(self.device)  # frozen, eval mode: a loss network
        self.steps_done = 0
        self.publish_every_steps = max(1, min(100, config.steps // 20))

    @property
    def modules(self) -> dict[str, torch.nn.Module]:
        return {"G": self.G} if self.D is None else {"G": self.G, "D": self.D}

    @property
    def model_config(self) -> Pix2PixModelConfig:
        return self._model_config

    @property
    def data_source(self) -> str:
        return self._source

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {"G": self.opt_g} if self.opt_d is None else {"G": self.opt_g, "D": self.opt_d}

    def generators(self) -> dict[str, torch.Generator]:
        return {"steps": self.rng}

    def _batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        idx = torch.randint(0, len(self.x_all), (self.config.batch_size,), generator=self.rng)
        x = self.x_all[idx.to(self.device)].float().div_(127.5).sub_(1.0)  # (B, C_in, 28, 28) in [-1, 1]
        y = self.y_all[idx.to(self.device)].float().div_(127.5).sub_(1.0)  # (B, 1, 28, 28)
        return x, y

    def content_loss(self, fake: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """L_L1 = E|y - G(x)|, or the squared distance of classifier features (SRGAN's l_X)."""
        if self.features is None:
            return (fake - y).abs().mean()
        return F.mse_loss(self.features.features(fake), self.features.features(y))

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        cfg = self.config
        x, y = self._batch()
        train_g = mode in ("both", "g")
        with torch.set_grad_enabled(train_g):
            fake = self.G(x)  # (B, 1, 28, 28) in [-1, 1]
        stats: dict[str, torch.Tensor] = {}
        cond = x if cfg.conditional else None
        if self.D is not None and mode in ("both", "d"):
            # (1) update D: maximise log D(x, y) + log(1 - D(x, G(x))); fake.detach(): no grad to G.
            # Real and fake in separate calls: BatchNorm statistics never mix the two.
            real_logits = self.D(cond, y)  # (B, 1, h, w): one logit per patch
            fake_logits = self.D(cond, fake.detach())
            d_loss = d_bce(real_logits, fake_logits)  # 0.5 * (BCE real + BCE fake), as pix2pix
            descend(self.opt_d, d_loss, self.D)
            stats.update(d_loss=d_loss.detach(), d_real=torch.sigmoid(real_logits.detach()).mean(),
                         d_fake=torch.sigmoid(fake_logits.detach()).mean())
        if train_g:
            # (2) update G: fool D on every patch + stay close to y (lambda * L1)
            loss = torch.zeros((), device=self.device)
            if self.D is not None:
                with frozen(self.D):
                    g_gan = g_nonsaturating(self.D(cond, fake))
                loss = loss + cfg.adv_weight * g_gan
                stats["g_gan"] = g_gan.detach()
            if cfg.lambda_l1 > 0:
                content = self.content_loss(fake, y)
                loss = loss + cfg.lambda_l1 * content
                stats["g_content"] = content.detach()
            descend(self.opt_g, loss, self.G)
        self.steps_done += 1
        return stats

    @torch.no_grad()
    def preview(self) -> Preview:
        """Three rows on fixed held-out pairs: what G saw, what G made, the truth."""
        was = self.G.training
        self.G.eval()
        out = self.G(self.fixed_x)
        self.G.train(was)
        made = ((out[:, 0].float().cpu() + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()
        shown, truth = self._fixed_pics
        return Preview(kind="image_grid", image=make_grid(np.concatenate([shown, made, truth]), nrow=PREVIEW_N))


def evaluate_checkpoint(trained, *, n: int, seed: int = 0) -> dict:
    """The metric table of one model on ``n`` held-out pairs (see ``gan_core.img2img``)."""
    from gan_core.img2img import evaluate_trained

    return evaluate_trained(trained, n=n, seed=seed)


FAMILY = Family(
    name="pix2pix", config_cls=Pix2PixConfig, model_config_cls=Pix2PixModelConfig, build=build_modules,
    trainer=Pix2PixTrainer, capabilities=frozenset({IMAGE_TO_IMAGE}), stat_names=STATS,
    step_modes=("both", "d", "g"), evaluate=evaluate_checkpoint,
    summary="pix2pix: U-Net G + PatchGAN D on paired 28-px tasks (completion, 4x super-resolution, edges)")
