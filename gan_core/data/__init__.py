"""Data sets as in-memory uint8 arrays (`ImageData`) and a device-side `BatchSampler`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gan_core.data.fashion import FASHION_CLASSES, load_fashion_mnist
from gan_core.data.folder import load_image_folder as load_image_folder  # RGB folders (explore engineer)
from gan_core.data.idx import DataUnavailable, IdxError, read_idx, write_idx
from gan_core.data.mnist import (
    EMBEDDED_SOURCE,
    MNIST_CLASSES,
    ImageData,
    data_folder,
    download_mnist,
    load_mnist,
    split_holdout,
)
from gan_core.data.sampler import BatchSampler

__all__ = [
    "DATASETS",
    "FASHION_CLASSES",
    "MNIST_CLASSES",
    "BatchSampler",
    "DataUnavailable",
    "IdxError",
    "ImageData",
    "data_folder",
    "download_mnist",
    "load_dataset",
    "load_fashion_mnist",
    "load_mnist",
    "load_training_data",
    "read_idx",
    "split_holdout",
    "write_idx",
]


def _fashion(folder: str | Path | None, split: str) -> ImageData:
    return load_fashion_mnist(split=split) if folder is None else load_fashion_mnist(folder, split=split)


# name -> loader(folder, split); folder None means each loader's default location.
DATASETS: dict[str, Callable[[str | Path | None, str], ImageData]] = {
    "mnist": lambda folder, split: load_mnist(folder, split=split),
    "fashion-mnist": _fashion,
}


def load_dataset(name: str, folder: str | Path | None = None, *, split: str = "train") -> ImageData:
    """Load a named data set ("mnist" or "fashion-mnist"); unknown names raise KeyError."""
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; valid names: {', '.join(DATASETS)}")
    return DATASETS[name](folder, split)


def load_training_data(config) -> ImageData:
    """The images a run config names: ``dataset`` + ``data_folder`` (+ ``image_size`` for "folder").

    One function for the CLI, the Train page, ``Run`` and exported scripts, so one config always
    means one data set."""
    if config.dataset == "folder":
        return load_image_folder(config.data_folder, size=config.image_size)
    data = load_dataset(config.dataset, config.data_folder)
    if config.data_folder and data.source == EMBEDDED_SOURCE:  # a named folder must hold the data
        raise DataUnavailable(f"no {config.dataset} IDX files in {config.data_folder}; for a folder of "
                              "pictures use dataset 'folder' (CLI: --dataset folder --image-size 32)")
    return data
