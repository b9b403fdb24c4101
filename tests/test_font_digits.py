"""Typeset digits in MNIST's layout: determinism, shapes, MNIST-like statistics, fonts, fallback."""

import math

import numpy as np
import pytest

from gan_core.data.font_digits import FontDigitConfig, find_font_files, render_font_digits

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


@pytest.fixture(scope="module")
def digits():
    return render_font_digits(400, seed=3)


def _centre_of_mass(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = images.astype(np.float64)
    idx = np.arange(28)  # 0-based pixel index, the convention MNIST is centred in
    mass = x.sum(axis=(1, 2))
    return (x.sum(axis=1) * idx).sum(axis=1) / mass, (x.sum(axis=2) * idx).sum(axis=1) / mass


def test_shapes_dtypes_and_balanced_labels(digits):
    assert digits.images.shape == (400, 28, 28) and digits.images.dtype == np.uint8
    assert digits.labels.shape == (400,) and digits.labels.dtype == np.int64
    assert np.bincount(digits.labels, minlength=10).tolist() == [40] * 10
    assert digits.shift.shape == (400, 2) and len(digits) == 400
    data = digits.as_image_data()
    assert data.name == "font-digits" and len(data) == 400 and data.n_classes == 10


def test_same_seed_same_images_other_seed_differs():
    a, b = render_font_digits(60, seed=5), render_font_digits(60, seed=5)
    c = render_font_digits(60, seed=6)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.images, c.images)


def test_mnist_like_statistics(digits):
    imgs = digits.images
    # background black: the 2-pixel frame is (almost) empty, most pixels are exactly 0
    frame = np.concatenate([imgs[:, :2].ravel(), imgs[:, -2:].ravel(), imgs[:, :, :2].ravel(), imgs[:, :, -2:].ravel()])
    assert frame.mean() < 3.0
    assert (imgs == 0).mean() > 0.7
    # white strokes: every digit reaches (near) full intensity, ink covers 10-35% like MNIST's ~19%
    assert (imgs.reshape(len(imgs), -1).max(axis=1) >= 250).all()
    ink = (imgs > 25).mean(axis=(1, 2))
    assert 0.08 < ink.mean() < 0.35
    # centre of mass at pixel (14, 14) like MNIST, off by at most the configured shift (+ resampling)
    cx, cy = _centre_of_mass(imgs)
    shift = FontDigitConfig().shift
    # (a few tall digits shifted towards an edge lose a sliver of stroke there, as MNIST would)
    err = np.concatenate([cx - 14.0 - digits.shift[:, 0], cy - 14.0 - digits.shift[:, 1]])
    assert np.median(np.abs(err)) < 0.1 and np.quantile(np.abs(err), 0.98) < 0.35 and np.abs(err).max() < 0.8
    assert np.abs(cx - 14.0).max() < shift + 0.35 and abs(cx.mean() - 14.0) < 0.25


def test_longest_side_fits_the_20_pixel_box():
    cfg = FontDigitConfig(scale=(1.0, 1.0), shift=0.0, slant=0.0, thickness=(0.0, 0.0))
    d = render_font_digits(50, seed=0, config=cfg)
    for img in d.images:
        rows, cols = np.nonzero(img > 60)
        side = max(rows.max() - rows.min() + 1, cols.max() - cols.min() + 1)
        assert 18 <= side <= 22


def test_pose_parameters_act_on_the_picture():
    base = FontDigitConfig(slant=0.0, thickness=(0.0, 0.0), scale=(0.9, 0.9), shift=0.0)
    thin = render_font_digits(40, seed=1, config=FontDigitConfig(**{**base.__dict__, "thickness": (-0.4, -0.4)}))
    thick = render_font_digits(40, seed=1, config=FontDigitConfig(**{**base.__dict__, "thickness": (1.0, 1.0)}))
    assert thick.images.astype(float).sum() > 1.3 * thin.images.astype(float).sum()
    # slant: positive shear leans the top to the right, so the top half's mass sits right of the bottom's
    def lean(images: np.ndarray) -> float:
        x = images.astype(float)
        idx = np.arange(28)
        top = (x[:, :14].sum(axis=1) * idx).sum(axis=1) / x[:, :14].sum(axis=(1, 2))
        bottom = (x[:, 14:].sum(axis=1) * idx).sum(axis=1) / x[:, 14:].sum(axis=(1, 2))
        return float((top - bottom).mean())
    right = render_font_digits(40, seed=1, config=FontDigitConfig(**{**base.__dict__, "slant": 0.3}))
    upright = render_font_digits(40, seed=1, config=base)
    assert lean(right.images[right.slant > 0.15]) > lean(upright.images) + 1.0


def test_several_fonts_of_several_kinds_are_used(digits):
    if not find_font_files():
        pytest.skip("no font files on this machine (the fallback is tested separately)")
    used = {digits.fonts[i] for i in np.unique(digits.font_ids)}
    assert len(used) >= 5
    assert len({f.category for f in digits.fonts}) >= 2  # e.g. sans and serif (DejaVu has mono too)
    assert any(f.bold for f in digits.fonts) and not digits.fallback
    assert str(len(digits.fonts)) in digits.describe()


def test_fallback_to_builtin_font_says_so(tmp_path):
    bogus = tmp_path / "broken.ttf"
    bogus.write_bytes(b"not a font")
    d = render_font_digits(20, seed=0, font_paths=[bogus])
    assert d.fallback and len(d.fonts) == 1 and d.fonts[0].category == "built-in"
    assert "built-in" in d.note and "built-in" in d.describe()
    assert d.images.shape == (20, 28, 28) and (d.images.reshape(20, -1).max(axis=1) > 200).all()


def test_labels_can_be_given_and_are_checked():
    d = render_font_digits(3, seed=0, labels=[7, 7, 1])
    assert d.labels.tolist() == [7, 7, 1]
    with pytest.raises(ValueError):
        render_font_digits(2, labels=[1, 10])
    with pytest.raises(ValueError):
        render_font_digits(3, labels=[1, 2])


@pytest.mark.parametrize(
    "bad",
    [
        {"slant": math.nan},
        {"slant": -0.1},
        {"thickness": (1.0, 0.0)},
        {"thickness": (0.0, math.inf)},
        {"scale": (0.0, 1.0)},
        {"shift": -1.0},
        {"box": 40},
    ],
)
def test_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        FontDigitConfig(**bad)
