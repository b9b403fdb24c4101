"""2-D playground core: toy data, CSV parsing, models, trainer, views, divergence, D*, run thread, presets."""
from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest
import torch

from gan_core.data.toy2d import (
    BOX,
    DISTRIBUTIONS,
    ToyDataError,
    fit_to_box,
    make_pool,
    mode_centers,
    parse_points_csv,
)
from gan_core.divergence import kl_js, optimal_discriminator, sample_divergence, wasserstein_1d
from gan_core.losses import LOSSES
from gan_core.models.toy2d import Toy2DModelConfig, ToyDiscriminator, ToyGenerator, noise_grid
from gan_core.objectives import LOG4, earth_mover_vs_js, gaussian_game, generator_cost_curves
from gan_core.training.run import Run
from gan_core.training.toy2d import STAGES, Toy2DConfig, Toy2DTrainer
from gan_core.training.toy2d_presets import PRESETS, load_ready, ready_path, ready_trainer

SMALL = Toy2DConfig(batch_size=64, model=Toy2DModelConfig(g_width=16, d_width=16))


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Tiny nets: one intra-op thread (two threads thrash when the cores are shared); restored after."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# ------------------------------------------------------------------ data
@pytest.mark.parametrize("name", [d for d in DISTRIBUTIONS if d != "custom"])
def test_distributions_are_seeded_and_inside_the_box(name):
    a, b = make_pool(name, 500, seed=3), make_pool(name, 500, seed=3)
    assert a.shape == (500, 2) and a.dtype == np.float32
    assert np.array_equal(a, b) and not np.array_equal(a, make_pool(name, 500, seed=4))
    assert np.abs(a).max() <= BOX


def test_mixtures_sit_on_their_modes():
    pts = make_pool("ring", 2000, seed=0)
    d = np.linalg.norm(pts[:, None] - mode_centers("ring")[None], axis=2).min(axis=1)
    assert np.percentile(d, 99) < 0.35
    assert mode_centers("grid").shape == (25, 2) and mode_centers("moons") is None


def test_custom_pool_needs_points():
    with pytest.raises(ToyDataError) as err:
        make_pool("custom", 10)
    assert err.value.code == "need_points"
    pool = make_pool("custom", 300, points=np.array([[1.0, 1.0], [-1.0, -1.0]]))
    assert pool.shape == (300, 2) and np.abs(np.abs(pool) - 1.0).max() < 0.3


def test_csv_header_blank_lines_and_semicolons():
    pts = parse_points_csv(b"x,y\n1,2\n\n-3.5, 4e-1\n")
    assert pts.tolist() == [[1.0, 2.0], [-3.5, pytest.approx(0.4)]]
    assert parse_points_csv("1;2\n3;4\n").shape == (2, 2)


@pytest.mark.parametrize("data, code, row", [
    (b"x,y\n1,2\n3,abc\n", "not_number", 3),
    (b"1,2\n1,2,3\n", "columns", 2),
    (b"1,2\n5,nan\n", "not_finite", 2),
    (b"1,2\n", "too_few", None),
    (b"\xff\xfe\x00\x01", "not_utf8", None),
    (b"1,2\n\x00\x00", "binary", None),
])
def test_csv_errors_name_the_bad_row(data, code, row):
    with pytest.raises(ToyDataError) as err:
        parse_points_csv(data)
    assert err.value.code == code
    if row is not None:
        assert err.value.params["row"] == row and f"row {row}" in str(err.value)


def test_csv_limits():
    with pytest.raises(ToyDataError) as err:
        parse_points_csv(b"1,2\n" * 100, max_bytes=50)
    assert err.value.code == "too_big"
    with pytest.raises(ToyDataError) as err:
        parse_points_csv("1,2\n" * 11, max_rows=10)
    assert err.value.code == "too_many_rows" and err.value.params["row"] == 11


def test_fit_to_box_keeps_shape_and_fits():
    pts = np.array([[100.0, 200.0], [300.0, 200.0], [200.0, 250.0]])
    out = fit_to_box(pts, half_width=2.5)
    assert np.abs(out).max() == pytest.approx(2.5)
    assert out[1, 0] - out[0, 0] == pytest.approx(2 * (out[2, 1] - out[0, 1]) * 2)  # ratios kept


# ------------------------------------------------------------------ models
@pytest.mark.parametrize("layers", [0, 1, 5])
def test_mlp_depth_and_shapes(layers):
    cfg = Toy2DModelConfig(noise_dim=1, g_layers=layers, d_layers=layers, g_width=128, d_width=8)
    G, D = ToyGenerator(config=cfg), ToyDiscriminator(config=cfg)
    assert sum(isinstance(m, torch.nn.Linear) for m in G.modules()) == layers + 1
    assert G(torch.zeros(7, 1)).shape == (7, 2) and D(torch.zeros(7, 2)).shape == (7,)


