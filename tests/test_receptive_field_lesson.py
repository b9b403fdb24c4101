"""The receptive-field lesson's helpers: edited tables checked cell by cell, the backward walk, the course's
same-layer shortcut, and formula == real module == measurement for every preset the page offers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gan_core import receptive_field as rf
from gan_core import receptive_field_lesson as lesson

K4S2 = {"kind": "conv", "kernel": 4, "stride": 2, "padding": 1, "dilation": 1}


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


def test_rows_round_trip_and_pandas_like_cells() -> None:
    layers = lesson.lesson_presets()["pix2pix_n3"]
    assert lesson.layers_from_rows(lesson.rows_of(layers)) == layers
    # what st.data_editor hands back: floats for ints, NaN for an untouched new row
    cells = [{**K4S2, "kernel": 4.0, "stride": np.int64(2)}, dict.fromkeys(lesson.FIELDS, float("nan"))]
    assert lesson.layers_from_rows(cells) == (rf.Layer(kernel=4, stride=2, padding=1),)


@pytest.mark.parametrize(("cells", "code", "field"), [
    ([], "empty", ""),
    ([{**K4S2, "kernel": float("nan")}], "missing", "kernel"),
    ([{**K4S2, "kind": None}], "missing", "kind"),
    ([{**K4S2, "stride": 2.5}], "not_integer", "stride"),
    ([{**K4S2, "stride": "two"}], "not_integer", "stride"),
    ([{**K4S2, "padding": True}], "not_integer", "padding"),
    ([{**K4S2, "kernel": math.inf}], "not_integer", "kernel"),
    ([{**K4S2, "kernel": 0}], "range", "kernel"),
    ([{**K4S2, "dilation": 99}], "range", "dilation"),
    ([{**K4S2, "kind": "conv3d"}], "kind", "kind"),
    ([{**K4S2, "kind": "maxpool", "kernel": 2, "padding": 2}], "pool_padding", "padding"),
    ([{**K4S2, "kind": "avgpool", "dilation": 2}], "avgpool_dilation", "dilation"),
    ([K4S2] * (lesson.MAX_LAYERS + 1), "too_many", ""),
])
def test_bad_tables_name_the_culprit(cells, code, field) -> None:
    with pytest.raises(lesson.TableError) as err:
        lesson.layers_from_rows(cells)
    assert (err.value.code, err.value.field) == (code, field)
    if cells and code != "too_many":
        assert err.value.row == 1


def test_input_too_small_names_the_layer() -> None:
    layers = lesson.lesson_presets()["course_5"]
    lesson.check_input_size(layers, 64)  # 32, 16, 8, 4, 2
    with pytest.raises(lesson.TableError) as err:
        lesson.check_input_size(layers, 28)  # 14, 7, 3, 1, then nothing
    assert (err.value.code, err.value.row, err.value.value) == ("too_small", 5, 1)
    with pytest.raises(lesson.TableError, match="range"):
        lesson.check_input_size(layers, 5000)


def test_backward_walk_gives_70_and_the_same_layer_shortcut_gives_94() -> None:
    layers = lesson.lesson_presets()["pix2pix_n3"]
    walk = lesson.backward_walk(layers)
    assert [w.index for w in walk] == [5, 4, 3, 2, 1]
    assert [w.r_in for w in walk] == [4, 7, 16, 34, 70]
    assert all(w.r_in == w.k_eff + (w.r_out - 1) * w.stride for w in walk)
    assert lesson.same_layer_guess(layers) == 94 == lesson.course_formula(5)
    for n in range(1, 6):  # the course's table is right for its own stack
        course = lesson.lesson_presets()[f"course_{n}"]
        assert lesson.same_layer_guess(course) == rf.receptive_field(course) == lesson.course_formula(n)
    assert [lesson.course_formula(n) for n in range(1, 6)] == [4, 10, 22, 46, 94]
    assert rf.receptive_field(lesson.QUIZ_LAYERS) == 22


def test_nlayer_discriminator_with_zero_layers_is_not_the_pixelgan() -> None:
    presets = lesson.lesson_presets()
    assert presets["pix2pix_nlayer0"] == rf.pix2pix_layers(1)  # the loop adds nothing; 3 layers remain
    assert rf.receptive_field(presets["pix2pix_nlayer0"]) == 16
    assert rf.receptive_field(presets["pix2pix_n0"]) == 1


@pytest.mark.parametrize("name", sorted(lesson.lesson_presets()))
def test_formula_module_and_measurement_agree_on_every_preset(name: str) -> None:
    layers = lesson.lesson_presets()[name]
    size = lesson.default_input_size(name)
    module, source = lesson.real_module(name, layers, input_size=size)
    expected_source = {"dcgan_d_28": "dcgan", "pix2pix_n0": "patchgan", "pix2pix_n1": "patchgan",
                       "pix2pix_n3": "patchgan", "pix2pix_n5": "patchgan"}.get(name, "table")
    assert source == expected_source
    h = rf.table(layers, size)[-1].out_size
    for cell in {(h // 2, h // 2), (0, h - 1)}:
        got = lesson.three_ways(layers, module, input_size=size, cell=cell)
        assert got.agree, (name, cell, got)
        assert got.rf_side == rf.receptive_field(layers)


def test_an_edited_table_falls_back_to_its_own_module() -> None:
    layers = lesson.lesson_presets()["dcgan_d_28"][:2]  # the preset's name, but not its table
    module, source = lesson.real_module("dcgan_d_28", layers, input_size=28)
    assert source == "table" and rf.layers_from_module(module, input_size=28) == layers
    _, source = lesson.real_module("pix2pix_n5", rf.pix2pix_layers(5), input_size=40)  # too small for it
    assert source == "table"


def test_coverage_summary_of_the_course_example() -> None:
    counts = rf.coverage_counts(24, kernel=4, stride=3)
    assert set(lesson.coverage_summary(counts, margin=6)) == {1, 2, 4}
    assert lesson.coverage_summary(rf.coverage_counts(24, kernel=4, stride=2), margin=5) == {4: 14 * 14}
    assert 0 in lesson.coverage_summary(rf.coverage_counts(24, kernel=2, stride=3), margin=4)
    with pytest.raises(ValueError):
        lesson.coverage_summary(counts, margin=12)


def test_example_images() -> None:
    digit = np.arange(28 * 28, dtype=np.uint8).reshape(28, 28)
    big = lesson.example_image("digit", 56, digit=digit)
    assert big.shape == (56, 56) and (big[::2, ::2] == digit).all()  # nearest: pixels stay visible
    photo = np.zeros((30, 50, 3), dtype=np.uint8)
    assert lesson.example_image("photo", 64, photo=photo).shape == (64, 64, 3)
    for kwargs in ({"kind": "digit", "size": 64}, {"kind": "video", "size": 64, "digit": digit},
                   {"kind": "digit", "size": 4, "digit": digit}):
        with pytest.raises(ValueError):
            lesson.example_image(**kwargs)


def test_probe_cost_guard() -> None:
    small = lesson.lesson_presets()["pix2pix_n3"]
    assert lesson.probe_macs(small, input_size=256) < lesson.MAX_PROBE_MACS
    huge = (rf.Layer(kernel=64, padding=32),) * 4  # a student's 64x64 kernels on a 1024-px input
    assert lesson.probe_macs(huge, input_size=1024) > lesson.MAX_PROBE_MACS
    assert lesson.probe_macs(small, input_size=256) == sum(
        r.out_size**2 * 16 * 4 for r in rf.table(small, 256))
