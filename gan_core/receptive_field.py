"""Receptive fields of convolution / pooling stacks: analytic, from a real module, and measured.

The receptive field (RF) of one output cell is the square of input pixels it can depend on.
For a chain of layers with kernel k, stride s, padding p and dilation d the effective kernel is
k_eff = d * (k - 1) + 1, and walking *from the output back to the input*

    r_in = k_eff + (r_out - 1) * s          starting from r = 1 (one output cell)

gives the RF in input pixels. Neighbouring output cells are j = s_1 * s_2 * ... * s_n input
pixels apart (the "jump"). The course writes the same recursion for a stack of identical 4x4
stride-2 convolutions as 4 + (side - 1) * 2 (1 layer: 4 px, 2: 10, 3: 22, 4: 46, 5: 94).
Mixed strides need the general form: pix2pix's 70x70 PatchGAN is strides 2, 2, 2, 1, 1 (all
kernel 4): 1 -> 4 -> 7 -> 16 -> 34 -> 70. Padding does not change the size, only where the
window sits: output cell i covers input pixels [i * j - P, i * j - P + r - 1] with
P = sum_l p_l * j_(l-1) (j_0 = 1); parts outside the image are padding.

Three ways to get the same numbers, tested against each other in tests/test_receptive_field.py:
``table`` / ``receptive_field`` (the formula), ``layers_from_module`` (walk a real nn.Module with
forward hooks) and ``measure_receptive_field`` (back-propagate one output cell to the input).
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

KINDS = ("conv", "maxpool", "avgpool")
# Allowed range of each Layer field (an editable table on a page checks its cells against these).
LIMITS: dict[str, tuple[int, int]] = {"kernel": (1, 64), "stride": (1, 16), "padding": (0, 64), "dilation": (1, 16)}
_MAX_SIZE = 4096


@dataclass(frozen=True)
class Layer:
    """One square conv or pooling layer: kernel k, stride s, padding p, dilation d."""

    kind: str = "conv"  # one of KINDS
    kernel: int = 3
    stride: int = 1
    padding: int = 0
    dilation: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Layer.kind must be one of {KINDS}, got {self.kind!r}")
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
                raise ValueError(f"Layer.{name} must be an integer in [{low}, {high}], got {value!r}")

    @property
    def k_eff(self) -> int:
        """Span of the (dilated) kernel: d * (k - 1) + 1."""
        return self.dilation * (self.kernel - 1) + 1

    def out_size(self, n: int) -> int:
        """Output side for an input side n (PyTorch's floor rule): floor((n + 2p - k_eff) / s) + 1."""
        return (n + 2 * self.padding - self.k_eff) // self.stride + 1


@dataclass(frozen=True)
class Row:
    """One line of the layer table: the field of ONE cell of this layer's output."""

    index: int  # 1-based layer number
    layer: Layer
    rf: int  # receptive field side in input pixels
    jump: int  # input pixels between neighbouring cells of this output (product of strides)
    offset: int  # input index of the first pixel seen by output cell 0 (negative: padding)
    out_size: int | None  # side of this layer's output for the chosen input size (None: not asked)


def receptive_field(layers: tuple[Layer, ...] | list[Layer]) -> int:
    """RF side of one output cell, from the output back: r_in = k_eff + (r_out - 1) * s, r = 1 at the top."""
    r = 1
    for layer in reversed(layers):
        r = layer.k_eff + (r - 1) * layer.stride
    return r


def table(layers: tuple[Layer, ...] | list[Layer], input_size: int | None = None) -> list[Row]:
    """Per-layer rows (forward: r += (k_eff - 1) * j, j *= s, offset -= p * j), optional output sizes.

    Raises ValueError when ``input_size`` is too small for some layer (its output would be empty).
    """
    if input_size is not None and not 1 <= input_size <= _MAX_SIZE:
        raise ValueError(f"input_size must be in [1, {_MAX_SIZE}], got {input_size}")
    rows, r, j, offset, n = [], 1, 1, 0, input_size
    for i, layer in enumerate(layers, start=1):
        r += (layer.k_eff - 1) * j  # each new layer widens the field by (k_eff - 1) input jumps
        offset -= layer.padding * j
        j *= layer.stride
        if n is not None:
            n = layer.out_size(n)
            if n < 1:
                raise ValueError(f"layer {i} ({layer}) gets an input too small: output side {n}")
        rows.append(Row(index=i, layer=layer, rf=r, jump=j, offset=offset, out_size=n))
    return rows


def patch_bounds(
    layers: tuple[Layer, ...] | list[Layer], row: int, col: int, *, input_size: int | None = None
) -> tuple[int, int, int, int]:
    """(top, left, bottom, right), inclusive, of the input patch that output cell (row, col) judges.

    With ``input_size`` the box is clipped to the image (what an overlay on the picture shows).
    """
    last = table(layers, input_size)[-1] if layers else Row(0, Layer(kernel=1), 1, 1, 0, input_size)
    top, left = row * last.jump + last.offset, col * last.jump + last.offset
    bottom, right = top + last.rf - 1, left + last.rf - 1
    if input_size is None:
        return top, left, bottom, right
    hi = input_size - 1
    return max(top, 0), max(left, 0), min(bottom, hi), min(right, hi)


def coverage_counts(size: int, kernel: int, stride: int, padding: int = 0) -> np.ndarray:
    """(size, size) int map: how many windows of a k x k, stride-s conv see each input pixel.

    Even in the interior only when k is a multiple of s: k=4, s=2 sees every interior pixel 2 x 2
    = 4 times; k=4, s=3 sees some 1 time, some 2 and some 4 times (the course's remark).
    """
    layer = Layer(kernel=kernel, stride=stride, padding=padding)
    n_out = layer.out_size(size)
    if n_out < 1:
        raise ValueError(f"kernel {kernel} with padding {padding} does not fit in {size} px")
    line = np.zeros(size + 2 * padding, dtype=np.int64)  # 1-D count on the padded axis
    for i in range(n_out):
        line[i * stride : i * stride + kernel] += 1
    line = line[padding : padding + size]
    return np.outer(line, line)  # windows are products of a row range and a column range


def presets() -> dict[str, tuple[Layer, ...]]:
    """Named stacks for the calculator (built on call: no work at import time)."""
    k4s2 = Layer(kernel=4, stride=2, padding=1)
    out = {f"course_{n}": (k4s2,) * n for n in range(1, 6)}  # 4, 10, 22, 46, 94
    for n in (0, 1, 3, 5):
        out[f"pix2pix_n{n}"] = pix2pix_layers(n)  # 1, 16, 70, 286
    out["dcgan_d_28"] = (k4s2, k4s2, Layer(kernel=7, stride=1, padding=0))  # 34: the whole image
    # a stride-2 conv covers what conv + 2x2 pooling covers: both rows end with r = 4, j = 2
    out["conv3_pool2"] = (Layer(kernel=3, padding=1), Layer(kind="maxpool", kernel=2, stride=2))
    out["conv4_stride2"] = (k4s2,)
    return out


def pix2pix_layers(n_layers: int) -> tuple[Layer, ...]:
    """The official pix2pix discriminators (pytorch-CycleGAN-and-pix2pix, models/networks.py).

    n_layers >= 1 (NLayerDiscriminator, kernel 4, padding 1): n_layers stride-2 convs, then one
    stride-1 conv and the stride-1 output conv. n_layers = 0 stands for the PixelGAN
    (PixelDiscriminator, ``--netD pixel``): three 1x1 convs, a 1x1 field.
    """
    if n_layers == 0:
        return (Layer(kernel=1),) * 3
    if not 1 <= n_layers <= 8:
        raise ValueError(f"n_layers must be in [0, 8], got {n_layers}")
    return (Layer(kernel=4, stride=2, padding=1),) * n_layers + (Layer(kernel=4, stride=1, padding=1),) * 2


def module_from_layers(layers: tuple[Layer, ...] | list[Layer], *, channels: int = 2) -> nn.Sequential:
    """A real module for a layer table (convs with ``channels`` channels + LeakyReLU, pools as given),
    so an edited table can be checked with ``measure_receptive_field``. Input: (B, channels, H, W)."""
    if not 1 <= channels <= 64:
        raise ValueError(f"channels must be in [1, 64], got {channels}")
    mods: list[nn.Module] = []
    for layer in layers:
        k, s, p, d = layer.kernel, layer.stride, layer.padding, layer.dilation
        if layer.kind == "conv":
            mods += [nn.Conv2d(channels, channels, k, s, p, dilation=d), nn.LeakyReLU(0.2)]
        elif layer.kind == "maxpool":
            mods.append(nn.MaxPool2d(k, s, p, dilation=d))
        else:
            if d != 1:
                raise ValueError("AvgPool2d has no dilation")
            mods.append(nn.AvgPool2d(k, s, p))
    return nn.Sequential(*mods)


def _square(value: int | tuple[int, ...], what: str, module: nn.Module) -> int:
    if isinstance(value, tuple):
        if len(set(value)) != 1:
            raise ValueError(f"{module}: non-square {what} {value} is not supported")
        return int(value[0])
    return int(value)


def _layer_of(module: nn.Module) -> Layer:
    if isinstance(module, nn.Conv2d):
        k, d = _square(module.kernel_size, "kernel", module), _square(module.dilation, "dilation", module)
        pad = module.padding
        if pad == "valid":
            pad = 0
        elif pad == "same":
            if (d * (k - 1)) % 2:
                raise ValueError(f"{module}: padding='same' with an even kernel is asymmetric")
            pad = d * (k - 1) // 2
        return Layer("conv", k, _square(module.stride, "stride", module), _square(pad, "padding", module), d)
    if isinstance(module, nn.MaxPool2d):
        return Layer("maxpool", _square(module.kernel_size, "kernel", module),
                     _square(module.stride, "stride", module), _square(module.padding, "padding", module),
                     _square(module.dilation, "dilation", module))
    return Layer("avgpool", _square(module.kernel_size, "kernel", module),
                 _square(module.stride, "stride", module), _square(module.padding, "padding", module))


def layers_from_module(module: nn.Module, *, input_size: int, in_channels: int | None = None) -> tuple[Layer, ...]:
    """The conv / pooling layers of ``module`` in forward order, found with forward hooks on a dummy input.

    Only a simple chain has one receptive field: a layer whose input side differs from the previous
    recorded output, a transposed convolution or a Linear layer raises ValueError.
    """
    blocked = (nn.ConvTranspose2d, nn.Linear, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Upsample)
    if any(isinstance(m, blocked) for m in module.modules()):
        raise ValueError("receptive fields here need a chain of Conv2d / MaxPool2d / AvgPool2d "
                         "(found a transposed conv, upsampling, adaptive pooling or Linear layer)")
    watched = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)
    if in_channels is None:
        first = next((m for m in module.modules() if isinstance(m, nn.Conv2d)), None)
        if first is None:
            raise ValueError("no Conv2d found: pass in_channels")
        in_channels = first.in_channels
    calls: list[tuple[Layer, int, int]] = []  # (layer, input side, output side)

    def hook(mod: nn.Module, args: tuple, out: torch.Tensor) -> None:
        calls.append((_layer_of(mod), int(args[0].shape[-1]), int(out.shape[-1])))

    handles = [m.register_forward_hook(hook) for m in module.modules() if isinstance(m, watched)]
    was_training = module.training
    try:
        module.eval()
        with torch.no_grad():
            module(torch.zeros(1, in_channels, input_size, input_size))
    finally:
        module.train(was_training)
        for h in handles:
            h.remove()
    for (_, _, n_out), (layer, n_in, _) in itertools.pairwise(calls):
        if n_in != n_out:
            raise ValueError(f"not a simple chain: {layer} gets side {n_in}, the previous layer gave {n_out}")
    return tuple(layer for layer, _, _ in calls)