@pytest.mark.parametrize("bad", [{"g_layers": 6}, {"d_width": 129}, {"noise_dim": 3}, {"noise": "cauchy"}])
def test_model_config_rejects_out_of_range(bad):
    with pytest.raises(ValueError):
        Toy2DModelConfig(**bad)


def test_noise_grid_shapes():
    z, (lines, per) = noise_grid(Toy2DModelConfig(noise_dim=2), lines=5, points=9)
    assert z.shape == (90, 2) and (lines, per) == (10, 9)
    z, (lines, per) = noise_grid(Toy2DModelConfig(noise_dim=1, noise="uniform"), lines=5, points=9)
    assert z.shape == (45, 1) and lines == 1 and float(z.abs().max()) == 1.0


# ------------------------------------------------------------------ trainer
def _params(m):
    return [p.detach().clone() for p in m.parameters()]


def _changed(before, m):
    return any(not torch.equal(a, b) for a, b in zip(before, m.parameters()))


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_loss_trains_and_freezes_the_other_player(loss):
    tr = Toy2DTrainer(config=dataclasses.replace(SMALL, loss=loss))
    g0, d0 = _params(tr.G), _params(tr.D)
    tr.step("d")
    assert _changed(d0, tr.D) and not _changed(g0, tr.G)  # step 1: G fixed
    d1 = _params(tr.D)
    tr.step("g")
    assert _changed(g0, tr.G) and not _changed(d1, tr.D)  # step 2: D fixed
    h = tr.train(3)
    assert len(h["d_loss"]) == 3 and h["step"] == [2, 3, 4]
    assert all(math.isfinite(v) for v in h["d_loss"] + h["g_loss"])


def test_same_seed_same_run():
    a, b = Toy2DTrainer(config=SMALL), Toy2DTrainer(config=SMALL)
    assert a.train(5)["g_loss"] == b.train(5)["g_loss"]


def test_training_brings_fakes_closer():
    tr = Toy2DTrainer(config=dataclasses.replace(Toy2DConfig(), dist="line", batch_size=128))
    before = tr.divergence()["js"]
    tr.train(200)
    assert tr.divergence()["js"] < before - 0.2


def test_views_shapes_and_arrows_point_uphill_for_d():
    tr = Toy2DTrainer(config=SMALL)
    tr.train(20)
    assert tr.d_surface(30).shape == (30, 30)
    assert 0.0 <= tr.d_surface(30).min() and tr.d_surface(30).max() <= 1.0  # BCE family: a probability
    assert tr.manifold(lines=4, points=6).shape == (8, 6, 2)
    x, v = tr.g_arrows(n=32)
    assert x.shape == v.shape == (32, 2)
    with torch.no_grad():  # moving a fake a little along its arrow makes D find it more real
        before = tr.D(torch.from_numpy(x))
        after = tr.D(torch.from_numpy(x + 1e-3 * v / np.linalg.norm(v, axis=1, keepdims=True)))
    assert float((after - before).mean()) > 0
    cov = tr.coverage()
    assert set(cov) == {"modes", "modes_total", "quality"} and cov["modes_total"] == 8


# ------------------------------------------------------------------ divergence, D*, objectives
def test_divergence_identical_and_disjoint():
    a = make_pool("ring", 4096, seed=0)
    same = sample_divergence(a, a)
    assert same["js"] == pytest.approx(0.0, abs=1e-9) and same["kl_pq"] == pytest.approx(0.0, abs=1e-9)
    far = np.full((4096, 2), 2.5, dtype=np.float32)
    apart = sample_divergence(np.full((4096, 2), -2.5, dtype=np.float32), far)
    assert apart["js"] > 0.97 and apart["kl_pq"] > 15  # 1 bit minus a little smoothing bias


