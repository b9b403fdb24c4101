"""Two unpaired picture domains for CycleGAN, and a seeded sampler of random crops from them.

Built in (nothing downloaded): domain A = the real photos of ``photos.split_sources().domain_a``,
domain B = the classical filter's cartoons (``cartoon.cartoonize``) of a DIFFERENT set of photos
(``domain_b``), so no photo of A has its own cartoon in B: the training is really unpaired. Both
are prepared once per process at the size the page works at (long side ``photo_side``) and cached;
the filter runs on whole photos, so a training crop of B looks like the filter's output on a
512-px photo, which is what G is compared with on the held-out photos.

A user's own folders go through the app's one image validator (``image_io.load_image``): files it
rejects are skipped and counted; a folder with too few usable pictures raises ``DomainError``
whose message says how many were found, why files were skipped, and what to do.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from gan_core.data.cartoon import cartoonize
from gan_core.data.folder import IMAGE_SUFFIXES
from gan_core.data.image_io import FOLDER_LIMITS, ImageRejected, load_image
from gan_core.data.photos import PhotoSource, load_photo, split_sources

__all__ = ["MIN_IMAGES", "CropSampler", "Domain", "DomainError", "builtin_domains", "folder_domain",
           "held_out_pairs", "to_tensor"]

MIN_IMAGES = 4  # random crops at several scales make a few pictures go a long way, but not one or two
MAX_IMAGES = 2_000  # 2,000 pictures of 512 x 384 x 3 bytes = 1.2 GB: more than that, make a subset


class DomainError(ValueError):
    """A domain folder cannot be used for training; the message says why and what to do."""


@dataclass(frozen=True, eq=False)  # eq=False: arrays do not compare as one bool
class Domain:
    name: str  # "photos", "cartoons" or the folder's name
    pictures: tuple[np.ndarray, ...]  # uint8 (H, W, 3) each, long side <= photo_side
    source: str  # where they came from, for the checkpoint's data_source
    skipped: tuple[str, ...] = ()  # "file: reason" of every rejected file


def to_tensor(picture: np.ndarray) -> torch.Tensor:
    """uint8 (H, W, 3) -> float32 (3, H, W) in [-1, 1] (the generators' range)."""
    return torch.from_numpy(np.array(picture, dtype=np.uint8)).permute(2, 0, 1).float() / 127.5 - 1.0  # a copy


def _at_least(picture: np.ndarray, side: int) -> np.ndarray:
    """Upscale so the short side is >= ``side`` (a crop needs that many pixels)."""
    h, w = picture.shape[:2]
    if min(h, w) >= side:
        return picture
    k = side / min(h, w)
    size = (max(side, round(w * k)), max(side, round(h * k)))
    return np.asarray(Image.fromarray(picture).resize(size, Image.Resampling.BICUBIC))


def _photos(sources: tuple[PhotoSource, ...], photo_side: int) -> tuple[np.ndarray, ...]:
    return tuple(load_photo(s, max_side=photo_side) for s in sources)


@functools.lru_cache(maxsize=2)
def builtin_domains(photo_side: int = 512) -> tuple[Domain, Domain]:
    """(A: real photos, B: the filter's cartoons of other photos), made once per process."""
    split = split_sources()
    if not split.domain_a or not split.domain_b:
        raise DomainError("the built-in photos are missing (scikit-image, scikit-learn or Debian's "
                          "mate-backgrounds): install one of them, or pass --domain-a and --domain-b folders")
    photos = _photos(split.domain_a, photo_side)
    cartoons = tuple(cartoonize(p) for p in _photos(split.domain_b, photo_side))  # one photo at a time
    a = Domain(name="photos", pictures=photos, source=f"{len(photos)} photos ({_keys(split.domain_a)})")
    b = Domain(name="cartoons", pictures=cartoons,
               source=f"classical-filter cartoons of {len(cartoons)} other photos ({_keys(split.domain_b)})")
    return a, b


def _keys(sources: tuple[PhotoSource, ...]) -> str:
    return ", ".join(s.key.split("/")[-1] for s in sources)


@functools.lru_cache(maxsize=2)
def held_out_pairs(photo_side: int = 512) -> tuple[tuple[str, np.ndarray, np.ndarray], ...]:
    """(key, photo, the filter's cartoon of it) for every held-out photo: evaluation only."""
    held = split_sources().held_out
    return tuple((s.key, p, cartoonize(p)) for s, p in zip(held, _photos(held, photo_side)))


def folder_domain(folder: str | Path, *, photo_side: int = 512, min_images: int = MIN_IMAGES,
                  what: str = "domain") -> Domain:
    """Every picture under ``folder`` (recursive, sorted), long side <= ``photo_side``.

    ``what`` names the folder in messages (e.g. "--domain-a"). Raises ``DomainError`` for a missing
    folder or fewer than ``min_images`` usable pictures."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DomainError(f"{what}: {root} is not a folder; give a folder that holds your pictures")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    ignored = sum(1 for p in root.rglob("*") if p.is_file() and p.suffix.lower() not in IMAGE_SUFFIXES)
    pictures: list[np.ndarray] = []
    skipped: list[str] = []
    for path in files[:MAX_IMAGES]:
        try:  # the one validator: content sniffed, size and pixel limits, EXIF, modes, first frame
            pictures.append(load_image(path, max_side=photo_side, limits=FOLDER_LIMITS).pixels)
        except ImageRejected as exc:
            skipped.append(f"{path.name}: {exc}")
    if len(pictures) < min_images:
        why = f" Skipped {len(skipped)} file(s): {'; '.join(skipped[:3])}." if skipped else ""
        other = f" {ignored} file(s) without a picture suffix were ignored." if ignored else ""
        raise DomainError(f"{what}: {root} has {len(pictures)} usable picture(s); CycleGAN needs at least "
                          f"{min_images} per domain.{why}{other} Add more JPEG, PNG or WebP pictures "
                          f"({', '.join(IMAGE_SUFFIXES)}) to the folder and try again.")
    note = f", {len(skipped)} unusable file(s) skipped" if skipped else ""
    return Domain(name=root.name or "pictures", pictures=tuple(pictures), skipped=tuple(skipped),
                  source=f"{len(pictures)} pictures from {root}{note}")


class CropSampler:
    """Random square crops of a domain's pictures as a float batch (B, 3, size, size) in [-1, 1].

    Each crop: a picture chosen uniformly, a side s uniform in [size, max_zoom_out * size] (clipped
    to the picture's short side), a uniform position, resized s -> size with antialiasing, mirrored
    left-right half of the time (the official CycleGAN's flip). Draws from ``generator`` only, so
    a run that saves and restores that generator continues with the same crops.
    """

    def __init__(self, pictures: tuple[np.ndarray, ...], *, size: int, max_zoom_out: float,
                 generator: torch.Generator) -> None:
        if not pictures:
            raise DomainError("a domain needs at least one picture")
        self.size, self.max_zoom_out, self.gen = size, max_zoom_out, generator
        self.pictures = [to_tensor(_at_least(p, size)) for p in pictures]  # (3, H, W) each

    def sample(self, n: int) -> torch.Tensor:
        out = []
        for _ in range(n):
            u = torch.rand(4, generator=self.gen)  # picture, scale, top, left
            flip = bool(torch.rand((), generator=self.gen) < 0.5)
            pic = self.pictures[min(int(u[0] * len(self.pictures)), len(self.pictures) - 1)]
            h, w = pic.shape[1:]
            side = min(h, w, round(self.size * (1.0 + float(u[1]) * (self.max_zoom_out - 1.0))))
            top, left = int(u[2] * (h - side + 1)), int(u[3] * (w - side + 1))
            crop = pic[:, top:top + side, left:left + side][None]  # (1, 3, side, side)
            if side != self.size:
                crop = F.interpolate(crop, size=(self.size, self.size), mode="bilinear", antialias=True,
                                     align_corners=False)
            out.append(crop.flip(-1) if flip else crop)
        return torch.cat(out).clamp_(-1.0, 1.0)  # (n, 3, size, size)

    def centre_crops(self, n: int) -> torch.Tensor:
        """The centre square of the first ``n`` pictures at ``size`` (fixed preview inputs)."""
        out = []
        for pic in self.pictures[:n]:
            h, w = pic.shape[1:]
            side = min(h, w)
            top, left = (h - side) // 2, (w - side) // 2
            crop = pic[:, top:top + side, left:left + side][None]
            out.append(F.interpolate(crop, size=(self.size, self.size), mode="bilinear", antialias=True,
                                     align_corners=False))
        return torch.cat(out).clamp_(-1.0, 1.0)
