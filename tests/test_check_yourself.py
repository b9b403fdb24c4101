"""The Check-yourself evidence (gan_core.check_yourself, ui.tally): hand-made cases, then each claim the
page makes re-measured on the shipped checkpoints, 2-D states and the app's MNIST (never stored numbers)."""
from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from gan_core import check_yourself as cy
from gan_core.training.toy2d import Toy2DTrainer
from gan_core.training.toy2d_presets import ready_meta, ready_trainer
from ui.tally import Tally


# -- hand-made cases ---------------------------------------------------------------------------------
def test_pixel_loss_answers_two_exact_modes():
    a = np.zeros((2, 4, 4), np.uint8)
    a[0, :, :2] = 255  # left half white
    a[1, :, 2:] = 255  # right half white
    res = cy.pixel_loss_answers(a)
    assert (res["mean"] == 128).all()  # the MSE answer: grey everywhere, neither real image
    assert res["mse_mean"] == pytest.approx(0.25, abs=1e-4) and res["mse_medoid"] == pytest.approx(0.5)
    assert res["sharp_mean"] == 0.0 < res["sharp_real"]
    with pytest.raises(ValueError):
        cy.pixel_loss_answers(a[:1])


def test_blur_and_shift():
    x = np.zeros((1, 9, 9))
    x[0, 4, 4] = 1.0
    blurred = cy.gaussian_blur(x, 1.0)
    assert blurred.sum() == pytest.approx(1.0, abs=1e-3) and blurred[0, 4, 4] < 0.2  # mass kept, spread out
    moved = cy.shift_right(x, 1)
    assert moved[0, 4, 5] == 1.0 and moved.sum() == 1.0
    with pytest.raises(ValueError):
        cy.gaussian_blur(x, 0.0)


def test_psnr_ranks_the_blur_above_the_shift_for_a_stroke():
    x = np.zeros((2, 28, 28), np.uint8)
    x[:, 6:22, 12:15] = 255  # a vertical stroke
    res = cy.psnr_blur_vs_shift(x)
    assert res["psnr_blur"] > res["psnr_shift"] and res["blur_wins"] == 1.0
    assert res["sharp"]["shifted"] == pytest.approx(res["sharp"]["original"], rel=0.2)
    assert res["sharp"]["blurred"] < 0.5 * res["sharp"]["original"]


def test_stray_pixels_counts_only_isolated_bright_pixels():
    x = np.zeros((2, 8, 8), np.uint8)
    x[0, 1, 1] = x[0, 5, 5] = 255  # two specks
    x[1, 2:5, 3] = 255  # a short stroke: no specks
    x[1, 7, 7] = 100  # dim: not bright
    assert cy.stray_pixels(x) == 1.0  # (2 + 0) / 2 images


def test_copy_check_sees_a_copy():
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (50, 6, 6), dtype=np.uint8)
    res = cy.copy_check(train[:5].copy(), train, n_ref=20)
    assert res["fake_median"] == 0.0 and res["real_median"] > 0  # itself excluded for the real spacing


def test_walk_smoothness_and_lowest_g_loss():
    frames = np.stack([np.full((4, 4), v, np.uint8) for v in (0, 10, 20)])
    others = np.stack([np.zeros((4, 4), np.uint8), np.full((4, 4), 200, np.uint8)])
    res = cy.walk_smoothness(frames, others)
    assert res["step_mean"] == 10.0 and res["unrelated"] == 200.0
    hist = {"step": [1, 2, 3, 4], "g_loss": [0.9, 0.5, 0.8, 1.0]}
    trace = {"step": [0, 2, 4], "js": [0.9, 0.7, 0.2], "modes": [0, 3, 8]}
    low = cy.lowest_g_loss(hist, trace)
    assert (low["step"], low["js"], low["modes"], low["end_js"], low["end_modes"]) == (2, 0.7, 3, 0.2, 8)


