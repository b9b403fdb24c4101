"""The pix2pix family and the "GAN vs MAE" maths: config checks, one training step of every recipe,
resuming, float16 storage, variants from run configs, image metrics, the optima of one ambiguous pixel."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch

from gan_core import checkpoints
from gan_core import image_metrics as im
from gan_core import img2img as core
from gan_core import pixel_optima as po
from gan_core.data.paired import PairedImages, completion_pairs, superres_pairs
from gan_core.training.family import Trained, new_trainer
from gan_core.training.pix2pix_step import Pix2PixConfig, show_input

TINY = {"g_base": 4, "d_base": 4, "batch_size": 4, "steps": 3}


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    rng = np.random.default_rng(0)
    pics = np.zeros((16, 28, 28), np.uint8)
    for i, p in enumerate(pics):  # a bright vertical bar at a random column: small, fast, non-trivial
        c = rng.integers(6, 22)
        p[4:24, c : c + 3] = 255
    return pics


def _trainer(digits, **kw):
    cfg = Pix2PixConfig(**{**TINY, **kw})
    data = completion_pairs(digits) if cfg.task == "completion" else superres_pairs(digits)
    return new_trainer(cfg, data=data, device=torch.device("cpu"))


# -- config ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [{"lambda_l1": 0.0, "adv_weight": 0.0}, {"lambda_l1": math.nan}, {"task": "maps"},
                                 {"content": "vgg"}, {"task": "edges", "content": "features"}, {"d_kind": "huge"},
                                 {"steps": 0}, {"g_base": 0}, {"dropout": 1.5}, {"adv_weight": math.inf}])
def test_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        Pix2PixConfig(**bad)


def test_model_config_follows_the_task():
    mc = Pix2PixConfig(task="completion", d_kind="image", d_layers=2, skips=False).model_config()
    assert mc.G.in_channels == 2 and mc.D.x_channels == 2 and not mc.G.skips and mc.D.kind == "image"
    assert Pix2PixConfig(task="superres").model_config().G.in_channels == 1


# -- training steps --------------------------------------------------------------------------------
@pytest.mark.parametrize("kw, keys", [
    ({}, {"d_loss", "d_real", "d_fake", "g_gan", "g_content"}),
    ({"adv_weight": 0.0}, {"g_content"}),
    ({"lambda_l1": 0.0}, {"d_loss", "d_real", "d_fake", "g_gan"}),
    ({"d_kind": "pixel", "conditional": False}, {"d_loss", "d_real", "d_fake", "g_gan", "g_content"}),
])
def test_one_step_of_each_recipe(digits, kw, keys):
    tr = _trainer(digits, **kw)
    assert ("D" in tr.modules) == (tr.config.adv_weight > 0)  # L1 only: no D trained or stored
    stats = tr.step()
    assert set(stats) == keys and all(torch.isfinite(v) for v in stats.values())
    assert tr.steps_done == 1
    pic = tr.preview().image
    assert pic.dtype == np.uint8 and pic.shape[0] > 3 * 28  # three rows: input, output, truth


def test_step_modes_touch_only_their_player(digits):
    tr = _trainer(digits)
    g0 = [p.detach().clone() for p in tr.G.parameters()]
    d0 = [p.detach().clone() for p in tr.D.parameters()]
    assert set(tr.step("d")) == {"d_loss", "d_real", "d_fake"}
    assert all(torch.equal(a, b) for a, b in zip(g0, tr.G.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(d0, tr.D.parameters()))
    d1 = [p.detach().clone() for p in tr.D.parameters()]
    assert "d_loss" not in tr.step("g")
    assert all(torch.equal(a, b) for a, b in zip(d1, tr.D.parameters()))  # D frozen while G learns


def test_l1_only_learns_and_resume_replays_the_same_steps(digits):
    a = _trainer(digits, adv_weight=0.0, lr=2e-3, steps=30)
    losses = [float(a.step()["g_content"]) for _ in range(30)]
    assert np.mean(losses[-5:]) < np.mean(losses[:5])  # it learns
    b, c = _trainer(digits), _trainer(digits)
    for _ in range(2):
        b.step()
    c.load_state_dict(b.state_dict())
    sb, sc = b.step(), c.step()
    assert torch.equal(sb["g_content"], sc["g_content"]) and torch.equal(sb["d_loss"], sc["d_loss"])


def test_features_content_uses_the_classifier(digits):
    tr = _trainer(digits, task="superres", content="features", lambda_l1=1.0, adv_weight=1e-3)
    stats = tr.step()
    assert tr.features is not None and float(stats["g_content"]) > 0


# -- checkpoints, variants, prediction ---------------------------------------------------------------
def test_float16_checkpoint_loads_into_float32_modules(tmp_path, digits):
    tr = _trainer(digits)
    tr.step()
    from gan_core.training.export import save_trainer

    stem = save_trainer(tr, tmp_path / "p2p")
    size32 = checkpoints.files_of(stem)[0].stat().st_size
    core.half_checkpoint(stem)
    assert checkpoints.files_of(stem)[0].stat().st_size < 0.6 * size32
    ckpt = checkpoints.load(stem)  # sha256 renewed, shapes checked
    G = ckpt.modules["G"]
    assert next(G.parameters()).dtype == torch.float32
    x = completion_pairs(digits).inputs[:4]
    tr.G.eval()
    same = core.predict(tr.G, x).astype(int) - core.predict(G, x).astype(int)
    assert np.abs(same).max() <= 2  # fp16 rounding moves a pixel by at most a grey level or two
    assert ckpt.meta["metrics"]["stored_dtype"] == "float16"
    assert core.variant_of(ckpt.train_config).key == "l1cgan100"


@pytest.mark.parametrize("kw, key", [({"adv_weight": 0.0}, "l1"), ({"lambda_l1": 0.0}, "cgan"), ({}, "l1cgan100"),
                                     ({"lambda_l1": 10.0}, "l1cgan10"), ({"d_kind": "pixel"}, "l1cgan100_dpixel"),
                                     ({"d_kind": "image", "d_layers": 2}, "l1cgan100_dimage2"),
                                     ({"skips": False}, "l1cgan100_noskip"), ({"conditional": False, "lambda_l1": 0.0}, "gan"),
                                     ({"task": "superres", "content": "features", "lambda_l1": 1.0,
                                       "adv_weight": 0.001}, "srgan")])
def test_variant_keys_come_from_the_run_config(kw, key):
    v = core.variant_of(dataclasses.asdict(Pix2PixConfig(**kw)))
    assert v.key == key
    assert core.variant_of({"model": "dcgan"}) is None


def test_predict_restores_modes_and_dropout_noise_is_seeded(digits):
    from gan_core.training.pix2pix_step import build_modules

    torch.manual_seed(0)
    G = build_modules(Pix2PixConfig(g_base=4, dropout=0.5).model_config())["G"]
    x = completion_pairs(digits).inputs[:4]
    G.train()
    plain = core.predict(G, x)
    assert G.training and np.array_equal(plain, core.predict(G, x))  # eval mode: no dropout, same output
    a, b = core.predict(G, x, dropout_noise=True, seed=1), core.predict(G, x, dropout_noise=True, seed=2)
    assert np.array_equal(a, core.predict(G, x, dropout_noise=True, seed=1)) and not np.array_equal(a, b)


def test_show_input_greys_the_hidden_half(digits):
    pic = show_input(completion_pairs(digits).inputs, "completion")
    assert (pic[:, 14:] == 96).all() and np.array_equal(pic[:, :14], digits[:, :14])


# -- image metrics -----------------------------------------------------------------------------------
def test_psnr_matches_scikit_image_and_ssim_of_a_copy_is_one():
    from skimage.metrics import peak_signal_noise_ratio

    rng = np.random.default_rng(0)
    a, b = rng.random((5, 28, 28)), rng.random((5, 28, 28))
    want = np.mean([peak_signal_noise_ratio(t, p, data_range=1.0) for p, t in zip(a, b)])
    assert im.psnr(a, b) == pytest.approx(want, rel=1e-9)
    assert im.psnr(a, a) == pytest.approx(100.0) and im.ssim(a, a) == pytest.approx(1.0)
    assert im.ssim(a, b) < 0.2 and im.l1_error(a, b) == pytest.approx(np.abs(a - b).mean())
    with pytest.raises(ValueError):
        im.psnr(a, b[:4])
    with pytest.raises(ValueError):
        im.l1_error(np.full((1, 4, 4), np.nan), np.zeros((1, 4, 4)))


def test_sharpness_drops_with_blur_and_frequency_split_tells_coarse_from_detail(digits):
    blurred = np.rint(core.gaussian_blur(digits.astype(float), 1.0)).astype(np.uint8)
    assert im.sharpness(blurred) < 0.5 * im.sharpness(digits)
    step, ramp = np.zeros((1, 8, 8)), np.zeros((1, 8, 8))
    step[:, :, 4:] = 1.0
    ramp[:, :, 2:6] = np.linspace(0.25, 1.0, 4)  # the same edge spread over 4 pixels
    ramp[:, :, 6:] = 1.0
    assert im.sharpness(step) == pytest.approx(1 / 7)  # one unit step in each row's 7 differences
    assert im.sharpness(ramp) == pytest.approx(im.sharpness(step) / 4)  # 4 steps of 1/4: a quarter
    same = core.frequency_split(digits, digits, "superres")
    assert same == {"low_err": 0.0, "high_err": 0.0, "detail": 1.0}
    split = core.frequency_split(blurred, digits, "superres")
    assert split["detail"] < 0.6 and split["high_err"] > split["low_err"]  # blur loses the detail, keeps the shape


def test_metric_table_of_the_truth_is_perfect(digits):
    labels = np.zeros(len(digits), int)
    row = core.metric_table(digits, digits, labels, "completion")
    assert set(row) == set(core.METRIC_KEYS)
    assert row["l1_err"] == 0 and row["ssim"] == 1 and row["fid"] == pytest.approx(0, abs=1e-3)
    worse = core.metric_table(255 - digits, digits, labels, "completion")
    assert worse["l1_err"] > 0.5 and worse["fid"] > 1


def test_bicubic_baseline_row_is_measured_on_held_out_digits():
    row = core.bicubic_metrics(40, seed=1)
    assert row["n"] == 40 and 10 < row["psnr"] < 40 and 0 < row["ssim"] < 1 and row["detail"] < 1


# -- one ambiguous pixel -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", po.PRESETS)
def test_mse_picks_the_mean_and_mae_a_median(name):
    p = po.preset(name)
    curves = po.expected_losses(p)
    v = curves["c"]
    assert v[np.argmin(curves["mse"])] == pytest.approx(po.mean(p), abs=1 / (len(p) - 1))
    lo, hi = po.median_interval(p)
    assert lo - 1e-9 <= v[np.argmin(curves["mae"])] <= hi + 1e-9
    assert curves["mae"].min() == pytest.approx(po.expected_losses(p, np.array([po.median(p)]))["mae"][0])


def test_balanced_modes_leave_both_guesses_between_them_and_a_gan_in_a_mode():
    p = po.preset("two_equal")
    assert po.realism(p, po.mean(p)) < 0.01 and po.realism(p, po.median(p)) < 0.01  # grey: no real pixel
    assert all(po.realism(p, po.adversarial_pick(p, seed=s)) > 0.05 for s in range(20))  # inside a mode
    heavy = po.preset("two_unequal")  # 70% background: the median sits in that mode, the mean does not
    assert po.realism(heavy, po.median(heavy)) > 0.5 and po.realism(heavy, po.mean(heavy)) < 0.01


def test_distribution_from_a_drawing_and_bad_weights():
    ink = np.zeros((50, 100))
    ink[40:, :20] = 1  # a low bump on the dark side
    ink[5:, 80:] = 1  # a high bump on the bright side
    p = po.from_drawing(ink, 10)
    assert p[-1] > p[0] > 0 and p[4] == 0 and p.sum() == pytest.approx(1)
    for bad in (np.zeros(5), np.array([1.0, -1.0]), np.array([np.nan, 1.0]), np.array([1.0])):
        with pytest.raises(ValueError):
            po.normalise(bad)
    with pytest.raises(ValueError):
        po.from_drawing(np.zeros((50, 100)))
    with pytest.raises(KeyError):
        po.preset("grass")


def test_evaluation_of_a_trained_model_reports_the_table(digits):
    tr = _trainer(digits, adv_weight=0.0)
    result = core.evaluate_trained(Trained(family="pix2pix", modules=tr.modules, model_config=tr.model_config,
                                           train_config=tr.config), n=30, seed=0)
    assert set(result) == {*core.row_keys("completion"), "n"} and result["n"] == 30


def test_paired_data_given_to_the_trainer_is_used(digits):
    pairs = PairedImages(inputs=superres_pairs(digits).inputs, targets=superres_pairs(digits).targets,
                         task="superres")
    tr = new_trainer(Pix2PixConfig(task="superres", **TINY), data=pairs, device=torch.device("cpu"))
    assert len(tr.x_all) == len(digits) and tr.data_source.startswith("superres")
