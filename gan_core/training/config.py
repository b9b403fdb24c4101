"""The one frozen config that describes a training run of an image GAN."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

LOSS_NAMES = ("minimax", "nonsaturating", "maxlik", "lsgan", "wgan-gp", "hinge")

# CLI flags of `python -m gan_core train`, by TrainConfig field (the CLI builds its parser from this too)
FLAGS: dict[str, str] = {
    "model": "--model", "loss": "--loss", "lr_g": "--lr-g", "lr_d": "--lr-d", "beta1": "--beta1",
    "beta2": "--beta2", "batch_size": "--batch-size", "d_steps": "--d-steps", "z_dim": "--z-dim",
    "leaky_slope": "--leaky-slope", "label_smoothing": "--label-smoothing", "gp_weight": "--gp-weight",
    "augment_shift": "--augment-shift", "seed": "--seed", "steps": "--steps", "dataset": "--dataset", "data_folder": "--data-folder",
}


@dataclass(frozen=True)
class TrainConfig:
    """Everything needed to replay a run: same config + same seed = same samples.

    Course defaults: Adam lr 2e-4 for both players, beta1 0.5 (0.9 makes the
    adversarial game oscillate), batch 64, one D step per G step.
    """

    model: str = "mlp"
    loss: str = "nonsaturating"
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    batch_size: int = 64
    d_steps: int = 1  # k in Goodfellow et al. 2014, Algorithm 1
    z_dim: int | None = None  # None: the family's default
    batchnorm: bool | None = None  # None: the family's default
    leaky_slope: float = 0.2
    label_smoothing: float = 0.0  # one-sided: real target = 1 - label_smoothing
    gp_weight: float = 10.0  # lambda of WGAN-GP
    augment_shift: int = 0  # DiffAugment translation (px) of everything D sees; helps on small data
    seed: int = 0
    steps: int = 3000
    snapshot_every: int = 50
    dataset: str = "mnist"
    data_folder: str | None = None
    grid_n: int = 64

    def __post_init__(self) -> None:
        problems = []
        if self.loss not in LOSS_NAMES:
            problems.append(f"loss must be one of {', '.join(LOSS_NAMES)} (got {self.loss!r})")
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                problems.append(f"{name} must be in (0, 1] (got {value})")
        if not 0 <= self.beta1 < 1 or not 0 <= self.beta2 < 1:
            problems.append("beta1 and beta2 must be in [0, 1)")
        if self.batch_size < 2:
            problems.append("batch_size must be at least 2")
        if self.d_steps < 1:
            problems.append("d_steps must be at least 1")
        if not 0 <= self.label_smoothing < 0.5:
            problems.append("label_smoothing must be in [0, 0.5)")
        if not 0 <= self.augment_shift <= 8:
            problems.append("augment_shift must be between 0 and 8 pixels")
        if self.steps < 0 or self.snapshot_every < 1:
            problems.append("steps must be >= 0 and snapshot_every >= 1")
        if problems:
            raise ValueError("; ".join(problems))

    def replace(self, **changes: object) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})
