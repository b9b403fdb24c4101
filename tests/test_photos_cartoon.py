"""Offline photo sources, seeded patches, the disjoint A / B / held-out split, and the cartoon filter."""

import subprocess
import sys

import numpy as np
import pytest

from gan_core.data import photos
from gan_core.data.cartoon import CartoonConfig, cartoonize
from gan_core.data.photos import (
    PhotoSplit,
    example_photos,
    load_photo,
    photo_sources,
    random_patches,
    split_sources,
)


def test_sources_are_on_disk_with_credits():
    sources = photo_sources()
    collections = {s.collection for s in sources}
    assert {"scikit-image", "scikit-learn"} <= collections  # both packages are dependencies
    assert len({s.key for s in sources}) == len(sources)
    for s in sources:
        assert s.path.is_file() and s.licence and s.credit and s.title
    astronaut = next(s for s in sources if s.key == "scikit-image/astronaut")
    assert load_photo(astronaut, max_side=128).shape == (128, 128, 3)


def test_loading_never_imports_a_downloader():
    code = ("import sys; from gan_core.data import photos; "
            "[photos.load_photo(s, max_side=64) for s in photos.photo_sources()]; "
            "print(sorted(m for m in ('skimage', 'sklearn', 'pooch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"  # the files are read, the packages (and pooch) never imported


def test_sklearn_photo_is_the_file_its_loader_reads():
    from sklearn.datasets import load_sample_image

    china = next(s for s in photo_sources() if s.key == "scikit-learn/china")
    np.testing.assert_array_equal(load_photo(china, max_side=None),
                                  load_sample_image("china.jpg"))


def test_split_is_disjoint_and_examples_are_held_out():
    split = split_sources()
    a, b, held = ({s.key for s in part} for part in (split.domain_a, split.domain_b, split.held_out))
    assert a and b and held
    assert not (a & b) and not (a & held) and not (b & held)  # no photo has its own cartoon in B
    assert a | b | held == {s.key for s in photo_sources()}
    examples = example_photos()
    assert examples and {s.key for s in examples} <= held
    with pytest.raises(ValueError, match="disjoint"):
        PhotoSplit(domain_a=split.domain_a, domain_b=split.domain_a[:1], held_out=())


def test_missing_collection_degrades_gracefully(tmp_path, monkeypatch):
    everything = photo_sources()
    monkeypatch.setattr(photos, "MATE_DIR", tmp_path / "no-such-folder")
    fewer = photo_sources()
    assert 0 < len(fewer) <= len(everything)
    assert all(s.collection != "mate-backgrounds" for s in fewer)
    split = split_sources()
    assert split.domain_a and split.domain_b and split.held_out  # each role keeps a package photo
    kept = {s.key: s.role for s in fewer}
    assert all(kept[s.key] == s.role for s in everything if s.key in kept)  # roles do not move


def test_random_patches_seeded_sized_and_varied():
    rng = np.random.default_rng(0)
    pics = [rng.integers(0, 256, (90, 120, 3), dtype=np.uint8), rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)]
    first = random_patches(pics, n=12, size=32, seed=5)
    assert first.shape == (12, 32, 32, 3) and first.dtype == np.uint8
    np.testing.assert_array_equal(first, random_patches(pics, n=12, size=32, seed=5))
    assert not np.array_equal(first, random_patches(pics, n=12, size=32, seed=6))
    assert len({p.tobytes() for p in first}) >= 10  # the 40x30 photo has few positions for 32-px patches
    small = random_patches(pics[1:], n=2, size=64, seed=0)  # a 40x30 photo is upscaled to 64x64
    assert small.shape == (2, 64, 64, 3)
    plain = random_patches(pics[:1], n=50, size=90, seed=1, max_zoom_out=1.0, flip=False)
    # scale 1 and no flip: each patch is a plain full-height window of the 90x120 photo
    assert all(any(np.array_equal(p, pics[0][:, x:x + 90]) for x in range(31)) for p in plain[:5])
    with pytest.raises(ValueError):
        random_patches([], n=1, size=8, seed=0)


def two_tone(size=64, seed=0) -> np.ndarray:
    """Light left half, darker right half, sensor noise: one strong vertical edge at x = size / 2."""
    img = np.zeros((size, size, 3), np.float64)
    img[:, : size // 2] = (200, 180, 150)
    img[:, size // 2:] = (90, 110, 150)
    img += np.random.default_rng(seed).normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_cartoon_has_few_colours_and_dark_outlines():
    photo = load_photo(next(s for s in photo_sources() if s.key == "scikit-image/coffee"), max_side=128)
    cartoon = cartoonize(photo)
    assert cartoon.shape == photo.shape and cartoon.dtype == np.uint8
    colours_in = len(np.unique(photo.reshape(-1, 3), axis=0))
    colours_out = len(np.unique(cartoon.reshape(-1, 3), axis=0))
    assert colours_out <= 2 * CartoonConfig().colours < colours_in / 100  # flat colours + their dark outlines

    img = two_tone()
    out = cartoonize(img).astype(float)
    grey_in, grey_out = img.astype(float).mean(-1), out.mean(-1)
    dark = grey_out < 0.5 * grey_in  # outline pixels
    columns = np.flatnonzero(dark.any(axis=0))
    assert dark[:, 28:36].any(axis=1).mean() > 0.95  # the edge is drawn along (almost) its whole length ...
    assert columns.min() >= 28 and columns.max() <= 35  # ... and nowhere else: the noise left no specks
    flat = out[:, :24].reshape(-1, 3)
    noisy = img[:, :24].reshape(-1, 3).astype(float)
    assert np.ptp(noisy, axis=0).min() > 30 and np.ptp(flat, axis=0).max() <= 4  # noise flattened away


def test_cartoon_is_deterministic_and_per_image():
    rng = np.random.default_rng(3)
    batch = np.stack([two_tone(seed=1), rng.integers(0, 256, (64, 64, 3), dtype=np.uint8), two_tone(seed=2)])
    out = cartoonize(batch)
    np.testing.assert_array_equal(out, cartoonize(batch))
    for i in range(3):  # a batch gives each image the cartoon it gets alone (own palette, no leaks)
        np.testing.assert_array_equal(out[i], cartoonize(batch[i]))
    assert cartoonize(np.zeros((3, 3, 3), np.uint8)).shape == (3, 3, 3)  # tiny inputs still work


def test_cartoon_config_refuses_bad_values():
    for bad in ({"sigma_s": float("nan")}, {"colours": 1}, {"edge_block": 4}, {"edge_darkness": 1.5},
                {"sigma_r": 0.0}):
        with pytest.raises(ValueError):
            CartoonConfig(**bad)
    with pytest.raises(ValueError, match="uint8"):
        cartoonize(np.zeros((8, 8, 3), np.float32))
