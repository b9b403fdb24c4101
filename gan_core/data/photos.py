"""Real photos that are on disk without any download: the CycleGAN photo <-> cartoon data.

Three collections, each optional (a missing one is skipped, never fetched):
- scikit-image's bundled sample photos (the files inside the installed package; the larger
  ``skimage.data`` images that pooch would download are not used, and the package is never
  imported, so nothing can trigger a download);
- scikit-learn's two sample photos (``sklearn.datasets.load_sample_images`` reads the same files);
- Debian's ``mate-backgrounds`` nature photos in /usr/share/backgrounds/mate/nature.

Each photo has a fixed role, so the split is the same on every machine whichever collections
are installed: domain A (photos as they are), domain B (photos that are cartoonised: a
DIFFERENT set, so no photo of A has its own cartoon in B and training is truly unpaired), and
held out (never trained on: cycle error and filter-vs-G comparisons, and the page's examples).
Near duplicates are left out (scikit-image's right-eye motorcycle repeats the left one).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from gan_core.data.image_io import FOLDER_LIMITS, load_image

__all__ = ["ROLES", "PhotoSource", "PhotoSplit", "example_photos", "load_photo", "photo_sources",
           "random_patches", "split_sources"]

ROLES = ("a", "b", "held_out")
MATE_DIR = Path("/usr/share/backgrounds/mate/nature")
_MATE_CREDIT = "mate-backgrounds (Debian), see /usr/share/doc/mate-backgrounds/copyright"
_FLICKR = "CC BY 2.0, via scikit-learn's sample images"
# (collection, file, title, licence, credit, role)
_CATALOGUE: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("scikit-image", "astronaut.png", "Astronaut Eileen Collins", "public domain", "NASA", "held_out"),
    ("scikit-image", "chelsea.png", "Chelsea the cat", "CC0", "Stefan van der Walt", "held_out"),
    ("scikit-image", "coffee.png", "A cup of coffee", "CC0", "Rachel Michetti (Pikolo Espresso Bar)",
     "held_out"),
    ("scikit-image", "motorcycle_left.png", "Motorcycle", "Middlebury 2014 stereo data set",
     "Scharstein et al., Middlebury College", "a"),
    ("scikit-image", "rocket.jpg", "Falcon 9 on the launch pad", "public domain", "SpaceX", "b"),
    ("scikit-learn", "china.jpg", "Summer palace, China", _FLICKR, "danielbuechele on Flickr", "a"),
    ("scikit-learn", "flower.jpg", "Flower", _FLICKR, "vultilion on Flickr", "b"),
    ("mate-backgrounds", "Garden.jpg", "Garden flower", "GPL-2+", "Charles Barbin", "a"),
    ("mate-backgrounds", "Blinds.jpg", "Green leaf", "GPL-2+", "Lennart Poettering, Andrea Cimitan", "a"),
    ("mate-backgrounds", "Dune.jpg", "Dune grass by the sea", "GPL-2+", "Marco Cogoni, Hylke Bons", "a"),
    ("mate-backgrounds", "Aqua.jpg", "Water drop", "GPL-2+", "Charles Barbin", "a"),
    ("mate-backgrounds", "LadyBird.jpg", "Ladybird on forget-me-nots", "GPL-2+", "Charles Barbin", "a"),
    ("mate-backgrounds", "FreshFlower.jpg", "Orange flower", "GPL-2+", "Jens Ansorg", "b"),
    ("mate-backgrounds", "RainDrops.jpg", "Raindrops on leaves", "GPL-2+", "blackcombwhistler07", "b"),
    ("mate-backgrounds", "Storm.jpg", "Storm over a road", "GPL-2+", "Sergey Nazarov", "b"),
    ("mate-backgrounds", "Wood.jpg", "Wooden planks", "GPL-2+", "Jean-Francois Fortin Tam", "b"),
    ("mate-backgrounds", "TwoWings.jpg", "Dandelion seeds", "GPL-2+", "Charles Barbin, Hylke Bons", "b"),
    ("mate-backgrounds", "YellowFlower.jpg", "Yellow flower", "GPL-2+", "Charles Barbin", "held_out"),
    ("mate-backgrounds", "GreenMeadow.jpg", "Green meadow", "GPL-2+", "Timothy Schellhase, Lapo Calamandrei",
     "held_out"),
)
_EXAMPLES = ("astronaut.png", "chelsea.png", "coffee.png", "YellowFlower.jpg")  # page picker, all held out


@dataclass(frozen=True)
class PhotoSource:
    key: str  # "scikit-image/astronaut", stable across machines
    title: str
    path: Path
    collection: str  # "scikit-image" | "scikit-learn" | "mate-backgrounds"
    licence: str
    credit: str
    role: str  # one of ROLES

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"PhotoSource.role must be one of {ROLES}, got {self.role!r}")


@dataclass(frozen=True)
class PhotoSplit:
    """Disjoint photo sets: A (photos), B (to be cartoonised), held out (evaluation only)."""

    domain_a: tuple[PhotoSource, ...]
    domain_b: tuple[PhotoSource, ...]
    held_out: tuple[PhotoSource, ...]

    def __post_init__(self) -> None:
        keys = [s.key for part in (self.domain_a, self.domain_b, self.held_out) for s in part]
        if len(keys) != len(set(keys)):
            raise ValueError("PhotoSplit sets must be disjoint (unpaired training)")


def _package_dir(package: str) -> Path | None:
    """Where an installed package lives, found without importing it (None when not installed)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def _collection_dirs() -> dict[str, Path | None]:
    skimage, sklearn = _package_dir("skimage"), _package_dir("sklearn")
    return {"scikit-image": skimage / "data" if skimage else None,
            "scikit-learn": sklearn / "datasets" / "images" if sklearn else None,
            "mate-backgrounds": MATE_DIR}


