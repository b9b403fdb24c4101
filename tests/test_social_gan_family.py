"""The social-gan family: config checks, D before G, the closest-of-k shortcut against back-propagating
through all k, the LSTM baseline, resuming, preview payload, evaluation, the CLI on a folder written here."""
from __future__ import annotations

import io
import json
import math

import numpy as np
import pytest
import torch

from gan_core import cli
from gan_core.checkpoints import load
from gan_core.data.crowds import crowd_scene
from gan_core.data.trajectories import build_sequences
from gan_core.losses import variety_loss
from gan_core.training.family import Trained, new_trainer
from gan_core.training.social_gan_step import (
    STATS,
    SocialGANTrainConfig,
    SocialGANTrainer,
    closest_sample,
    evaluate_trajectories,
)
from gan_core.trajectory_eval import limit_windows, scores

TINY = {"embedding_dim": 8, "encoder_dim": 16, "decoder_dim": 16, "mlp_dim": 16, "bottleneck_dim": 8,
        "noise_dim": 4, "d_encoder_dim": 16, "d_mlp_dim": 16, "batch": 6, "k": 5}


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """Tiny recurrent nets: a second thread only waits at barriers (10x slower on a busy machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def scene():
    return build_sequences(crowd_scene("crossing", seed=0, duration=30.0).tracks)  # ~100 windows


def _trainer(scene, **over) -> SocialGANTrainer:
    return SocialGANTrainer(config=SocialGANTrainConfig(**{**TINY, **over}), data=scene)


@pytest.mark.parametrize("bad", [{"split": "mars"}, {"cell": "rnn"}, {"lr_g": math.nan}, {"pooling": 1},
                                 {"noise_dim": 16}, {"batch": 0}, {"k": 0}, {"data": ""}, {"rotate": "yes"},
                                 {"steps": -1}, {"clip_g": math.inf}])
def test_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        SocialGANTrainConfig(**{**TINY, **bad})


def test_step_runs_d_before_g_and_reports_every_stat(scene, monkeypatch):
    tr = _trainer(scene, d_steps=2)
    order = []
    d, g = tr.d_update, tr.g_update
    monkeypatch.setattr(tr, "d_update", lambda: (order.append("d"), d())[1])
    monkeypatch.setattr(tr, "g_update", lambda: (order.append("g"), g())[1])
    stats = tr.step()
    assert order == ["d", "d", "g"] and tr.steps_done == 1
    assert set(stats) == set(STATS) and all(torch.isfinite(v) for v in stats.values())
    assert 0 < float(stats["d_real"]) < 1 and float(stats["d_loss"]) > 0
    tr.step("d")
    assert order[-1] == "d" and tr.steps_done == 1  # a D-only step is not a G step
    with pytest.raises(ValueError, match="mode"):
        tr.step("stage")


def test_closest_of_k_shortcut_equals_backprop_through_all_k(scene):
    torch.manual_seed(0)
    tr = _trainer(scene)
    b = scene.batch(np.arange(8))
    z = tr.G.noise(b.seq_start_end, 5, generator=torch.Generator().manual_seed(1))
    params = list(tr.G.parameters())
    fast, first = tr.generator_losses(b.obs, b.pred, b.seq_start_end, z)
    grads_fast = torch.autograd.grad(fast, params)
    ctx = tr.G.encode(b.obs, b.seq_start_end)
    n = b.obs.shape[0]
    all_k = tr.G.decode(b.obs.repeat(5, 1, 1), ctx.repeat(5, 1), z.reshape(5 * n, -1)).view(5, n, -1, 2)
    full = variety_loss(all_k, b.pred, seq_start_end=b.seq_start_end)  # the loss as written in the paper
    torch.testing.assert_close(fast, full)
    for a, c in zip(grads_fast, torch.autograd.grad(full, params)):
        torch.testing.assert_close(a, c, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(first, all_k[0])  # D judges the first sample, not the best one
    best = closest_sample(all_k.detach(), b.pred, b.seq_start_end)
    for s, e in b.seq_start_end.tolist():
        assert len(set(best[s:e].tolist())) == 1  # one joint choice per scene window


def test_lstm_baseline_trains_g_alone_and_is_deterministic(scene):
    tr = _trainer(scene, pooling=False, noise_dim=0, k=1)
    d_before = [p.clone() for p in tr.D.parameters()]
    g_before = [p.clone() for p in tr.G.parameters()]
    stats = tr.step()
    assert math.isnan(float(stats["d_loss"])) and math.isnan(float(stats["g_adv"]))
    assert float(stats["g_variety"]) > 0
    assert all(torch.equal(a, b) for a, b in zip(d_before, tr.D.parameters()))  # no adversary
    assert not all(torch.equal(a, b) for a, b in zip(g_before, tr.G.parameters()))
    b = scene.batch(np.arange(4))
    three = tr.G.sample(b.obs, b.seq_start_end, 3)
    torch.testing.assert_close(three[0], three[2])


def test_resume_replays_the_same_next_step(scene):
    a = _trainer(scene, rotate=True)
    for _ in range(3):
        a.step()
    saved = io.BytesIO()
    torch.save(a.state_dict(), saved)  # through bytes, as the CLI's resume file (no shared tensors)
    b = _trainer(scene, rotate=True)
    b.load_state_dict(torch.load(io.BytesIO(saved.getvalue()), weights_only=True))
    assert b.steps_done == 3
    sa, sb = a.step(), b.step()
    for k in STATS:
        torch.testing.assert_close(sa[k], sb[k])


def test_curve_points_average_the_stats(scene, monkeypatch):
    import gan_core.training.social_gan_step as step_mod

    monkeypatch.setattr(step_mod, "CURVE_EVERY", 2)
    tr = _trainer(scene)
    got = [tr.step() for _ in range(4)]
    assert tr.curve["step"] == [2, 4]
    mean = float(got[2]["g_variety"] + got[3]["g_variety"]) / 2
    assert tr.curve["g_variety"][1] == pytest.approx(mean, rel=1e-3)
    restored = _trainer(scene)
    restored.load_state_dict(tr.state_dict())
    assert restored.curve == tr.curve


def test_preview_is_a_read_only_trajectory_payload(scene):
    tr = _trainer(scene)
    p = tr.preview()
    assert p.kind == "trajectories" and p.image is None
    d = p.data
    n = d["obs"].shape[0]
    assert d["obs"].shape[1:] == (8, 2) and d["truth"].shape == (n, 12, 2)
    assert d["samples"].shape == (12, n, 12, 2) and d["seq_start_end"][-1, 1] == n
    with pytest.raises(ValueError):
        d["samples"][0, 0, 0, 0] = 1.0
    np.testing.assert_array_equal(tr.preview().data["samples"], d["samples"])  # fixed noise: same frames


def test_evaluation_scores_against_hand_built_samples(scene):
    ts = scene.subset([0, 1])
    truth = torch.from_numpy(ts.pred.copy())
    perfect = torch.stack([truth + 1.0, truth, truth + 2.0])  # sample 1 is exact
    s = scores(perfect, ts)
    assert s["best"]["all"][0] == pytest.approx(0.0, abs=1e-6)
    assert s["single"]["all"][0] == pytest.approx(math.sqrt(2.0), rel=1e-5)  # (1, 1) off at every step
    tr = _trainer(scene)
    out = evaluate_trajectories(Trained("social-gan", tr.modules, tr.model_config, tr.config), n=5)
    assert out["eval_on"] == "synthetic" and out["eval_windows"] == 5 and out["k"] == 20
    assert out["best20_ade"] <= out["best20_ped_ade"] + 1e-9 or out["best20_ped_ade"] <= out["best20_ade"]
    assert out["best20_ped_ade"] <= out["best20_ade"] + 1e-6  # the min per pedestrian is the kinder one
    assert limit_windows(scene, 0) is scene


def _write_split(root, split: str = "zara1") -> None:
    """A leave-one-out folder in ETH/UCY form (tab-separated) from two simulated scenes."""
    for part, seed in (("train", 1), ("test", 2)):
        rows = crowd_scene("groups", seed=seed, duration=24.0).tracks.rows
        folder = root / split / part
        folder.mkdir(parents=True)
        (folder / f"scene_{part}.txt").write_text(
            "\n".join(f"{int(f)}\t{int(p)}\t{x:.3f}\t{y:.3f}" for f, p, x, y in rows) + "\n")


def test_cli_trains_on_a_folder_and_eval_prints_ade_fde(tmp_path, capsys):
    _write_split(tmp_path / "data", "hotel")
    out = tmp_path / "runs" / "sg"
    args = ["train", "--family", "social-gan", "--data", str(tmp_path / "data"), "--split", "hotel",
            "--steps", "4", "--batch", "4", "--k", "3", "--encoder-dim", "8", "--decoder-dim", "16",
            "--mlp-dim", "8", "--d-encoder-dim", "8", "--d-mlp-dim", "8", "--eval-n", "6", "--threads", "1",
            "--out", str(out)]
    assert cli.main(args) == 0
    ckpt = load(out)
    assert ckpt.family == "social-gan" and ckpt.meta["step"] == 4
    assert "--split hotel" in ckpt.meta["recipe"] and "--data" in ckpt.meta["recipe"]
    assert ckpt.meta["metrics"]["eval_on"] == "hotel" and "train_curve" in ckpt.meta["metrics"]
    capsys.readouterr()
    assert cli.main(["eval", str(out), "--n", "6", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["best20_ade"] > 0 and result["best20_fde"] >= result["best20_ade"] * 0.5
    assert result["eval_windows"] == 6
    with pytest.raises(Exception, match="no ETH/UCY files"):
        new_trainer(SocialGANTrainConfig(data=str(tmp_path / "data"), split="eth", **TINY))


def test_residual_decoder_starts_from_constant_velocity(scene):
    from gan_core.trajectory_metrics import constant_velocity

    tr = _trainer(scene)
    assert tr.G.config.residual
    b = scene.batch(np.arange(4))
    with torch.no_grad():
        tr.G.out.weight.zero_()
        tr.G.out.bias.zero_()  # no change to any step: the decoder walks on as it came in
        cv = constant_velocity(b.obs, 12)
        torch.testing.assert_close(tr.G(b.obs, b.seq_start_end), cv, atol=1e-5, rtol=0)
        plain = SocialGANTrainer(config=SocialGANTrainConfig(**TINY, residual=False), data=scene).G
        plain.out.weight.zero_()
        plain.out.bias.zero_()  # the paper's form: zero output is zero displacement, standing still
        torch.testing.assert_close(plain(b.obs, b.seq_start_end), b.obs[:, -1:].expand(-1, 12, -1))