def test_kl_js_hand_computed():
    r = kl_js(np.array([0.5, 0.5]), np.array([0.9, 0.1]))
    assert r["kl_pq"] == pytest.approx(0.736966, abs=1e-6)  # 0.5 log2(5/9) + 0.5 log2(5)
    exact = kl_js(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert exact["js"] == pytest.approx(1.0) and exact["kl_pq"] == math.inf


def test_optimal_discriminator_formula():
    d = optimal_discriminator(np.array([3.0, 1.0, 2.0, 0.0]), np.array([1.0, 1.0, 0.0, 0.0]))
    assert d.tolist() == [0.75, 0.5, 1.0, 0.5]  # 0/0 -> 1/2


def test_value_at_d_star_is_minus_log4_plus_2js():
    assert gaussian_game(0.0, 1.0)["v"] == pytest.approx(-LOG4, abs=1e-6)  # p_g = p_data: the minimum
    g = gaussian_game(1.5, 0.6)
    assert g["v"] == pytest.approx(g["v_from_js"], abs=1e-4) and g["v"] > -LOG4 + 0.1


def test_generator_cost_slopes():
    d = np.array([0.01, 0.5, 0.9])
    c = generator_cost_curves(d)
    assert c["minimax"]["dlogit"] == pytest.approx(-d)           # vanishes when D rejects fakes
    assert c["nonsaturating"]["dlogit"] == pytest.approx(-(1 - d))
    assert c["maxlik"]["dlogit"] == pytest.approx(-d / (1 - d))


def test_earth_mover_grows_while_js_saturates():
    near, far = earth_mover_vs_js(2.0), earth_mover_vs_js(4.0)
    assert near["w1"] == pytest.approx(2.0, abs=0.02) and far["w1"] == pytest.approx(4.0, abs=0.02)
    assert near["js"] == pytest.approx(1.0, abs=1e-3) and far["js"] == pytest.approx(1.0, abs=1e-3)
    x = np.linspace(-1, 1, 5)
    assert wasserstein_1d(np.array([1, 0, 0, 0, 0.0]), np.array([0, 0, 0, 0, 1.0]), x) == pytest.approx(2.0)


# ------------------------------------------------------------------ live run (the generic Run)
def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.02)
    return predicate()


def test_run_plays_pauses_and_stops():
    run = Run(config=SMALL)
    run.start()
    assert _wait(lambda: run.snapshot().step >= 10)
    assert run.snapshot().preview.kind == "points_2d"
    run.pause()
    n = run.snapshot().step
    time.sleep(0.2)
    assert run.snapshot().step == n and run.status == "paused" and not run.has_thread
    run.stop()
    assert run.snapshot().status == "stopped"


def test_run_stops_itself_when_nobody_polls():
    run = Run(config=SMALL, idle_timeout=0.3)
    run.start()
    assert _wait(lambda: not run.has_thread, timeout=5)
    snap = run.snapshot(touch=False)
    assert snap.status == "stopped" and snap.stop_reason == "idle"


def test_slow_motion_stages_make_one_iteration():
    run = Run(config=SMALL)
    run.prepare()
    steps = []
    for _ in STAGES:
        run.step_once("stage")
        view = run.snapshot().preview.data
        steps.append((STAGES[view.stage], view.step, view.highlight_real is not None))
    assert steps == [("sample", 0, True), ("d_step", 0, True), ("g_grad", 0, True), ("g_step", 1, True)]
    run.step_once("d")
    run.step_once("g")
    assert run.snapshot().step == 2 and run.snapshot().preview.data.stage == -1


# ------------------------------------------------------------------ presets and shipped states
def test_presets_are_valid_and_ready_states_ship():
    for name, preset in PRESETS.items():
        assert isinstance(preset.config, Toy2DConfig)
        if preset.ready:
            assert ready_path(name).is_file(), name


def test_ready_states_are_trained_and_show_collapse():
    js, modes = {}, {}
    for name in ("ring_balanced", "ring_strong_d"):
        _states, steps, cfg = load_ready(name)
        js[f"{name}_init"] = Toy2DTrainer(config=cfg).divergence()["js"]
        tr = ready_trainer(name)
        js[name], modes[name] = tr.divergence()["js"], tr.coverage()["modes"]
        assert steps == PRESETS[name].steps
    assert js["ring_balanced"] < js["ring_balanced_init"] - 0.3
    assert modes["ring_balanced"] == 8 and modes["ring_strong_d"] <= 4  # the collapse preset collapses


def test_the_recipe_reproduces_a_shipped_state(tmp_path):
    """The ready states' recipe, run again, gives the shipped weights (the 300-step "D wins early"
    state is cheap enough to check here; float kernels may differ slightly across CPUs)."""
    from gan_core.training.toy2d_presets import make_ready

    make_ready("ring_d_wins_early", tmp_path)
    fresh, _, _ = load_ready("ring_d_wins_early", tmp_path)
    shipped, _, _ = load_ready("ring_d_wins_early")
    for module in ("G", "D"):
        for key, value in shipped[module].items():
            torch.testing.assert_close(fresh[module][key], value, atol=1e-4, rtol=1e-4)
