"""The receptive-field lesson's maths beyond ``gan_core.receptive_field``: an edited layer table checked
cell by cell, the backward walk written out, the course's same-layer shortcut, the real modules behind
the presets, and "analytic == from the module == measured" for one output cell.

Facts the page teaches (each checked in tests/test_receptive_field_lesson.py):
- the course writes r = 4 + (side - 1) * 2 for a stack of identical k4 s2 layers; applied to a stack
  whose strides differ (pix2pix 70x70: strides 2, 2, 2, 1, 1) it gives 94, the general walk gives 70;
- the official pix2pix code's 1x1 PixelGAN is ``--netD pixel`` (PixelDiscriminator: three 1x1 convs);
  ``NLayerDiscriminator(n_layers=0)`` would still be k4 s2 + k4 s1 + k4 s1, a 16-px field, like n_layers=1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from torch import nn

from gan_core import receptive_field as rf

FIELDS = ("kind", "kernel", "stride", "padding", "dilation")
MAX_LAYERS = 12
INPUT_SIZES = (8, 1024)  # the page's input-size bounds: a measurement at 1024 px still takes < 1 s
QUIZ_LAYERS = (rf.Layer(kernel=4, stride=2, padding=1),) * 3  # "3 layers of kernel 4, stride 2": 22 px


class TableError(ValueError):
    """Why an edited layer table cannot be used; ``code`` selects the page's translated message.

    codes: empty, too_many, missing, not_integer, range, kind, pool_padding, avgpool_dilation, too_small
    """

    def __init__(self, code: str, *, row: int = 0, field: str = "", value: object = None,
                 low: int = 0, high: int = 0) -> None:
        self.code, self.row, self.field, self.value, self.low, self.high = code, row, field, value, low, high
        super().__init__(f"{code}: row {row}, field {field!r}, value {value!r}, allowed [{low}, {high}]")


def _integer(value: object, row: int, field: str) -> int:
    """A table cell as an int: NaN / None / '' are missing, 2.5 or 'abc' are not integers."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise TableError("missing", row=row, field=field)
    if isinstance(value, bool):
        raise TableError("not_integer", row=row, field=field, value=value)
    try:
        number = float(value)  # numpy ints/floats, pandas cells, numeric strings
    except (TypeError, ValueError):
        raise TableError("not_integer", row=row, field=field, value=value) from None
    if math.isnan(number):
        raise TableError("missing", row=row, field=field)
    if not math.isfinite(number) or number != int(number):
        raise TableError("not_integer", row=row, field=field, value=value)
    low, high = rf.LIMITS[field]
    if not low <= int(number) <= high:
        raise TableError("range", row=row, field=field, value=int(number), low=low, high=high)
    return int(number)


def layers_from_rows(rows: Sequence[Mapping[str, object]]) -> tuple[rf.Layer, ...]:
    """Rows of an edited table ({kind, kernel, stride, padding, dilation}) -> layers; rows left entirely
    empty are skipped. Raises TableError naming the first bad cell (rows numbered from 1)."""
    layers = []
    for row, cells in enumerate(rows, start=1):
        if all(_blank(cells.get(f)) for f in FIELDS):
            continue  # a fresh row the student has not filled in yet
        kind = cells.get("kind")
        if _blank(kind):
            raise TableError("missing", row=row, field="kind")
        if kind not in rf.KINDS:
            raise TableError("kind", row=row, field="kind", value=kind)
        values = {f: _integer(cells.get(f), row, f) for f in FIELDS[1:]}
        layer = rf.Layer(kind=str(kind), **values)
        if kind != "conv" and 2 * layer.padding > layer.k_eff:
            raise TableError("pool_padding", row=row, field="padding", value=layer.padding, high=layer.k_eff // 2)
        if kind == "avgpool" and layer.dilation != 1:
            raise TableError("avgpool_dilation", row=row, field="dilation", value=layer.dilation)
        layers.append(layer)
    if not layers:
        raise TableError("empty")
    if len(layers) > MAX_LAYERS:
        raise TableError("too_many", value=len(layers), high=MAX_LAYERS)
    return tuple(layers)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value)


