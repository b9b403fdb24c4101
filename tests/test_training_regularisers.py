"""The training options the shipped MNIST generators use (issue 13): R1 (also lazy), a moving average
of G that is what a checkpoint ships, the linear learning-rate decay, and D's own BatchNorm switch."""
from __future__ import annotations

import argparse
import copy
import math
import shlex

import pytest
import torch

from gan_core import checkpoints
from gan_core.data import load_mnist
from gan_core.families import get_family
from gan_core.losses import r1_penalty
from gan_core.training import trainer as trainer_mod
from gan_core.training.config import TrainConfig
from gan_core.training.export import save_trainer
from gan_core.training.family import new_trainer
from gan_core.training.flags import add_flags, config_from_args, recipe_command

SMALL = {"batch_size": 8}


@pytest.fixture(scope="module")
def digits():
    return load_mnist()


def _count_r1(monkeypatch) -> list[int]:
    calls: list[int] = []

    def counting(logits, inputs):
        calls.append(len(inputs))
        return r1_penalty(logits, inputs)

    for module in ("gan_core.training.trainer", "gan_core.training.cgan_step", "gan_core.training.infogan_step"):
        monkeypatch.setattr(f"{module}.r1_penalty", counting, raising=False)
    return calls


def test_r1_penalty_is_the_mean_squared_input_gradient():
    w = torch.tensor([[1.0, -2.0, 2.0]])  # D(x) = w.x: the gradient is w everywhere, ||w||^2 = 9
    x = torch.randn(5, 3, requires_grad=True)
    assert float(r1_penalty(x @ w.T, x)) == pytest.approx(9.0)
    x2 = torch.randn(4, 2, requires_grad=True)  # D(x) = sum x^2: gradient 2x, mean of 4 ||x||^2
    expected = float(4 * (x2.detach() ** 2).sum(dim=1).mean())
    assert float(r1_penalty((x2**2).sum(dim=1), x2).detach()) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [{"r1_weight": -1.0}, {"r1_every": 0}, {"ema_decay": 1.0},
                                 {"ema_decay": float("nan")}, {"lr_decay_from": 1.5},
                                 {"model": "mlp", "d_batchnorm": False}])
def test_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        TrainConfig(**bad)


@pytest.mark.parametrize("family", ["dcgan", "cgan", "infogan"])
def test_r1_reaches_every_image_family_and_lazy_r1_skips_steps(digits, family, monkeypatch):
    calls = _count_r1(monkeypatch)
    tr = new_trainer(TrainConfig(model=family, r1_weight=2.0, **SMALL), data=digits)
    for _ in range(3):
        stats = tr.step()
    assert calls == [8, 8, 8] and all(math.isfinite(float(v)) for k, v in stats.items() if k != "d_grad_norm")
    calls.clear()
    lazy = new_trainer(TrainConfig(model=family, r1_weight=2.0, r1_every=2, **SMALL), data=digits)
    for _ in range(4):
        lazy.step()
    assert len(calls) == 2  # steps 0 and 2 only
    calls.clear()
    new_trainer(TrainConfig(model=family, **SMALL), data=digits).step()
    assert calls == []


def test_lazy_r1_weighs_the_penalty_by_its_interval(digits):
    tr = new_trainer(TrainConfig(model="dcgan", r1_weight=3.0, r1_every=4, **SMALL), data=digits)
    x = torch.randn(2, 1, 28, 28, requires_grad=True)
    logits = tr.D(x)
    assert float(tr.r1_term(logits, x).detach()) == pytest.approx(0.5 * 3.0 * 4 * float(r1_penalty(logits, x).detach()), rel=1e-5)
    tr.steps_done = 1
    assert tr.r1_term(logits, x) == 0.0


def test_learning_rate_falls_linearly_to_zero(digits):
    tr = new_trainer(TrainConfig(model="mlp", lr_g=4e-4, lr_d=2e-4, lr_decay_from=0.5, steps=8, **SMALL),
                     data=digits)
    seen = []
    for _ in range(8):
        tr.step()
        seen.append(tr.opt_g.param_groups[0]["lr"])
    assert seen[:3] == [4e-4] * 3  # steps 1-3 < 4 = half of 8
    assert seen[3:] == pytest.approx([4e-4, 3e-4, 2e-4, 1e-4, 0.0])
    assert tr.opt_d.param_groups[0]["lr"] == 0.0


