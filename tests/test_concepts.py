"""Stroke thickness and slant on drawn strokes; classifier class on real digits; splits."""
import numpy as np
import pytest

from gan_core import concepts


def bar(width: int, shear: float = 0.0) -> np.ndarray:
    """A vertical bar of `width` pixels, 16 rows tall, sheared by `shear` columns per row."""
    img = np.zeros((28, 28), dtype=np.uint8)
    for r in range(6, 22):
        c0 = round(12 + shear * (14 - r))  # y up: top rows move right for shear > 0
        img[r, c0:c0 + width] = 255
    return img


def test_thickness_grows_with_pen_width():
    widths = [1, 2, 3, 5]
    t = concepts.stroke_thickness(np.stack([bar(w) for w in widths]))
    assert list(np.argsort(t)) == [0, 1, 2, 3]
    assert t[2] == pytest.approx(3, rel=0.25)  # 2 * 48 / (2 * 16 + 2 * 3) = 2.53
    assert concepts.stroke_thickness(np.zeros((1, 28, 28), np.uint8))[0] == 0.0


def test_slant_sign_and_order():
    s = concepts.slant(np.stack([bar(2, -0.4), bar(2, 0.0), bar(2, 0.4)]))
    assert s[0] < -0.2 and abs(s[1]) < 0.05 and s[2] > 0.2
    # float input in [-1, 1] with a channel axis gives the same numbers
    f = np.stack([bar(2, 0.4)]).astype(np.float32)[:, None] / 127.5 - 1
    assert concepts.slant(f)[0] == pytest.approx(s[2], rel=1e-5)


def test_split_by_and_members():
    hi, lo = concepts.split_by(np.array([5.0, 1.0, 3.0, 9.0, 0.0, 4.0]), 2)
    assert list(hi) == [3, 0] and list(lo) == [4, 1]
    with pytest.raises(ValueError):
        concepts.split_by(np.arange(4.0), 3)
    m = concepts.members(np.array([1, 7, 7, 2, 7]), 7, k=2, confidence=np.array([0.9, 0.5, 0.99, 0.2, 0.8]))
    assert list(m) == [2, 4]


def test_bad_shapes_raise():
    with pytest.raises(ValueError):
        concepts.slant(np.zeros((2, 3, 28, 28), np.float32))


def test_digit_class_on_real_digits():
    from gan_core.checkpoints import REPO_ROOT
    from gan_core.data import load_mnist

    if not (REPO_ROOT / "checkpoints" / "mnist_classifier.json").exists():
        pytest.skip("shipped classifier not present yet")
    data = load_mnist()
    idx = np.arange(0, len(data), 50)
    cls, conf = concepts.digit_class(data.images[idx])
    assert (cls == data.labels[idx]).mean() > 0.9
    assert conf.shape == (len(idx),) and (conf <= 1).all()
