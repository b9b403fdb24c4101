"""The "upsample" family: three small generators that differ only in how they upsample (the checkerboard
lesson), each trained against the same DCGAN discriminator with the ordinary image-GAN step.

    variant k3:     ConvTranspose2d(k=3, s=2)   kernel not a multiple of the stride: uneven overlap
    variant k4:     ConvTranspose2d(k=4, s=2)   even overlap
    variant resize: nearest x2 + Conv2d(k=3)    Odena, Dumoulin & Olah (Distill 2016)'s fix

The run config is the image GANs' ``TrainConfig`` plus ``variant`` (CLI ``--variant``), which goes into
the model config, so a checkpoint names its own variant. The evaluation adds the stride-peak ratio of
fresh samples (``gan_core.checkerboard.sample_stride_ratio``) to the image GANs' classifier metrics.
"""
from __future__ import annotations

from dataclasses import dataclass

from gan_core.models.upsampling import VARIANTS, UpsampleGANConfig, build_pair
from gan_core.training.config import TrainConfig
from gan_core.training.family import SAMPLES_Z, Family, Trained
from gan_core.training.image_gan import TRAINER, evaluate_images
from gan_core.training.trainer import STAT_KEYS

NAME = "upsample"


@dataclass(frozen=True)
class UpsampleTrainConfig(TrainConfig):
    """``TrainConfig`` with the generator's upsampling variant (one of ``VARIANTS``)."""

    model: str = NAME
    variant: str = "k4"

    @property
    def model_choices(self) -> dict[str, str]:
        """Model-config fields this run sets beyond the image GANs' shared ones (see ``model_config_for``)."""
        return {"variant": self.variant}

    def _check_family(self) -> None:
        if self.model != NAME:
            raise ValueError(f"UpsampleTrainConfig trains the {NAME!r} family only (got model={self.model!r})")
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {', '.join(VARIANTS)} (got {self.variant!r})")
        if self.loss == "wgan-gp" and self.batchnorm is not False:
            raise ValueError("loss 'wgan-gp' needs a discriminator without BatchNorm: turn BatchNorm off "
                             "(batchnorm=False, CLI --no-batchnorm)")


def evaluate(trained: Trained, *, n: int, seed: int = 0) -> dict:
    """The image GANs' metrics (classifier-FID, coverage, confidence) + the stride-2 peak of the spectrum."""
    from gan_core.checkerboard import sample_stride_ratio

    out = evaluate_images(trained, n=n, seed=seed)
    ratio = sample_stride_ratio(trained.modules["G"], z_dim=int(trained.model_config.z_dim), n=min(n, 1024),
                                seed=seed)
    return {**out, "stride_ratio": round(ratio, 3)}


FAMILY = Family(name=NAME, config_cls=UpsampleTrainConfig, model_config_cls=UpsampleGANConfig, build=build_pair,
                trainer=TRAINER, capabilities=frozenset({SAMPLES_Z}), stat_names=STAT_KEYS,
                step_modes=("both", "d", "g"), evaluate=evaluate, config_defaults={"model": NAME},
                summary="28-px generators that upsample with k3 / k4 transposed convs or resize + conv "
                        "(checkerboard lesson), DCGAN D")
