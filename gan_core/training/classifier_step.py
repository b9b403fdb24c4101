"""The classifier family: the small CNN whose features score generators (``gan_core.metrics``).

    python -m gan_core train --family classifier --out checkpoints/mnist_classifier
    python -m gan_core train --family classifier --dataset fashion-mnist --steps 2400 --out checkpoints/fashion_classifier

Trains ``models.classifier.Classifier`` with AdamW and a one-cycle learning rate, on light random
affine augmentation (shifts of +-2 px, rotations of +-10 deg, scale 0.9-1.1) so it also reads slightly
off-centre generated images. Held out, never used for training or selection: for the embedded 5,000
MNIST digits the last 100 of each class (``split_holdout``); for full data sets their test split.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F

from gan_core.data import load_dataset
from gan_core.data.mnist import EMBEDDED_SOURCE, ImageData, split_holdout
from gan_core.device import pick_device
from gan_core.images import make_grid
from gan_core.models.classifier import Classifier, ClassifierConfig
from gan_core.training.family import CLASSIFIES, Family, FamilyTrainer, Preview, Trained, check_finite

STATS = ("loss", "accuracy", "lr")


@dataclass(frozen=True)
class ClassifierTrainConfig:
    family_name: ClassVar[str] = "classifier"
    dataset: str = "mnist"  # mnist | fashion-mnist
    data_folder: str | None = None  # IDX folder (default: the data set's usual place)
    steps: int = 480  # 15 passes over 4,000 digits at batch 128
    batch_size: int = 128
    lr: float = 3e-3  # peak of the one-cycle schedule
    seed: int = 0

    def __post_init__(self) -> None:
        check_finite(self)
        if self.dataset not in ("mnist", "fashion-mnist"):
            raise ValueError(f"dataset must be mnist or fashion-mnist (got {self.dataset!r})")
        if not 1 <= self.steps <= 1_000_000 or not 8 <= self.batch_size <= 4096 or not 0 < self.lr <= 1:
            raise ValueError("steps must be 1..1,000,000, batch_size 8..4096 and lr in (0, 1]")


def to_tensor(images: np.ndarray) -> torch.Tensor:
    # uint8 (N, 28, 28) -> float32 (N, 1, 28, 28) in [-1, 1] (the generators' range)
    return torch.tensor(np.asarray(images), dtype=torch.float32).unsqueeze(1) / 127.5 - 1.0


def augment(x: torch.Tensor, gen: torch.Generator, *, shift_px: float = 2.0, max_deg: float = 10.0) -> torch.Tensor:
    """Random affine per image (rotation, scale, shift) via affine_grid; x (B, 1, H, W) in [-1, 1]."""
    b, _, h, _ = x.shape
    angle = (torch.rand(b, generator=gen) * 2 - 1) * math.radians(max_deg)
    scale = 0.9 + 0.2 * torch.rand(b, generator=gen)
    shift = (torch.rand(b, 2, generator=gen) * 2 - 1) * (2 * shift_px / h)  # pixels -> [-1, 1] units
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)  # (B, H, W, 2)
    # sample in [0, 1] so the zero padding is the black background, then back to [-1, 1]
    return F.grid_sample((x + 1) / 2, grid, align_corners=False, padding_mode="zeros") * 2 - 1


def split(config: ClassifierTrainConfig) -> tuple[ImageData, ImageData, str]:
    """(training images, held-out images, where they came from)."""
    data = load_dataset(config.dataset, config.data_folder)
    if data.source == EMBEDDED_SOURCE:
        train, held = split_holdout(data, per_class=100)
        how = "held out the last 100 per class (split_holdout)"
    else:
        train, held = data, load_dataset(config.dataset, config.data_folder, split="test")
        how = f"held out the {len(held):,} test images"
    return train, held, f"{data.name}: {data.source}: {len(train):,} for training, {how}"


@torch.no_grad()
def accuracy(model: Classifier, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    correct = sum(int((model(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum()) for i in range(0, len(x), 500))
    return correct / len(x)


class ClassifierTrainer(FamilyTrainer):
    def __init__(self, *, config: ClassifierTrainConfig, data=None, device=None) -> None:
        self.config = config
        self.device = device or pick_device()
        torch.manual_seed(config.seed)
        self.gen = torch.Generator().manual_seed(config.seed)
        train, held, self._source = split(config)
        self.x, self.y = to_tensor(train.images), torch.tensor(np.asarray(train.labels))
        self.x_held, self.y_held = to_tensor(held.images), torch.tensor(np.asarray(held.labels))
        self.model = Classifier(config=ClassifierConfig(n_classes=len(train.class_names) or 10))
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=config.lr, weight_decay=5e-4)
        self.sched = torch.optim.lr_scheduler.OneCycleLR(self.opt, max_lr=config.lr, total_steps=config.steps)
        self.per_epoch = math.ceil(len(self.x) / config.batch_size)
        self.steps_done = 0
        self.publish_every_steps = max(1, self.per_epoch)
        self._perm = torch.empty(0, dtype=torch.long)

    @property
    def modules(self):
        return {"C": self.model}

    @property
    def model_config(self):
        return self.model.config

    @property
    def data_source(self) -> str:
        return self._source

    def optimizers(self):
        return {"C": self.opt}

    def generators(self):
        return {"augment": self.gen}

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        i = self.steps_done % self.per_epoch
        if i == 0:  # a new pass over the data in a new random order
            self._perm = torch.randperm(len(self.x), generator=self.gen)
        idx = self._perm[i * self.config.batch_size:(i + 1) * self.config.batch_size]
        self.model.train()
        logits = self.model(augment(self.x[idx], self.gen))
        loss = F.cross_entropy(logits, self.y[idx])
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        lr = self.sched.get_last_lr()[0]
        if self.steps_done + 1 < self.config.steps:  # OneCycleLR refuses to step past its total
            self.sched.step()
        self.steps_done += 1
        acc = (logits.detach().argmax(1) == self.y[idx]).float().mean()
        return {"loss": loss.detach(), "accuracy": acc, "lr": torch.tensor(lr)}

    @torch.no_grad()
    def preview(self) -> Preview:
        self.model.eval()
        pred = self.model(self.x_held[:64]).argmax(1).numpy()
        return Preview(kind="image_grid", image=make_grid(self.x_held[:64]), data={"predicted": pred})


def evaluate_classifier(trained: Trained, *, n: int = 0, seed: int = 0) -> dict:
    """Accuracy on the held-out images, and the real-vs-real floor FID in this feature space."""
    from gan_core.metrics import real_floor_fid

    tc = trained.train_config
    config = tc if isinstance(tc, ClassifierTrainConfig) else ClassifierTrainConfig(**(tc or {}))
    train, held, _ = split(config)
    model = trained.modules["C"]
    acc = accuracy(model, to_tensor(held.images), torch.tensor(np.asarray(held.labels)))
    full = load_dataset(config.dataset, config.data_folder)
    return {"holdout_accuracy": round(acc, 4), "holdout_n": len(held), "train_n": len(train),
            "real_floor_fid": round(real_floor_fid(full, classifier=model), 3)}


FAMILY = Family(
    name="classifier", config_cls=ClassifierTrainConfig, model_config_cls=ClassifierConfig,
    build=lambda cfg: {"C": Classifier(config=cfg)}, trainer=ClassifierTrainer,
    capabilities=frozenset({CLASSIFIES}), stat_names=STATS, evaluate=evaluate_classifier,
    summary="the small CNN whose features score generators (classifier-FID, coverage)")
