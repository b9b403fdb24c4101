"""Checkerboard artefacts: write counts of transposed convs, and the stride peak of untrained generators."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from gan_core import checkerboard as cb
from gan_core import receptive_field as rf
from gan_core.models.upsampling import Generator, UpsamplingConfig, transposed_padding

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


def test_write_counts_uneven_for_k3_even_for_k4_at_stride_2() -> None:
    k3 = cb.write_counts(3, 2, in_size=14)
    assert k3.shape == (28, 28)
    inner = cb.interior(k3, 3)
    assert set(np.unique(inner)) == {1, 2, 4}  # the checkerboard: 1 / 2 / 4 pastes in a 2x2 period
    assert (inner[::2, ::2] == inner[0, 0]).all() and inner[0, 0] != inner[1, 1]
    assert cb.unevenness(k3, 3) == 4.0
    k4 = cb.write_counts(4, 2, in_size=14)
    assert k4.shape == (28, 28) and (cb.interior(k4, 2) == 4).all() and cb.unevenness(k4, 2) == 1.0
    assert (cb.interior(cb.write_counts(6, 3, in_size=8), 3) == 4).all()  # 6 is a multiple of 3
    assert cb.unevenness(cb.write_counts(5, 3, in_size=8), 3) > 1  # 5 is not


def test_resize_then_conv_writes_evenly() -> None:
    counts = cb.write_counts(3, 2, in_size=14, mode="resize")
    assert counts.shape == (28, 28) and (cb.interior(counts, 1) == 9).all()


@pytest.mark.parametrize(("kernel", "stride", "n"), [(3, 2, 6), (4, 2, 6), (4, 3, 5), (5, 2, 4)])
def test_write_counts_are_the_transpose_of_conv_coverage(kernel: int, stride: int, n: int) -> None:
    # a transposed conv writes each output pixel as often as the strided conv reads it
    writes = cb.write_counts(kernel, stride, in_size=n, padding=0, output_padding=0)
    assert np.array_equal(writes, rf.coverage_counts(writes.shape[0], kernel, stride))


@pytest.mark.parametrize("kernel", range(2, 9))
def test_transposed_padding_doubles_exactly(kernel: int) -> None:
    p, op = transposed_padding(kernel, 2)
    layer = nn.ConvTranspose2d(1, 1, kernel, 2, p, op)
    assert layer(torch.zeros(1, 1, 7, 7)).shape[-1] == 14


def test_generator_variants_differ_only_in_the_upsampling_kernel() -> None:
    z = torch.randn(3, 64)
    shapes = {}
    for kw in ({"kernel": 3}, {"kernel": 4}, {"mode": "resize"}):
        g = Generator(config=UpsamplingConfig(**kw))
        out = g(z)
        assert out.shape == (3, 1, 28, 28) and out.abs().max() <= 1
        shapes[str(kw)] = {k: tuple(v.shape) for k, v in g.state_dict().items()}
    k3, k4 = shapes["{'kernel': 3}"], shapes["{'kernel': 4}"]
    assert k3.keys() == k4.keys()
    differ = {k for k in k3 if k3[k] != k4[k]}
    assert differ == {"net.2.weight", "net.5.weight"}  # the two ConvTranspose2d kernels, nothing else
    with pytest.raises(ValueError):
        UpsamplingConfig(mode="bilinear")
    with pytest.raises(ValueError):
        UpsamplingConfig(img_size=30)


def test_spectrum_finds_a_pure_checkerboard() -> None:
    i, j = np.indices((28, 28))
    board = np.where((i + j) % 2 == 0, 1.0, -1.0) + 0.1 * np.sin(2 * np.pi * 3 * j / 28)
    spec = cb.spectrum(board)
    assert cb.strongest_frequencies(spec, 1)[0][:2] == (-14, -14)
    assert cb.stride_frequencies(28, 2) == [(-14, -14), (-14, 0), (0, -14)]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_untrained_deconv_generators_peak_at_the_stride_frequency(seed: int) -> None:
    stride_freqs = set(cb.stride_frequencies(28, 2))
    for kernel in (3, 4):  # even the "even overlap" k=4 shows it at initialisation (Odena et al.)
        spec = cb.spectrum(cb.untrained_samples(UpsamplingConfig(kernel=kernel), n=32, seed=seed))
        fy, fx, _ = cb.strongest_frequencies(spec, 1)[0]
        assert (fy, fx) in stride_freqs, (kernel, fy, fx)
        assert cb.stride_ratio(spec, 2) > 3, kernel
    resize = cb.spectrum(cb.untrained_samples(UpsamplingConfig(mode="resize"), n=32, seed=seed))
    assert cb.stride_ratio(resize, 2) < 1  # no peak: less than a typical frequency
    assert cb.strongest_frequencies(resize, 1)[0][:2] not in stride_freqs


def _textured_batch(n: int, *, seed: int, tile: np.ndarray, fixed: bool) -> np.ndarray:
    """(n, 28, 28): per-image random texture (white noise and a gradient, a different phase in every image)
    plus the 2 x 2 ``tile`` repeated over the image, at the same pixels in every image (``fixed``) or
    shifted by a random (dy, dx) in {0, 1}^2 per image (same amplitude, random phase)."""
    rng = np.random.default_rng(seed)
    i, j = np.indices((28, 28))
    images = 0.3 * rng.standard_normal((n, 28, 28)) + rng.uniform(-1, 1, (n, 1, 1)) * (i + j) / 56
    for image in images:
        dy, dx = (0, 0) if fixed else rng.integers(0, 2, size=2)
        image += tile[(i + dy) % 2, (j + dx) % 2]
    return images


TILE = np.array([[0.12, -0.02], [0.04, -0.14]])  # zero mean: all three stride frequencies (14, 0), (0, 14), (14, 14)


def test_locked_ratio_sees_a_fixed_pattern_that_the_mean_spectrum_cannot_tell_apart() -> None:
    fixed = _textured_batch(1024, seed=0, tile=TILE, fixed=True)
    moving = _textured_batch(1024, seed=0, tile=TILE, fixed=False)
    plain = [cb.stride_ratio(cb.spectrum(x), 2) for x in (fixed, moving)]
    assert plain[0] == pytest.approx(plain[1], rel=0.05)  # the same peak in every image's own spectrum
    locked = [cb.locked_ratio(x, 2) for x in (fixed, moving)]
    assert locked[0] > 0.5 * plain[0] and locked[0] > 10 * locked[1], (plain, locked)
    assert locked[1] < 3 * plain[1] / np.sqrt(1024)  # a random phase averages down to ~1 / sqrt(N) of the peak
    clean = cb.locked_ratio(_textured_batch(1024, seed=0, tile=np.zeros((2, 2)), fixed=True), 2)
    assert clean < 0.05  # texture alone: nothing stamped


def test_stamped_pattern_recovers_the_fixed_tile_in_the_images_units() -> None:
    i, j = np.indices((28, 28))
    want = TILE[i % 2, j % 2]
    pure = np.repeat(want[None], 3, axis=0) + np.array([0.5, -0.2, 0.0])[:, None, None]  # offsets: removed
    assert np.allclose(cb.stamped_pattern(pure, 2), want)
    fixed = cb.stamped_pattern(_textured_batch(1024, seed=2, tile=TILE, fixed=True), 2)
    moving = cb.stamped_pattern(_textured_batch(1024, seed=2, tile=TILE, fixed=False), 2)
    assert np.abs(fixed - want).max() < 0.005  # the tile, less its mean, within the noise of averaging
    assert np.abs(moving).max() < 0.1 * np.abs(want).max()  # a random phase leaves ~1 / sqrt(N) of it
    assert np.allclose(fixed[:2, :2], fixed[2:4, 4:6])  # period 2
    with pytest.raises(ValueError):
        cb.stamped_pattern(want, 2)  # one image: a batch is needed