def test_ema_follows_g_and_is_what_a_checkpoint_ships(digits, tmp_path):
    cfg = TrainConfig(model="dcgan", ema_decay=0.9, steps=4, **SMALL)
    tr = new_trainer(cfg, data=digits)
    start = [p.clone() for p in tr.G_ema.parameters()]
    for _ in range(4):
        tr.step()
    # beta = min(0.9, (1 + t) / (10 + t)) < 1: the average moved towards G but is not G
    for s, e, g in zip(start, tr.G_ema.parameters(), tr.G.parameters(), strict=True):
        assert not torch.equal(s, e) and not torch.equal(e, g)
    shipped = tr.export_modules()["G"]
    assert shipped is tr.G_ema and not shipped.training
    first = {k: v.clone() for k, v in shipped.state_dict().items()}
    again = tr.sample_generator().state_dict()  # BatchNorm re-estimated from seeded noise: same numbers
    assert all(torch.equal(first[k], again[k]) for k in first)
    stem = save_trainer(tr, tmp_path / "ema_run")
    loaded = checkpoints.load(stem).modules["G"].state_dict()
    assert all(torch.allclose(loaded[k].float(), first[k].float()) for k in first)
    assert new_trainer(cfg.replace(ema_decay=0.0), data=digits).export_modules()["G"] is not None


def test_resume_restores_the_average_and_the_decayed_learning_rate(digits):
    cfg = TrainConfig(model="dcgan", ema_decay=0.99, lr_decay_from=0.0, r1_weight=1.0, steps=4, **SMALL)
    tr = new_trainer(cfg, data=digits)
    for _ in range(2):
        tr.step()
    state = copy.deepcopy(tr.state_dict())  # as torch.save/load would: no tensor shared with the live run
    back = new_trainer(cfg, data=digits)
    back.load_state_dict(state)
    assert back.opt_g.param_groups[0]["lr"] == pytest.approx(cfg.lr_g * 0.5)
    assert all(torch.equal(a, b) for a, b in zip(back.G_ema.parameters(), tr.G_ema.parameters(), strict=True))
    tr.step(), back.step()
    assert all(torch.equal(a, b) for a, b in zip(back.G.parameters(), tr.G.parameters(), strict=True))


def test_dcgan_can_drop_batchnorm_in_d_only_so_wgan_gp_keeps_it_in_g(digits):
    with pytest.raises(ValueError, match="no-d-batchnorm"):
        TrainConfig(model="dcgan", loss="wgan-gp")
    tr = new_trainer(TrainConfig(model="dcgan", loss="wgan-gp", d_batchnorm=False, **SMALL), data=digits)
    norm = torch.nn.BatchNorm2d
    assert any(isinstance(m, norm) for m in tr.G.modules())
    assert not any(isinstance(m, norm) for m in tr.D.modules())
    assert all(math.isfinite(float(v)) for v in tr.step().values())


def test_recipe_replays_the_new_options():
    family = get_family("dcgan")
    cfg = TrainConfig(model="dcgan", loss="wgan-gp", d_batchnorm=False, r1_weight=2.0, r1_every=4,
                      ema_decay=0.999, lr_decay_from=0.5, steps=123)
    recipe = recipe_command(family, cfg, "runs/x")
    for part in ("--no-d-batchnorm", "--r1-weight 2.0", "--r1-every 4", "--ema-decay 0.999", "--lr-decay-from 0.5"):
        assert part in recipe
    parser = argparse.ArgumentParser()
    add_flags(parser, family)
    parser.add_argument("--family"), parser.add_argument("--out")
    args = parser.parse_args(shlex.split(recipe)[4:])
    assert config_from_args(family, args) == cfg


def test_a_step_without_options_matches_the_plain_game(digits, monkeypatch):
    """r1_weight 0, ema 0 and no decay take none of the new paths: no R1 call, no average, lr unchanged."""
    calls = _count_r1(monkeypatch)
    tr = new_trainer(TrainConfig(model="dcgan", **SMALL), data=digits)
    tr.step()
    assert calls == [] and tr.G_ema is None and tr.opt_g.param_groups[0]["lr"] == 2e-4
    assert trainer_mod.BN_RECALIBRATION_BATCHES >= 1
