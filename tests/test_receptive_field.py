"""Receptive fields: known sizes, formula == table == real module == back-propagated measurement."""

from __future__ import annotations

import numpy as np
import pytest
from torch import nn

from gan_core import receptive_field as rf
from gan_core.models import dcgan
from gan_core.models.patchgan import PatchDiscriminator, PatchGANConfig

# Sizes from the literature, not from our code: the course's table (4 + (side - 1) * 2 per layer),
# pix2pix's discriminators (paper, Table 2: 1x1, 16x16, 70x70, 286x286) and DCGAN-D on 28 px.
KNOWN = {
    "course_1": 4, "course_2": 10, "course_3": 22, "course_4": 46, "course_5": 94,
    "pix2pix_n0": 1, "pix2pix_n1": 16, "pix2pix_n3": 70, "pix2pix_n5": 286,
    "dcgan_d_28": 34, "conv3_pool2": 4, "conv4_stride2": 4,
}


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


def test_presets_have_the_known_sizes() -> None:
    presets = rf.presets()
    assert set(presets) == set(KNOWN)
    for name, size in KNOWN.items():
        assert rf.receptive_field(presets[name]) == size, name
        assert rf.table(presets[name])[-1].rf == size, name  # forward recursion agrees


def test_course_recursion_is_the_general_one() -> None:
    side = 1
    for n in range(1, 6):
        side = 4 + (side - 1) * 2  # the course's formula, from the output back
        assert rf.receptive_field(rf.presets()[f"course_{n}"]) == side


def test_70_needs_the_general_recursion() -> None:
    # strides 2, 2, 2, 1, 1: applying "4 + (side - 1) * 2" to all 5 layers would give 94, not 70
    layers = rf.pix2pix_layers(3)
    assert [layer.stride for layer in layers] == [2, 2, 2, 1, 1]
    assert rf.receptive_field(layers) == 70 != rf.receptive_field(rf.presets()["course_5"])
    rows = rf.table(layers, input_size=256)
    assert [r.rf for r in rows] == [4, 10, 22, 46, 70]
    assert [r.jump for r in rows] == [2, 4, 8, 8, 8]
    assert [r.out_size for r in rows] == [128, 64, 32, 31, 30]  # the official 30x30 map on 256 px


def test_every_prefix_of_the_table_matches_the_backward_formula() -> None:
    for name, layers in rf.presets().items():
        for i, row in enumerate(rf.table(layers), start=1):
            assert row.rf == rf.receptive_field(layers[:i]), (name, i)
            assert row.jump == int(np.prod([la.stride for la in layers[:i]]))


def test_dcgan_discriminator_is_a_whole_image_judge() -> None:
    d = dcgan.Discriminator(config=dcgan.DCGANConfig())
    layers = rf.layers_from_module(d, input_size=28)
    assert layers == rf.presets()["dcgan_d_28"]
    assert rf.patch_bounds(layers, 0, 0) == (-3, -3, 30, 30)  # 34 px, 3 of them padding on each side
    assert rf.patch_bounds(layers, 0, 0, input_size=28) == (0, 0, 27, 27)
    assert rf.measure_receptive_field(d, input_size=28) == (0, 0, 27, 27)


def _probe_size(layers: tuple[rf.Layer, ...]) -> int:
    """An input big enough that the centre output cell's whole field lies inside the image."""
    last = rf.table(layers)[-1]
    return 2 * last.rf + 4 * last.jump + 8


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_analytic_equals_module_equals_empirical(name: str) -> None:
    layers = rf.presets()[name]
    size = _probe_size(layers)
    module = rf.module_from_layers(layers)
    assert rf.layers_from_module(module, input_size=size) == layers
    h = rf.table(layers, size)[-1].out_size
    for cell in ((h // 2, h // 2), (0, 0), (h - 1, h // 3)):
        expected = rf.patch_bounds(layers, *cell, input_size=size)
        assert rf.measure_receptive_field(module, input_size=size, cell=cell) == expected, cell
    top, left, bottom, right = rf.measure_receptive_field(module, input_size=size)
    assert bottom - top + 1 == right - left + 1 == KNOWN[name]  # centre cell: the full field, unclipped


@pytest.mark.parametrize("n_layers", [1, 3, 5])
def test_real_patchgan_modules_match_the_official_presets(n_layers: int) -> None:
    d = PatchDiscriminator(config=PatchGANConfig(n_layers=n_layers, base=2, img_size=320, norm="instance"))
    size = _probe_size(rf.pix2pix_layers(n_layers))
    assert rf.layers_from_module(d.net, input_size=size) == rf.pix2pix_layers(n_layers)
    top, _, bottom, _ = rf.measure_receptive_field(d.net, input_size=size)  # norms are bypassed
    assert bottom - top + 1 == KNOWN[f"pix2pix_n{n_layers}"]


def test_dilation_and_pooling() -> None:
    layers = (rf.Layer(kernel=3, dilation=2, padding=2), rf.Layer(kind="avgpool", kernel=2, stride=2),
              rf.Layer(kernel=3, stride=1, padding=1))
    assert layers[0].k_eff == 5
    assert rf.receptive_field(layers) == 5 + (2 - 1) * 1 + (3 - 1) * 2  # 10
    module = rf.module_from_layers(layers)
    assert rf.layers_from_module(module, input_size=32) == layers
    assert rf.measure_receptive_field(module, input_size=32) == rf.patch_bounds(layers, 8, 8, input_size=32)


def test_stride2_conv_covers_what_conv_plus_pooling_covers() -> None:
    p = rf.presets()
    a, b = rf.table(p["conv4_stride2"], 28)[-1], rf.table(p["conv3_pool2"], 28)[-1]
    assert (a.rf, a.jump, a.offset, a.out_size) == (b.rf, b.jump, b.offset, b.out_size) == (4, 2, -1, 14)


def test_coverage_counts_even_only_when_kernel_divides_by_stride() -> None:
    even = rf.coverage_counts(20, kernel=4, stride=2, padding=1)
    assert (even[2:-2, 2:-2] == 4).all()  # 2 windows per axis in the interior
    uneven = rf.coverage_counts(20, kernel=4, stride=3)
    inner = uneven[3:-3, 3:-3]
    assert set(np.unique(inner)) == {1, 2, 4}  # the course's picture: some cells counted more often
    assert (np.diff(uneven[5, 3:-3]) != 0).any()


def test_bad_layers_and_modules_are_refused() -> None:
    for kwargs in ({"kernel": 0}, {"stride": 0}, {"padding": -1}, {"kind": "conv3d"}, {"kernel": True},
                   {"kernel": 2.5}, {"dilation": 99}):
        with pytest.raises(ValueError):
            rf.Layer(**kwargs)
    with pytest.raises(ValueError, match="too small"):
        rf.table(rf.presets()["course_5"], input_size=28)  # 28 -> 14 -> 7 -> 3 -> 1 -> 0
    with pytest.raises(ValueError, match="transposed"):
        rf.layers_from_module(nn.Sequential(nn.ConvTranspose2d(1, 1, 4, 2, 1)), input_size=8, in_channels=1)
    with pytest.raises(ValueError, match="outside"):
        rf.measure_receptive_field(rf.module_from_layers(rf.presets()["course_1"]), input_size=8, cell=(9, 0))
