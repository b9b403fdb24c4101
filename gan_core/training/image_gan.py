"""The noise-in, image-out families: the course MLP and the DCGAN (cgan.py / infogan.py declare theirs
in their step modules). Shared here: building G and D, the model config a run implies, and the
evaluation every image GAN gets (classifier-FID, mode coverage, confidence in the data set's
classifier's feature space; see ``gan_core.metrics``).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from torch import nn

from gan_core.checkpoints import REPO_ROOT
from gan_core.models import dcgan, mlp
from gan_core.training.config import TrainConfig
from gan_core.training.family import SAMPLES_CLASS, SAMPLES_Z, Family, Trained
from gan_core.training.trainer import STAT_KEYS

# Classifier checkpoint whose features score generators of each data set (FID needs one per domain).
CLASSIFIERS = {"mnist": "mnist_classifier", "fashion-mnist": "fashion_classifier"}
TRAINER = "gan_core.training.trainer:Trainer"


def gan_builder(generator: type[nn.Module], discriminator: type[nn.Module]) -> Callable[[Any], dict]:
    """model config -> {"G": generator, "D": discriminator} (fresh weights)."""

    def build(config: Any) -> dict[str, nn.Module]:
        return {"G": generator(config=config), "D": discriminator(config=config)}

    return build


def model_config_for(config: TrainConfig, *, channels: int, size: int) -> Any:
    """The model config a run implies: the family's defaults, the run's choices (None = default),
    and the data's channels and image size."""
    from gan_core.families import get_family

    wanted = {"z_dim": config.z_dim, "batchnorm": config.batchnorm, "leaky_slope": config.leaky_slope,
              "img_channels": channels, "img_size": size,
              "d_norm": getattr(config, "d_batchnorm", None),  # dcgan's separate switch for D
              **getattr(config, "model_choices", {})}  # a TrainConfig subclass's own model fields (upsample: variant)
    return get_family(config.model).model_config({k: v for k, v in wanted.items() if v is not None})


def dataset_of(train_config: Any) -> str:
    """The data set name of a run config (object or its sidecar dict); "mnist" when unknown."""
    if train_config is None:
        return "mnist"
    value = train_config.get("dataset") if isinstance(train_config, dict) else train_config.dataset
    folder = train_config.get("data_folder") if isinstance(train_config, dict) else train_config.data_folder
    if value == "mnist" and folder and isinstance(train_config, dict) and "image_size" not in train_config:
        return "folder"  # sidecars of an older version: a data_folder meant a folder of pictures
    return str(value or "mnist")


def classifier_stem(dataset: str) -> Path:
    """The shipped classifier that scores generators of ``dataset``; ValueError when none is."""
    name = CLASSIFIERS.get(dataset)
    stem = REPO_ROOT / "checkpoints" / (name or "")
    if not name or not stem.with_suffix(".json").is_file():
        shipped = ", ".join(k for k, v in CLASSIFIERS.items() if (REPO_ROOT / "checkpoints" / f"{v}.json").is_file())
        raise ValueError(f"no classifier is shipped for {dataset!r} images, so classifier-FID cannot be "
                         f"computed (available for: {shipped or 'none'})")
    return stem


def evaluate_images(trained: Trained, *, n: int, seed: int = 0) -> dict:
    """Classifier-FID, coverage and confidence of ``n`` fresh samples (+ label accuracy for a
    conditional G), against the data set the model was trained on."""
    from gan_core.data import load_dataset
    from gan_core.families import get_family
    from gan_core.metrics import evaluate_generator, load_classifier

    if not 2 <= n <= 100_000:
        raise ValueError(f"evaluation needs between 2 and 100,000 samples (got {n})")
    if "G" not in trained.modules:
        raise ValueError(f"this {trained.family} checkpoint holds no generator (modules: "
                         f"{', '.join(trained.modules)})")
    dataset = dataset_of(trained.train_config)
    classifier = load_classifier(classifier_stem(dataset))
    family = get_family(trained.family)
    result = evaluate_generator(trained.modules["G"], n=n, seed=seed, z_dim=int(trained.model_config.z_dim),
                                real=load_dataset(dataset), classifier=classifier,
                                conditional=SAMPLES_CLASS in family.capabilities,
                                z=family.draw_z(trained.model_config, n, seed=seed))
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items()}


def _image_family(name: str, config_cls: type, build: Callable, *, trainer: str = TRAINER,
                  capabilities: frozenset[str] = frozenset({SAMPLES_Z}), summary: str,
                  prior: Callable | None = None) -> Family:
    return Family(name=name, config_cls=TrainConfig, model_config_cls=config_cls, build=build, trainer=trainer,
                  capabilities=capabilities, stat_names=STAT_KEYS, step_modes=("both", "d", "g"),
                  evaluate=evaluate_images, config_defaults={"model": name}, summary=summary, prior=prior)


MLP = _image_family("mlp", mlp.MLPConfig, gan_builder(mlp.Generator, mlp.Discriminator),
                    summary="the course's fully connected GAN (G 128-1024-1024-784, D 784-256-256-1)")
DCGAN = _image_family("dcgan", dcgan.DCGANConfig, gan_builder(dcgan.Generator, dcgan.Discriminator),
                      summary="a small DCGAN: strided convolutions, BatchNorm, 28/32/64 px")
