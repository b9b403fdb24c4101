"""Any folder of pictures as an RGB ``ImageData``: the course's CIFAR-10 horses, CelebA faces, ...

Each file goes through the app's one image validator (``image_io.load_image``: type sniffed from
the content, byte and pixel limits checked before decoding, 16-bit/palette/CMYK/alpha converted
properly, EXIF rotation applied, decoded small: JPEG at a reduced scale, everything else
box-reduced right after decoding), then is centre-cropped to a square and resized to ``size`` x
``size``. Files the validator rejects are skipped and counted; too few usable images is an error
that says how many were found and skipped, and why.

Result: images uint8 (N, size, size, 3), labels int64 zeros (one class: the folder).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from gan_core.data.image_io import FOLDER_LIMITS, ImageRejected, load_image
from gan_core.data.mnist import ImageData

__all__ = ["IMAGE_SUFFIXES", "SIZES", "FolderError", "load_image_folder"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
SIZES = (28, 32, 64)  # what the DCGAN family can generate
MIN_IMAGES = 16
MAX_IMAGES = 60_000  # 60k x 64 x 64 x 3 bytes = 737 MB: beyond that, sample fewer
MAX_PIXELS = 40_000_000  # per image; larger files are refused (decompression bombs)
MIN_SIDE = 8  # smaller pictures carry no usable detail


class FolderError(ValueError):
    """The folder cannot be used for training; the message says why and what to do."""


def _square_rgb(path: Path, size: int) -> np.ndarray:
    """One file -> uint8 (size, size, 3); raises ImageRejected (a ValueError) for unusable files."""
    # limits read at call time, so MAX_PIXELS / MIN_SIDE stay the knobs of this module
    limits = dataclasses.replace(FOLDER_LIMITS, max_pixels=MAX_PIXELS, min_side=MIN_SIDE)
    # long side 4 x size: even a 4:1 panorama keeps a short side >= size, and the final
    # resize still averages over several source pixels (no aliasing)
    rgb = Image.fromarray(load_image(path, max_side=4 * size, limits=limits).pixels)  # (h, w, 3)
    w, h = rgb.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    square = rgb.crop((left, top, left + side, top + side))  # centre crop keeps the aspect ratio
    return np.asarray(square.resize((size, size), Image.Resampling.BICUBIC), dtype=np.uint8)


def load_image_folder(folder: str | Path, *, size: int = 32, min_images: int = MIN_IMAGES,
                      max_images: int = MAX_IMAGES,
                      progress: Callable[[int, int], None] | None = None) -> ImageData:
    """Every picture under ``folder`` (recursively, sorted) as uint8 (N, size, size, 3) RGB.

    ``progress(done, total)`` is called now and then while reading. Raises ``FolderError`` for a
    missing folder, a wrong size, or fewer than ``min_images`` readable pictures (the message
    lists how many files were skipped and the first reasons).
    """
    root = Path(folder).expanduser()
    if size not in SIZES:
        raise FolderError(f"image size must be one of {', '.join(map(str, SIZES))}, got {size}")
    if not root.is_dir():
        raise FolderError(f"{root} is not a folder")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    others = sum(1 for p in root.rglob("*") if p.is_file() and p.suffix.lower() not in IMAGE_SUFFIXES)
    files = files[:max_images]
    images: list[np.ndarray] = []
    skipped: list[str] = []
    for i, path in enumerate(files):
        try:
            images.append(_square_rgb(path, size))
        except ImageRejected as exc:  # the validator never lets a Pillow exception through
            skipped.append(f"{path.name}: {exc}")
        if progress is not None and (i % 200 == 0 or i == len(files) - 1):
            progress(i + 1, len(files))
    if len(images) < min_images:
        detail = "; ".join(skipped[:3])
        raise FolderError(
            f"{root}: found {len(images)} usable image(s), need at least {min_images}. "
            f"{len(skipped)} unreadable file(s) skipped{': ' + detail if detail else ''}; "
            f"{others} file(s) without an image suffix ({', '.join(IMAGE_SUFFIXES)}) ignored."
        )
    source = str(root) + (f" ({len(skipped)} unreadable file(s) skipped)" if skipped else "")
    return ImageData(
        images=np.stack(images),  # (N, size, size, 3)
        labels=np.zeros(len(images), dtype=np.int64),
        source=source,
        name=root.name or "images",
        class_names=(root.name or "images",),
    )
