"""Trainer: a seeded smoke run learns something, and the same seed replays the same run."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from gan_core.data import load_mnist
from gan_core.images import make_grid
from gan_core.training.config import LOSS_NAMES, TrainConfig
from gan_core.training.family import new_trainer
from gan_core.training.trainer import STAT_KEYS


@pytest.fixture(scope="module")
def digits():
    return load_mnist()


def test_smoke_run_200_steps_finite_and_samples_change(digits):
    trainer = new_trainer(TrainConfig(model="mlp", batch_size=32, seed=3), data=digits)
    before = trainer.fixed_grid()
    losses, gaps = [], []
    for _ in range(200):
        stats = trainer.step()
        losses.append((float(stats["d_loss"]), float(stats["g_loss"])))
        gaps.append(float(stats["d_real"]) - float(stats["d_fake"]))
    after = trainer.fixed_grid()
    assert trainer.steps_done == 200
    assert all(math.isfinite(d) and math.isfinite(g) for d, g in losses)
    # the generator moved: the fixed-noise grid is no longer the untrained one
    assert np.abs(after.astype(int) - before.astype(int)).mean() > 5
    # D learned to separate, on average over the run: it says "real" more often to real digits
    assert sum(gaps) / len(gaps) > 0.02


@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_every_loss_trains_a_few_steps(digits, loss):
    trainer = new_trainer(TrainConfig(model="mlp", loss=loss, batch_size=16, d_steps=2), data=digits)
    for _ in range(3):
        stats = trainer.step()
    assert set(stats) == set(STAT_KEYS)
    assert all(math.isfinite(float(v)) for v in stats.values())


def test_same_seed_replays_same_run(digits):
    config = TrainConfig(model="mlp", batch_size=16, seed=11)
    grids = []
    for _ in range(2):
        trainer = new_trainer(config, data=digits)
        for _ in range(5):
            trainer.step()
        grids.append(trainer.fixed_grid())
    assert np.array_equal(grids[0], grids[1])
    other = new_trainer(config.replace(seed=12), data=digits)
    for _ in range(5):
        other.step()
    assert not np.array_equal(grids[0], other.fixed_grid())


def test_single_player_steps_only_touch_that_player(digits):
    trainer = new_trainer(TrainConfig(model="mlp", batch_size=16), data=digits)
    g_before = [p.detach().clone() for p in trainer.G.parameters()]
    d_before = [p.detach().clone() for p in trainer.D.parameters()]
    stats = trainer.step("d")
    assert all(torch.equal(a, b) for a, b in zip(g_before, trainer.G.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(d_before, trainer.D.parameters()))
    assert math.isnan(float(stats["g_loss"]))
    d_mid = [p.detach().clone() for p in trainer.D.parameters()]
    trainer.step("g")
    assert all(torch.equal(a, b) for a, b in zip(d_mid, trainer.D.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(g_before, trainer.G.parameters()))
    with pytest.raises(ValueError, match="mode"):
        trainer.step("both players")


def test_dcgan_trains_and_generates_in_range(digits):
    trainer = new_trainer(TrainConfig(model="dcgan", batch_size=8), data=digits)
    trainer.step()
    images = trainer.generate(6, seed=0)
    assert images.shape == (6, 1, 28, 28)
    assert images.min() >= -1 and images.max() <= 1


def test_config_rejects_bad_values_with_clear_message():
    with pytest.raises(ValueError, match="loss must be one of"):
        TrainConfig(loss="nope")
    with pytest.raises(ValueError, match="lr_g"):
        TrainConfig(lr_g=0)
    assert TrainConfig.from_dict(TrainConfig(seed=4).to_dict()) == TrainConfig(seed=4)


def test_make_grid_layout():
    images = np.full((5, 3, 4), 200, dtype=np.uint8)
    grid = make_grid(images, pad=1)  # 3 per row (ceil sqrt 5), 2 rows
    assert grid.shape == (2 * 4 + 1, 3 * 5 + 1)
    assert grid[1, 1] == 200 and grid[0, 0] == 0
