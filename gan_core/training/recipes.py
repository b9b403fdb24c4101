"""Named training recipes: the settings we measured to turn noise into all ten digits fastest.

The course defaults (lr 2e-4, beta1 0.5, batch 64) are what the Train page starts from; these
recipes are what the benchmark `bench.time_to_digits` trains. Each was chosen by measuring steps
until the classifier check passes on the 2-core CPU (the closing note of the foundation issue
lists the sweep).
"""
from __future__ import annotations

from gan_core.training.config import TrainConfig

RECIPES: dict[str, TrainConfig] = {
    # The course MLP GAN with BatchNorm in G (the notes: without it G keeps to the easy strokes)
    # and DiffAugment shifts for D, which otherwise memorises the 5,000 digits and stops teaching.
    "mlp-fast": TrainConfig(model="mlp", loss="nonsaturating", batchnorm=True, augment_shift=2),
    # The small DCGAN at the course settings. Measured per step, none of lr 5e-4 (collapses to one
    # digit), batch 128, LSGAN, label smoothing 0.1 or DiffAugment got there sooner.
    "dcgan-fast": TrainConfig(model="dcgan", loss="nonsaturating"),
}


def get_recipe(name: str) -> TrainConfig:
    try:
        return RECIPES[name]
    except KeyError:
        raise KeyError(f"unknown recipe {name!r}; valid keys: {', '.join(RECIPES)}") from None
