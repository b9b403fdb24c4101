"""pix2pix pieces: U-Net (with and without skips), PatchGAN kinds and fields, paired MNIST tasks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from gan_core import receptive_field as rf
from gan_core.data import load_dataset, load_mnist
from gan_core.data import paired as pd
from gan_core.data.fashion import FASHION_FOLDER
from gan_core.models.patchgan import PatchDiscriminator, PatchGANConfig, layer_table, max_patch_layers
from gan_core.models.pix2pix import UNetConfig, UNetGenerator

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    return np.asarray(load_mnist().images[::25])  # 200 digits, all classes


# -- U-Net ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw", [{}, {"skips": False}, {"bottleneck": False}, {"norm": "instance", "dropout": 0.5},
                                {"n_down": 3, "img_size": 32}, {"n_down": 1, "img_size": 28, "norm": "none"}])
def test_unet_shapes_and_range(kw: dict) -> None:
    cfg = UNetConfig(in_channels=2, **kw)
    g = UNetGenerator(config=cfg)
    y = g(torch.randn(4, 2, cfg.img_size, cfg.img_size) * 3)
    assert y.shape == (4, 1, cfg.img_size, cfg.img_size)
    assert y.abs().max() <= 1  # Tanh


def _hide_middle(g: UNetGenerator) -> None:
    g.middle.register_forward_hook(lambda mod, args, out: torch.zeros_like(out))


def test_skips_carry_what_the_bottleneck_does_not() -> None:
    # cut the bottleneck (its output forced to 0): a plain encoder-decoder then gives the same picture
    # for every input; the U-Net still sees the input through its skips
    x1, x2 = torch.randn(2, 1, 1, 28, 28)
    for skips in (True, False):
        torch.manual_seed(0)
        g = UNetGenerator(config=UNetConfig(skips=skips)).eval()
        _hide_middle(g)
        with torch.no_grad():
            same = torch.allclose(g(x1), g(x2))
        assert same is not skips
    with_skips, plain = UNetGenerator(config=UNetConfig()), UNetGenerator(config=UNetConfig(skips=False))
    assert with_skips.up[0][0].in_channels == 2 * plain.up[0][0].in_channels  # [decoder ; encoder]


def test_bottleneck_lets_the_bottom_row_see_the_top_row() -> None:
    # completing the lower half of a digit needs its upper half: only the whole-image code gives that
    for bottleneck, reaches_top in ((True, True), (False, False)):
        g = UNetGenerator(config=UNetConfig(in_channels=2, bottleneck=bottleneck)).eval()
        x = torch.randn(1, 2, 28, 28, requires_grad=True)
        g(x)[0, 0, 27, 14].backward()
        seen_rows = np.flatnonzero(x.grad[0].abs().sum(dim=(0, 2)).numpy() > 0)
        assert bool(seen_rows.min() < 14) == reaches_top


def test_dropout_is_on_in_train_mode_only() -> None:
    g = UNetGenerator(config=UNetConfig(dropout=0.5))
    x = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        assert not torch.allclose(g.train()(x), g(x))
        assert torch.allclose(g.eval()(x), g(x))


@pytest.mark.parametrize("kw", [{"img_size": 30}, {"n_down": 3}, {"dropout": math.nan}, {"dropout": 1.0},
                                {"base": 0}, {"norm": "layer"}, {"skips": 1}, {"dropout": math.inf}])
def test_unet_config_refuses_bad_values(kw: dict) -> None:
    with pytest.raises(ValueError):
        UNetConfig(**kw)


# -- PatchGAN ------------------------------------------------------------------------------------------
# kind, n_layers -> (output map side on 28 px, receptive field in px)
PATCH_CASES = {("pixel", 0): (28, 1), ("patch", 1): (12, 16), ("patch", 2): (5, 34), ("patch", 3): (1, 70),
               ("image", 2): (1, 34), ("image", 1): (1, 30)}


@pytest.mark.parametrize(("kind", "n_layers"), sorted(PATCH_CASES))
def test_patchgan_maps_and_fields_on_28px(kind: str, n_layers: int) -> None:
    side, field = PATCH_CASES[(kind, n_layers)]
    cfg = PatchGANConfig(kind=kind, n_layers=n_layers, x_channels=2, base=8)
    d = PatchDiscriminator(config=cfg)
    logits = d(torch.randn(3, 2, 28, 28), torch.randn(3, 1, 28, 28))
    assert logits.shape == (3, 1, side, side)
    assert not any(isinstance(m, (nn.Sigmoid, nn.Tanh)) for m in d.modules())  # raw logits
    layers = layer_table(cfg)
    assert rf.receptive_field(layers) == field
    assert rf.layers_from_module(d.net, input_size=28) == layers
    c = side // 2
    assert rf.measure_receptive_field(d.net, input_size=28) == rf.patch_bounds(layers, c, c, input_size=28)


def test_patch_sizes_span_pixel_to_whole_image() -> None:
    def bounds(**kw: object) -> tuple[int, int, int, int]:
        d = PatchDiscriminator(config=PatchGANConfig(x_channels=2, base=4, **kw))
        return rf.measure_receptive_field(d.net, input_size=28)

    assert bounds(kind="pixel") == (14, 14, 14, 14)  # one pixel
    top, left, bottom, right = bounds(kind="patch", n_layers=1)
    assert bottom - top + 1 == right - left + 1 == 16  # a patch: part of the 28-px digit
    assert bounds(kind="image", n_layers=2) == (0, 0, 27, 27)  # the whole image


def test_conditional_d_reads_the_condition() -> None:
    y = torch.randn(2, 1, 28, 28)
    x1, x2 = torch.randn(2, 2, 2, 28, 28)
    d = PatchDiscriminator(config=PatchGANConfig(x_channels=2)).eval()
    with torch.no_grad():
        assert not torch.allclose(d(x1, y), d(x2, y))
    u = PatchDiscriminator(config=PatchGANConfig(conditional=False)).eval()
    with torch.no_grad():
        assert torch.equal(u(x1, y), u(None, y))
    with pytest.raises(ValueError, match="condition"):
        d(None, y)


@pytest.mark.parametrize("kw", [{"kind": "image", "n_layers": 3}, {"kind": "patch", "n_layers": 4},
                                {"leaky_slope": math.nan}, {"kind": "patch", "n_layers": 0}, {"norm": "group"},
                                {"base": 10_000}])
def test_patchgan_config_refuses_bad_values(kw: dict) -> None:
    with pytest.raises(ValueError):
        PatchGANConfig(**kw)
    assert max_patch_layers(28) == 3


# -- paired data -----------------------------------------------------------------------------------------
def test_completion_really_hides_the_lower_half(digits: np.ndarray) -> None:
    pairs = pd.completion_pairs(digits)
    assert pairs.inputs.shape == (200, 2, 28, 28) and pairs.targets.shape == (200, 1, 28, 28)
    assert pairs.inputs.dtype == pairs.targets.dtype == np.uint8
    assert (pairs.inputs[:, 0, 14:] == 0).all()  # nothing of the lower half gets through
    assert np.array_equal(pairs.inputs[:, 0, :14], pairs.targets[:, 0, :14])
    assert (pairs.inputs[:, 1, :14] == 255).all() and (pairs.inputs[:, 1, 14:] == 0).all()
    assert (pairs.targets[:, 0, 14:] > 0).any(axis=(1, 2)).mean() > 0.95  # ...and it had ink to hide
    assert pd.completion_pairs(digits, mask_channel=False).inputs.shape == (200, 1, 28, 28)


def test_superres_inputs_hold_exactly_the_7x7(digits: np.ndarray) -> None:
    pairs = pd.superres_pairs(digits)
    assert pairs.inputs.shape == pairs.targets.shape == (200, 1, 28, 28)
    low = pd.low_res(pairs.inputs)
    assert low.shape == (200, 7, 7) and np.array_equal(low, pd.downsample(digits))
    assert np.array_equal(pd.upsample_nearest(low)[:, None], pairs.inputs)  # constant 4x4 blocks
    means = digits.reshape(200, 7, 4, 7, 4).mean(axis=(2, 4))
    assert np.abs(low - means).max() <= 0.5
    bicubic = pd.bicubic_baseline(pairs.inputs)
    assert bicubic.shape == (200, 1, 28, 28) and bicubic.dtype == np.uint8

    def mse(a: np.ndarray) -> float:
        return float(((a.astype(float) - pairs.targets) ** 2).mean())

    assert mse(bicubic) < mse(pairs.inputs)  # the baseline beats blocks: it is a real baseline


def test_edges_are_thin_binary_lines_on_the_border() -> None:
    square = np.zeros((1, 28, 28), np.uint8)
    square[0, 8:20, 8:20] = 200
    edges = pd.edge_map(square)[0]
    assert set(np.unique(edges)) == {0, 255}
    ys, xs = np.nonzero(edges)
    dist = np.minimum(np.minimum(np.abs(ys - 7.5), np.abs(ys - 19.5)), np.minimum(np.abs(xs - 7.5), np.abs(xs - 19.5)))
    assert dist.max() <= 1.5  # only along the square's outline, at most 2 px thick
    assert edges[11:17, 11:17].max() == 0 and edges[:4].max() == 0
    assert pd.edge_map(np.zeros((2, 28, 28), np.uint8)).max() == 0  # a blank image has no edges


@pytest.mark.skipif(not (FASHION_FOLDER / "t10k-images-idx3-ubyte.gz").exists(),
                    reason="Debian package dataset-fashion-mnist not installed; CI installs it")
def test_edges_to_fashion_pairs() -> None:
    items = np.asarray(load_dataset("fashion-mnist", split="test").images[:300])
    pairs = pd.make_pairs("edges", items)
    assert pairs.inputs.shape == pairs.targets.shape == (300, 1, 28, 28) and pairs.task == "edges"
    share = (pairs.inputs > 0).mean(axis=(1, 2, 3))
    assert 0.03 < np.median(share) < 0.3  # lines, not filled shapes
    assert np.array_equal(pairs.inputs, pd.edge_map(items)[:, None])  # deterministic


def test_make_pairs_and_model_scaling(digits: np.ndarray) -> None:
    with pytest.raises(KeyError, match="completion, superres, edges"):
        pd.make_pairs("colorize", digits)
    with pytest.raises(ValueError):
        pd.completion_pairs(digits.astype(np.float32))
    x = pd.to_model(pd.make_pairs("completion", digits[:4]).inputs)
    assert x.dtype == torch.float32 and x.min() == -1 and x.max() == 1
    assert np.array_equal(pd.from_model(pd.to_model(digits)), digits)


def test_student_drawings_become_model_inputs() -> None:
    rgba = np.zeros((200, 240, 4), np.uint8)  # transparent layer, a black stroke (colour does not matter)
    rgba[40:60, 60:180, 3] = 255
    x = pd.drawing_to_input(rgba, "completion")
    assert x.shape == (2, 28, 28) and x.dtype == np.uint8
    assert x[0, 14:].max() == 0 and x[0].max() == 255  # lower half hidden, the stroke kept
    ink_rows = np.flatnonzero(x[0].max(axis=1))
    assert 6 <= ink_rows.min() and ink_rows.max() <= 10  # 40..60 of a 240-px square (padded from 200)
    paper = np.full((64, 64, 3), 255, np.uint8)  # dark ink on white paper is inverted
    paper[:, 28:36] = 0
    sr = pd.drawing_to_input(paper, "superres")
    assert sr.shape == (1, 28, 28)
    assert np.array_equal(sr, pd.upsample_nearest(pd.low_res(sr[None]))[0:1])  # 4x4 blocks
    assert sr[0, :, 12:16].min() == 255 and sr[0, :, :8].max() == 0
    seven = np.arange(49, dtype=np.uint8).reshape(7, 7) * 5  # a 7x7 grey sketch passes through
    back = pd.low_res(pd.drawing_to_input(seven, "superres")[None])[0].astype(int)
    assert np.abs(back - seven.astype(int) * 255 / seven.max()).max() <= 1  # stretched so the max is 255
    with pytest.raises(ValueError):
        pd.drawing_to_input(np.zeros((10, 10, 2), np.uint8), "completion")
    with pytest.raises(KeyError):
        pd.drawing_to_input(paper, "edges")