# -- the tally -----------------------------------------------------------------------------------------
def test_tally_one_answer_per_voter_withdraw_and_limits():
    tally = Tally(max_voters=2)
    assert tally.vote("q", "a", 1, n_options=3) and tally.vote("q", "a", 2, n_options=3)  # changed mind
    assert tally.vote("q", "b", 2, n_options=3)
    assert tally.counts("q", 3) == [0, 0, 2]
    assert not tally.vote("q", "c", 0, n_options=3)  # full
    assert not tally.vote("q", "a", 3, n_options=3) and not tally.vote("q", "a", True, n_options=3)
    tally.withdraw("a")
    assert tally.counts("q", 3) == [0, 0, 1] and tally.answer_of("q", "a") is None
    tally.clear("q")
    assert tally.counts("q", 3) == [0, 0, 0]
    assert tally.voter_key("browser") == tally.voter_key("browser") != Tally().voter_key("browser")  # salted


def test_tally_is_thread_safe():
    tally = Tally(max_voters=10_000)

    def vote(k: int) -> None:
        for i in range(200):
            tally.vote("q", f"{k}-{i}", i % 3, n_options=3)

    threads = [threading.Thread(target=vote, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(tally.counts("q", 3)) == 1600


# -- the page's claims, measured again -----------------------------------------------------------------
@pytest.fixture(scope="module")
def digits():
    from gan_core.data import load_dataset

    return load_dataset("mnist")


def test_claim_pixel_losses_prefer_the_blur(digits):
    sevens = digits.images[np.asarray(digits.labels) == 7]
    res = cy.pixel_loss_answers(sevens)
    assert res["mse_mean"] < res["mse_median"] < res["mse_medoid"]  # the mean wins under MSE: blur beats any real 7
    assert res["sharp_mean"] < res["sharp_median"] < res["sharp_real"]


def test_claim_psnr_prefers_the_blur(digits):
    res = cy.psnr_blur_vs_shift(digits.images[:100])
    assert res["blur_wins"] > 0.95 and res["psnr_blur"] > res["psnr_shift"] + 2


def test_claim_shipped_generators(digits):
    """MLP samples speckle more than the DCGAN's; the DCGAN does not copy; its latent walk is smooth."""
    from gan_core import explore as core

    models = {name: core.load_model(f"checkpoints/{name}") for name in ("mnist_mlp", "mnist_dcgan")}
    draw = {name: core.render(m, core.pool(m, 128, seed=3)) for name, m in models.items()}
    mlp, dcgan, real = (cy.stray_pixels(x) for x in (draw["mnist_mlp"], draw["mnist_dcgan"], digits.images[:128]))
    assert mlp > 3 * max(dcgan, 0.05) and real < 0.05
    res = cy.copy_check(draw["mnist_dcgan"][:32], digits.images, n_ref=100)
    assert res["fake_min"] > 10 and res["fake_median"] > 0.8 * res["real_median"]
    dcgan_model = models["mnist_dcgan"]
    za, zb = core.pool(dcgan_model, 2, seed=5).split(1)
    frames, _ = core.interpolations(dcgan_model, za, zb, 9)["lerp"]
    walk = cy.walk_smoothness(frames, draw["mnist_dcgan"][:64])
    assert walk["step_max"] < 0.5 * walk["unrelated"]


def test_claim_2d_states():
    """Balanced: G's loss lowest while the samples are far from the data; collapse vs stall."""
    meta = ready_meta("ring_balanced")["metrics"]
    low = cy.lowest_g_loss(meta["history"], meta["trace"])
    assert low["g_loss"] < low["end_g_loss"] and low["js"] > low["end_js"] + 0.3 and low["modes"] < low["end_modes"]
    moved = {}
    for name in ("ring_strong_d_collapse", "ring_strong_d_stall"):
        trained = ready_trainer(name)
        fresh = Toy2DTrainer(config=trained.config)
        moved[name] = cy.fakes_moved(fresh.fake_points(1024), trained.fake_points(1024))
        with torch.no_grad():
            moved[name + "_d_fake"] = float(torch.sigmoid(trained.D(trained.G(trained.fixed_z[:512]))).mean())
        moved[name + "_modes"] = trained.coverage()["modes"]
    assert moved["ring_strong_d_collapse"] > 1.0 and moved["ring_strong_d_collapse_modes"] <= 4  # moved, collapsed
    assert moved["ring_strong_d_stall"] < 0.05 and moved["ring_strong_d_stall_d_fake"] < 0.01  # stalled
    assert moved["ring_strong_d_stall_modes"] == 0
