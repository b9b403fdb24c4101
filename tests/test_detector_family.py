"""The detector family and its material: digit generators found by capability, seeded samples, a few
training steps that learn, the per-generator evaluation, and the game's advice rounds."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from gan_core.fake_sources import digit_generators, resolve_stem, sample_digits
from gan_core.spot_the_fake import advice_rounds, fake_pool, real_digits, round_scores
from gan_core.training.detector_step import (
    STATS,
    DetectorTrainConfig,
    evaluate_detector,
    gaussian_blur,
    trained_on,
)
from gan_core.training.family import Trained, new_trainer

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


@pytest.fixture(scope="module")
def gens_dir(tmp_path_factory):
    from _explore_ckpts import make_checkpoints

    return make_checkpoints(tmp_path_factory.mktemp("gens"))


def test_digit_generators_by_capability_and_data(gens_dir):
    names = [g.name for g in digit_generators(gens_dir)]
    assert names == ["mnist_mlp", "mnist_dcgan", "mnist_cgan", "mnist_infogan"]  # no colour faces, order kept
    assert all(len(g.sha256) == 64 for g in digit_generators(gens_dir))
    assert resolve_stem("mnist_dcgan").parent.name == "checkpoints"
    assert resolve_stem(gens_dir / "mnist_dcgan.json") == gens_dir / "mnist_dcgan"


def test_samples_are_seeded_read_only_digits(gens_dir):
    a = sample_digits(gens_dir / "mnist_cgan", 12, seed=3)
    assert a.shape == (12, 28, 28) and a.dtype == np.uint8 and not a.flags.writeable
    assert np.array_equal(a, sample_digits(gens_dir / "mnist_cgan", 12, seed=3))
    assert not np.array_equal(a, sample_digits(gens_dir / "mnist_cgan", 12, seed=4))
    with pytest.raises(ValueError):
        sample_digits(gens_dir / "mnist_cgan", 0)


def test_detector_learns_its_generator_and_is_evaluated_on_all(gens_dir):
    cfg = DetectorTrainConfig(train_generator=str(gens_dir / "mnist_mlp"), steps=40, batch_size=16, base=4,
                              lr=3e-3)
    tr = new_trainer(cfg)
    for _ in range(cfg.steps):
        stats = tr.step()
    assert set(stats) == set(STATS) and math.isfinite(float(stats["loss"]))
    assert tr.preview().image.shape == (2 + 2 * 30, 2 + 8 * 30)
    assert "sha256 " + digit_generators(gens_dir)[0].sha256 in tr.data_source
    out = evaluate_detector(Trained(family="detector", modules=tr.modules, model_config=tr.model_config,
                                    train_config=cfg), n=50, seed=0, folders=(gens_dir,), data_source=tr.data_source)
    assert out["trained_on"] == "mnist_mlp" and out["same_weights"] is True
    assert {k for k in out if k.startswith("ap_")} == {f"ap_{n}" for n in
                                                        ("mnist_mlp", "mnist_dcgan", "mnist_cgan", "mnist_infogan")}
    # random-weight MLP samples are noise-like: 40 steps separate them from real digits
    assert out["ap_mnist_mlp"] > 0.9 and out["acc_mnist_mlp"] > 0.75
    assert trained_on({"train_generator": "mnist_dcgan"}) == "mnist_dcgan"


def test_blur_keeps_shape_and_mean_and_refuses_nothing():
    x = torch.rand(3, 1, 28, 28)
    y = gaussian_blur(x, 0.8)
    assert y.shape == x.shape and torch.allclose(y.mean(), x.mean(), atol=0.02)
    assert torch.equal(gaussian_blur(x, 0.0), x)


@pytest.mark.parametrize("bad", [{"train_generator": " "}, {"lr": math.inf}, {"blur_prob": 1.5}, {"steps": 0}])
def test_detector_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        DetectorTrainConfig(**bad)


def test_game_pools(gens_dir):
    real = real_digits(20, seed=1)
    assert real.shape == (20, 28, 28) and np.array_equal(real, real_digits(20, seed=1))
    fake, src = fake_pool([gens_dir / "mnist_mlp", gens_dir / "mnist_dcgan"], 5, seed=0)
    assert fake.shape == (10, 28, 28) and list(src) == [0] * 5 + [1] * 5


def test_advice_rounds_are_wrong_exactly_as_often_as_asked():
    rng = np.random.default_rng(0)
    real, fake = rng.integers(0, 255, (40, 4, 4), dtype=np.uint8), rng.integers(0, 255, (40, 4, 4), dtype=np.uint8)
    real_s, fake_s = rng.uniform(0, 1, 40), rng.uniform(0, 1, 40)
    for n_wrong in (0, 3, 5):
        r = advice_rounds(real, fake, real_s, fake_s, 8, n_wrong=n_wrong, seed=n_wrong)
        assert r.n_wrong == n_wrong == int((r.advice != r.rounds.answer).sum())
        assert r.rounds.answer.sum() == 4  # balanced
        assert np.array_equal(r.score, round_scores(r.rounds, real_s, fake_s))
        assert np.array_equal(r.advice, (r.score > 0.5).astype(int))
        shown_fake = r.rounds.answer == 1
        assert np.array_equal(r.rounds.images[shown_fake], fake[r.rounds.fake_index[shown_fake]])
        assert np.array_equal(r.rounds.images[~shown_fake], real[r.rounds.real_index[~shown_fake]])


def test_advice_rounds_with_a_perfect_detector_cannot_be_wrong():
    real, fake = np.zeros((10, 2, 2), np.uint8), np.ones((10, 2, 2), np.uint8)
    r = advice_rounds(real, fake, np.full(10, 0.1), np.full(10, 0.9), 6, n_wrong=3, seed=0)
    assert r.n_wrong == 0  # says how many it could make wrong
    with pytest.raises(ValueError):
        advice_rounds(real, fake, np.full(10, 0.1), np.full(10, 0.9), 7, n_wrong=1)
