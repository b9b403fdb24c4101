"""Data sets as in-memory uint8 arrays (`ImageData`) and a device-side `BatchSampler`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gan_core.data.fashion import FASHION_CLASSES, load_fashion_mnist
from gan_core.data.folder import load_image_folder as load_image_folder  # RGB folders (explore engineer)
from gan_core.data.idx import DataUnavailable, IdxError, read_idx, write_idx
from gan_core.data.mnist import (
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