def rows_of(layers: Sequence[rf.Layer]) -> list[dict[str, object]]:
    """Layers -> the editable table's rows (the inverse of ``layers_from_rows``)."""
    return [{"kind": la.kind, "kernel": la.kernel, "stride": la.stride, "padding": la.padding,
             "dilation": la.dilation} for la in layers]


def check_input_size(layers: Sequence[rf.Layer], input_size: int) -> None:
    """TableError "too_small" naming the first layer whose output would be empty on ``input_size`` px."""
    if not INPUT_SIZES[0] <= input_size <= INPUT_SIZES[1]:
        raise TableError("range", field="input_size", value=input_size, low=INPUT_SIZES[0], high=INPUT_SIZES[1])
    n = input_size
    for row, layer in enumerate(layers, start=1):
        out = layer.out_size(n)
        if out < 1:
            raise TableError("too_small", row=row, value=n, low=layer.k_eff - 2 * layer.padding)
        n = out


def lesson_presets() -> dict[str, tuple[rf.Layer, ...]]:
    """The calculator's presets: ``rf.presets()`` plus NLayerDiscriminator(n_layers=0) (16 px, not 1)."""
    k4s1 = rf.Layer(kernel=4, stride=1, padding=1)
    return {**rf.presets(), "pix2pix_nlayer0": (rf.Layer(kernel=4, stride=2, padding=1), k4s1, k4s1)}


def default_input_size(preset: str) -> int:
    """The input each preset is usually shown on: 28 px for this app's DCGAN D and the two remarks, 256 else."""
    return 28 if preset in ("dcgan_d_28", "conv3_pool2", "conv4_stride2") else 256


@dataclass(frozen=True)
class WalkStep:
    """One step of the backward walk: layer ``index`` turns a field of ``r_out`` into ``r_in`` pixels."""

    index: int
    k_eff: int
    stride: int
    r_out: int
    r_in: int  # k_eff + (r_out - 1) * stride


def backward_walk(layers: Sequence[rf.Layer]) -> list[WalkStep]:
    """r_in = k_eff + (r_out - 1) * s from the last layer (r_out = 1) back to the first."""
    steps, r = [], 1
    for index in range(len(layers), 0, -1):
        layer = layers[index - 1]
        r_in = layer.k_eff + (r - 1) * layer.stride
        steps.append(WalkStep(index=index, k_eff=layer.k_eff, stride=layer.stride, r_out=r, r_in=r_in))
        r = r_in
    return steps


def same_layer_guess(layers: Sequence[rf.Layer]) -> int:
    """What a same-layer recurrence gives: every layer treated like the FIRST one (the course's
    4 + (side - 1) * 2 for k4 s2 stacks). Equal to the true field only when all layers are alike."""
    first = layers[0]
    r = 1
    for _ in layers:
        r = first.k_eff + (r - 1) * first.stride
    return r


def course_formula(n_layers: int) -> int:
    """The course's table: side = 4 + (side - 1) * 2, n times from side = 1 (4, 10, 22, 46, 94)."""
    if not 0 <= n_layers <= 30:
        raise ValueError(f"n_layers must be in [0, 30], got {n_layers}")
    side = 1
    for _ in range(n_layers):
        side = 4 + (side - 1) * 2
    return side


def real_module(preset: str | None, layers: Sequence[rf.Layer], *, input_size: int) -> tuple[nn.Module, str]:
    """(module, source): the app's real discriminator behind a preset when there is one ("dcgan",
    "patchgan"), else a module built from the table ("table"). Random weights: only the shape matters."""
    from gan_core.models import dcgan
    from gan_core.models.patchgan import PatchDiscriminator, PatchGANConfig

    if preset == "dcgan_d_28" and tuple(layers) == rf.presets()["dcgan_d_28"]:
        return dcgan.Discriminator(config=dcgan.DCGANConfig()).net, "dcgan"
    n = {"pix2pix_n0": 0, "pix2pix_n1": 1, "pix2pix_n3": 3, "pix2pix_n5": 5}.get(preset or "")
    if n is not None and tuple(layers) == rf.pix2pix_layers(n):
        try:
            config = PatchGANConfig(kind="pixel" if n == 0 else "patch", n_layers=n, base=2, conditional=False,
                                    norm="instance", img_size=input_size)
        except ValueError:
            pass  # the input is too small (or large) for this PatchGAN: measure the table's module instead
        else:
            return PatchDiscriminator(config=config).net, "patchgan"
    return rf.module_from_layers(layers), "table"


