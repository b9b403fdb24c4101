"""Fashion-MNIST (Zalando, 2017): 70,000 28x28 grey clothing images in MNIST's IDX format.

Read from Debian's `dataset-fashion-mnist` package, which installs the four gzipped IDX
files directly in /usr/share/datasets/fashion-mnist/ (train-images-idx3-ubyte.gz,
train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).
torchvision's `FashionMNIST/raw` layout under another folder works too.
"""

from __future__ import annotations

from pathlib import Path

from gan_core.data.idx import DataUnavailable
from gan_core.data.mnist import ImageData, _check_split, find_idx_files, load_idx_files

__all__ = ["APT_HINT", "FASHION_CLASSES", "FASHION_FOLDER", "load_fashion_mnist"]

FASHION_FOLDER = Path("/usr/share/datasets/fashion-mnist")
APT_HINT = "sudo apt-get install dataset-fashion-mnist"
# Label order of the official repository (zalandoresearch/fashion-mnist README); the UI translates.
FASHION_CLASSES: tuple[str, ...] = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)


def load_fashion_mnist(folder: str | Path = FASHION_FOLDER, *, split: str = "train") -> ImageData:
    """Fashion-MNIST as uint8 (N, 28, 28) + int64 labels (60,000 train / 10,000 test), cached.

    Raises `DataUnavailable` with the apt command when the files are missing, `IdxError`
    naming the file when one is corrupt.
    """
    _check_split(split)
    root = Path(folder).expanduser()
    found = find_idx_files(root, split, subdirs=("", "FashionMNIST/raw"))
    if found is None:
        raise DataUnavailable(
            f"Fashion-MNIST ({split}) not found in {root}. Install it with `{APT_HINT}` "
            "(Debian/Ubuntu; it puts the IDX files in /usr/share/datasets/fashion-mnist), "
            "or pass a folder holding the four *-idx?-ubyte.gz files."
        )
    return load_idx_files(*found, name="fashion-mnist", class_names=FASHION_CLASSES)
