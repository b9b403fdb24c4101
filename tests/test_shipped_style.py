"""The shipped photo <-> cartoon CycleGAN (and its 3,000-step snapshot) re-checked on the held-out photos at
another size than its sidecar was scored at (256 px, not 512), against a freshly initialised pair of the same
architecture: training taught both generators a round trip, the translation is not the identity, and the
cartoons are closer to the filter's than an untrained generator's are. Not read from the stored metrics."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from gan_core import checkpoints, style
from gan_core.checkpoints import SHIPPED_DIR
from gan_core.data.unpaired import held_out_pairs
from gan_core.families import get_family

NAMES = ("cyclegan_photo_cartoon", "cyclegan_photo_cartoon_3k")
SIDE = 256


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


@pytest.fixture(scope="module")
def pairs():
    found = held_out_pairs(SIDE)
    assert len(found) >= 3, "the built-in held-out photos are missing"
    return found


@pytest.fixture(scope="module")
def untrained(pairs) -> dict:
    ckpt = checkpoints.load(SHIPPED_DIR / NAMES[0])
    torch.manual_seed(0)
    fresh = get_family(ckpt.family).build(ckpt.config)
    return style.evaluate_pairs(fresh["G_AB"].eval(), fresh["G_BA"].eval(), pairs)


@pytest.mark.parametrize("name", NAMES)
def test_shipped_as_two_half_precision_generators_with_a_recipe(name):
    weights, sidecar = checkpoints.files_of(SHIPPED_DIR / name)
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert meta["family"] == "cyclegan" and meta["recipe"].startswith("python -m gan_core train --family cyclegan")
    assert f"--steps {meta['step']}" in meta["recipe"]  # the recipe trains exactly the shipped steps
    assert set(meta["params"]) == {"G_AB", "G_BA"}  # the discriminators are for training only
    assert weights.stat().st_size < 6_000_000  # float16


@pytest.mark.parametrize("name", NAMES)
def test_training_taught_a_round_trip_and_a_cartoon(name, pairs, untrained):
    ckpt = checkpoints.load(SHIPPED_DIR / name)
    g_ab, g_ba = ckpt.modules["G_AB"], ckpt.modules["G_BA"]
    fresh = style.evaluate_pairs(g_ab, g_ba, pairs)
    assert fresh["cycle_err_aba"] < 0.6 * untrained["cycle_err_aba"], (fresh, untrained)
    assert fresh["cycle_err_bab"] < 0.6 * untrained["cycle_err_bab"], (fresh, untrained)
    assert fresh["cartoon_err"] < 0.7 * untrained["cartoon_err"], (fresh, untrained)
    changed = [style.mae(style.translate(g_ab, photo), photo) for _, photo, _ in pairs]
    assert np.mean(changed) > 0.03  # G is not the identity: the photo really is redrawn


def test_any_photo_size_comes_back_at_its_own_size(pairs):
    ckpt = checkpoints.load(SHIPPED_DIR / NAMES[0])
    photo = pairs[0][1][:200, :150]  # a crop no training batch had
    out = style.translate(ckpt.modules["G_AB"], photo)
    assert out.shape == photo.shape and out.dtype == np.uint8