def _probe_copy(module: nn.Module) -> nn.Module:
    """A copy where every path is positive: conv weights 1/fan_in, biases 0, norms -> Identity,
    max pooling -> average pooling (max sends gradient to one pixel per window), dropout off."""
    probe = copy.deepcopy(module).eval()
    for name, child in list(probe.named_modules()):
        if not name:
            continue
        parent = probe.get_submodule(name.rsplit(".", 1)[0]) if "." in name else probe
        leaf = name.rsplit(".", 1)[-1]
        if isinstance(child, (nn.modules.batchnorm._NormBase, nn.GroupNorm, nn.LayerNorm)):
            setattr(parent, leaf, nn.Identity())
        elif isinstance(child, nn.MaxPool2d):
            if _square(child.dilation, "dilation", child) != 1:
                raise ValueError("cannot probe a dilated MaxPool2d")
            setattr(parent, leaf, nn.AvgPool2d(child.kernel_size, child.stride, child.padding))
    with torch.no_grad():
        for m in probe.modules():
            if isinstance(m, nn.Conv2d):
                m.weight.fill_(1.0 / m.weight[0].numel())  # averaging keeps activations ~1 at any depth
                if m.bias is not None:
                    m.bias.zero_()
    return probe


def measure_receptive_field(
    module: nn.Module, *, input_size: int, cell: tuple[int, int] | None = None, in_channels: int | None = None
) -> tuple[int, int, int, int]:
    """Empirical (top, left, bottom, right), inclusive: bounding box of the input pixels whose gradient
    from output cell ``cell`` (default: the centre cell) is non-zero, in a positive-weight probe copy.

    All-positive weights and a positive input mean no product of paths can cancel, so every pixel that
    can influence the cell shows up. The box is clipped to the image by nature.
    """
    probe = _probe_copy(module)
    if in_channels is None:
        first = next((m for m in probe.modules() if isinstance(m, nn.Conv2d)), None)
        in_channels = first.in_channels if first is not None else 1
    x = torch.ones(1, in_channels, input_size, input_size, requires_grad=True)
    out = probe(x)  # (1, C, h, w); a D that flattens to (1,) or (1, C) is one 1x1 cell
    if out.dim() < 4:
        out = out.reshape(1, -1, 1, 1)
    h, w = out.shape[-2:]
    r, c = cell if cell is not None else (h // 2, w // 2)
    if not (0 <= r < h and 0 <= c < w):
        raise ValueError(f"cell {(r, c)} outside the {h}x{w} output map")
    out[0, :, r, c].sum().backward()
    seen = x.grad[0].abs().sum(0) > 0  # (H, W)
    rows, cols = np.flatnonzero(seen.any(1).numpy()), np.flatnonzero(seen.any(0).numpy())
    return int(rows[0]), int(cols[0]), int(rows[-1]), int(cols[-1])
