"""The frozen run config of the image-GAN families (mlp, dcgan, cgan, infogan).

The same config always gives the same run, from the CLI, the Train page or an exported script:
the data set, its folder and the image size are fields here, never side arguments.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gan_core.training.family import check_finite, field_types

LOSS_NAMES = ("minimax", "nonsaturating", "maxlik", "lsgan", "wgan-gp", "hinge")
DATASETS = ("mnist", "fashion-mnist", "folder")
FOLDER_SIZES = (28, 32, 64)  # what the DCGAN body can generate
MAX_Z = 1024  # a bigger latent teaches nothing more and could allocate gigabytes from a bad file


@dataclass(frozen=True)
class TrainConfig:
    """Everything needed to replay a run: same config + same seed = same samples.

    Course defaults: Adam lr 2e-4 for both players, beta1 0.5 (0.9 makes the
    adversarial game oscillate), batch 64, one D step per G step.

    Data: ``dataset`` "mnist" or "fashion-mnist" read their IDX files from ``data_folder`` when it
    is set (else the default places, see ``gan_core.data``); "folder" trains on the pictures in
    ``data_folder``, resized to ``image_size`` (28, 32 or 64) px.
    """

    model: str = "mlp"  # the family: mlp | dcgan | cgan | infogan
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
    r1_weight: float = 0.0  # gamma of the R1 penalty on D's slope at real images (0: off)
    r1_every: int = 1  # lazy R1 (StyleGAN2): the penalty, times this, on every r1_every-th step only
    ema_decay: float = 0.0  # keep and ship an exponential moving average of G's weights (0: off)
    lr_decay_from: float = 1.0  # both learning rates fall linearly to 0 from this fraction of steps
    d_batchnorm: bool | None = None  # BatchNorm in D (dcgan only); None: follow ``batchnorm``
    seed: int = 0
    steps: int = 3000
    snapshot_every: int = 50
    dataset: str = "mnist"
    data_folder: str | None = None
    image_size: int | None = None  # "folder" only: 28, 32 or 64 (MNIST-like sets are 28)
    grid_n: int = 64

    @property
    def family_name(self) -> str:
        return self.model

    def __post_init__(self) -> None:
        check_finite(self)
        problems = []
        if self.loss not in LOSS_NAMES:
            problems.append(f"loss must be one of {', '.join(LOSS_NAMES)} (got {self.loss!r})")
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                problems.append(f"{name} must be in (0, 1] (got {value})")
        if not 0 <= self.beta1 < 1 or not 0 <= self.beta2 < 1:
            problems.append("beta1 and beta2 must be in [0, 1)")
        if not 2 <= self.batch_size <= 4096:
            problems.append(f"batch_size must be between 2 and 4096 (got {self.batch_size})")
        if not 1 <= self.d_steps <= 50:
            problems.append(f"d_steps must be between 1 and 50 (got {self.d_steps})")
        if self.z_dim is not None and not 1 <= self.z_dim <= MAX_Z:
            problems.append(f"z_dim must be between 1 and {MAX_Z} (got {self.z_dim})")
        if not 0 <= self.leaky_slope < 1:
            problems.append(f"leaky_slope must be in [0, 1) (got {self.leaky_slope})")
        if not 0 <= self.label_smoothing < 0.5:
            problems.append("label_smoothing must be in [0, 0.5)")
        if not 0 <= self.gp_weight <= 1000:
            problems.append(f"gp_weight must be between 0 and 1000 (got {self.gp_weight})")
        if not 0 <= self.augment_shift <= 8:
            problems.append("augment_shift must be between 0 and 8 pixels")
        if not 0 <= self.r1_weight <= 1000:
            problems.append(f"r1_weight must be between 0 and 1000 (got {self.r1_weight})")
        if not 1 <= self.r1_every <= 64:
            problems.append(f"r1_every must be between 1 and 64 (got {self.r1_every})")
        if not 0 <= self.ema_decay < 1:
            problems.append(f"ema_decay must be in [0, 1) (got {self.ema_decay})")
        if not 0 <= self.lr_decay_from <= 1:
            problems.append(f"lr_decay_from must be in [0, 1] (got {self.lr_decay_from})")
        if not 0 <= self.steps <= 10**9 or self.snapshot_every < 1:
            problems.append("steps must be between 0 and 10**9 and snapshot_every >= 1")
        if not 1 <= self.grid_n <= 256:
            problems.append(f"grid_n must be between 1 and 256 (got {self.grid_n})")
        problems += self._data_problems()
        if problems:
            raise ValueError("; ".join(problems))
        self._check_family()

    def _data_problems(self) -> list[str]:
        if self.dataset not in DATASETS:
            return [f"dataset must be one of {', '.join(DATASETS)} (got {self.dataset!r})"]
        if self.dataset == "folder":
            if not self.data_folder:
                return ["dataset 'folder' needs data_folder: the folder of pictures to train on"]
            if self.image_size not in FOLDER_SIZES:
                sizes = ", ".join(map(str, FOLDER_SIZES))
                return [f"dataset 'folder' needs image_size {sizes} (got {self.image_size})"]
        elif self.image_size not in (None, 28):
            return [f"{self.dataset} images are 28x28: image_size must be 28 or unset (got {self.image_size})"]
        return []

    def _check_family(self) -> None:
        """The family exists, and WGAN-GP never meets a discriminator with BatchNorm: the gradient
        penalty is a per-sample constraint, and BatchNorm makes each sample's score depend on the
        others in its batch (Gulrajani et al. 2017, section 4: use no normalisation or layer norm)."""
        from gan_core.families import get_family

        try:
            family = get_family(self.model)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        if family.config_cls is not TrainConfig:
            raise ValueError(f"family {self.model!r} is not an image GAN trained with TrainConfig")
        overrides = {} if self.batchnorm is None else {"batchnorm": self.batchnorm}
        if self.d_batchnorm is not None:
            if "d_norm" not in field_types(family.model_config_cls):
                raise ValueError(f"d_batchnorm is a dcgan setting; {self.model}'s D has no such switch (leave it unset)")
            overrides["d_norm"] = self.d_batchnorm
        if self.loss == "wgan-gp" and family.model_config(overrides).d_batchnorm:
            raise ValueError(f"loss 'wgan-gp' needs a discriminator without BatchNorm, but {self.model}'s D "
                             "uses it: turn BatchNorm off (batchnorm=False, CLI --no-batchnorm; "
                             "dcgan: d_batchnorm=False, CLI --no-d-batchnorm, keeps it in G)")

    def replace(self, **changes: object) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """From a sidecar's dict; keys of older versions that no longer exist are ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})