MAX_PROBE_MACS = 4e8  # measuring a bigger stack would keep a page busy for seconds


def probe_macs(layers: Sequence[rf.Layer], *, input_size: int, channels: int = 2) -> float:
    """Multiply-adds of one forward pass of ``module_from_layers(layers)`` on ``input_size`` px
    (the backward pass of a measurement costs about twice that again)."""
    total, n = 0.0, input_size
    for layer in layers:
        n = layer.out_size(n)
        per_cell = layer.kernel**2 * (channels * channels if layer.kind == "conv" else channels)
        total += max(n, 0) ** 2 * per_cell
    return total


@dataclass(frozen=True)
class Agreement:
    """One output cell's field, three ways: the formula, the module's own layers, back-propagation."""

    analytic: tuple[int, int, int, int]  # (top, left, bottom, right) inclusive, clipped to the image
    module_layers_match: bool  # the module's conv/pool layers (found by hooks) are the table's
    from_module: tuple[int, int, int, int]  # the formula applied to the module's layers
    measured: tuple[int, int, int, int]  # bounding box of non-zero input gradient
    rf_side: int  # unclipped side, from the formula

    @property
    def agree(self) -> bool:
        return self.module_layers_match and self.analytic == self.from_module == self.measured


def three_ways(layers: Sequence[rf.Layer], module: nn.Module, *, input_size: int,
               cell: tuple[int, int]) -> Agreement:
    """The field of output ``cell`` computed from the table, from ``module``'s layers and by measuring."""
    layers = tuple(layers)
    found = rf.layers_from_module(module, input_size=input_size)
    analytic = rf.patch_bounds(layers, *cell, input_size=input_size)
    return Agreement(analytic=analytic, module_layers_match=found == layers,
                     from_module=rf.patch_bounds(found, *cell, input_size=input_size),
                     measured=rf.measure_receptive_field(module, input_size=input_size, cell=cell),
                     rf_side=rf.receptive_field(layers))


def coverage_summary(counts: np.ndarray, *, margin: int) -> dict[int, int]:
    """{times seen: number of interior pixels} of a coverage map, without a ``margin``-pixel frame."""
    if margin < 0 or 2 * margin >= min(counts.shape):
        raise ValueError(f"margin {margin} leaves nothing of a {counts.shape} map")
    inner = counts[margin : counts.shape[0] - margin, margin : counts.shape[1] - margin]
    values, n = np.unique(inner, return_counts=True)
    return {int(v): int(c) for v, c in zip(values, n)}


def example_image(kind: str, size: int, *, digit: np.ndarray | None = None,
                  photo: np.ndarray | None = None) -> np.ndarray:
    """A size x size uint8 picture to draw a judged patch on: an MNIST ``digit`` (28, 28) scaled with
    nearest neighbours (pixels stay visible), or the centre square of a ``photo`` (H, W, 3) resized."""
    from PIL import Image

    if not INPUT_SIZES[0] <= size <= INPUT_SIZES[1]:
        raise ValueError(f"size must be in {INPUT_SIZES}, got {size}")
    if kind == "digit":
        if digit is None:
            raise ValueError("kind 'digit' needs a digit image")
        return np.asarray(Image.fromarray(np.asarray(digit, dtype=np.uint8)).resize((size, size), Image.NEAREST))
    if kind == "photo":
        if photo is None:
            raise ValueError("kind 'photo' needs a photo")
        h, w = photo.shape[:2]
        side = min(h, w)
        top, left = (h - side) // 2, (w - side) // 2
        square = Image.fromarray(np.asarray(photo[top : top + side, left : left + side], dtype=np.uint8))
        return np.asarray(square.resize((size, size), Image.LANCZOS))
    raise ValueError(f"kind must be 'digit' or 'photo', got {kind!r}")