def photo_sources() -> tuple[PhotoSource, ...]:
    """Every catalogued photo whose file is present here (possibly none), in catalogue order."""
    dirs = _collection_dirs()
    found = []
    for collection, name, title, licence, credit, role in _CATALOGUE:
        folder = dirs[collection]
        if folder is not None and (folder / name).is_file():
            found.append(PhotoSource(key=f"{collection}/{Path(name).stem}", title=title, path=folder / name,
                                     collection=collection, licence=licence, credit=credit, role=role))
    return tuple(found)


def split_sources(sources: Sequence[PhotoSource] | None = None) -> PhotoSplit:
    """Group ``sources`` (default: all present) by their fixed role into a ``PhotoSplit``."""
    sources = photo_sources() if sources is None else tuple(sources)
    parts = {role: tuple(s for s in sources if s.role == role) for role in ROLES}
    return PhotoSplit(domain_a=parts["a"], domain_b=parts["b"], held_out=parts["held_out"])


def example_photos() -> tuple[PhotoSource, ...]:
    """A few held-out photos for a page's picker (those present here)."""
    by_file = {s.path.name: s for s in photo_sources()}
    return tuple(by_file[name] for name in _EXAMPLES if name in by_file)


def load_photo(source: PhotoSource | str | Path, *, max_side: int | None = 512) -> np.ndarray:
    """One photo as uint8 (H, W, 3), long side at most ``max_side`` (None: as stored), through the validator."""
    path = source.path if isinstance(source, PhotoSource) else Path(source)
    return load_image(path, max_side=max_side, limits=FOLDER_LIMITS).pixels


def random_patches(photos: Sequence[np.ndarray], *, n: int, size: int, seed: int,
                   max_zoom_out: float = 2.0, flip: bool = True) -> np.ndarray:
    """``n`` random square patches (n, size, size, 3) uint8 from ``photos`` (each (H, W, 3)).

    Each patch picks a photo uniformly, a square side s uniformly in [size, max_zoom_out * size]
    (clipped to the photo's short side), a uniform position, resizes s -> size (so patches vary
    in scale, not only in position) and, if ``flip``, mirrors half of them left-right.
    Photos smaller than ``size`` are upscaled to it. Same arguments, same patches.
    """
    if n < 0 or size < 1 or max_zoom_out < 1.0 or not np.isfinite(max_zoom_out):
        raise ValueError(f"need n >= 0, size >= 1, finite max_zoom_out >= 1; got {n}, {size}, {max_zoom_out}")
    if not photos:
        raise ValueError("random_patches needs at least one photo")
    rng = np.random.default_rng(seed)
    out = np.empty((n, size, size, 3), dtype=np.uint8)
    for i in range(n):
        photo = photos[int(rng.integers(len(photos)))]  # (H, W, 3)
        h, w = photo.shape[:2]
        short = min(h, w)
        side = min(short, round(size * rng.uniform(1.0, max_zoom_out)))
        top, left = int(rng.integers(h - side + 1)), int(rng.integers(w - side + 1))
        crop = photo[top:top + side, left:left + side]
        if side != size:
            crop = np.asarray(Image.fromarray(crop).resize((size, size), Image.Resampling.BICUBIC))
        mirror = rng.random() < 0.5 and flip  # drawn either way: flip does not shift the stream
        out[i] = crop[:, ::-1] if mirror else crop
    return out
