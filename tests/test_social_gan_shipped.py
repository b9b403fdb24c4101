"""The shipped Social GAN and LSTM checkpoints, re-checked on fresh test windows: recomputed here (a random
sample of each left-out scene's windows, new noise), never read back from the sidecars.

Each check skips, saying why, while its checkpoint is not shipped yet (they land one by one) and, for the
ETH/UCY ones, when the data folder is not on this machine. About 30 s on one thread with every model there.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from gan_core import checkpoints
from gan_core.data.crowds import crowd_dataset
from gan_core.data.trajectories import SPLITS, load_split
from gan_core.trajectory_eval import (
    PAPER_TABLE1,
    baseline_scores,
    default_eth_ucy,
    evaluate_set,
    forecast,
    limit_windows,
    scores,
)

SHIPPED = checkpoints.SHIPPED_DIR
NAMES = ["social_gan_synthetic", "social_gan_synthetic_nopool",
         *(f"social_{kind}_{s}" for kind in ("gan", "lstm") for s in SPLITS)]
WINDOWS, WINDOW_SEED, NOISE_SEED = 150, 11, 1  # the sidecars used every test window and noise seed 0
PAPER_FACTOR = (0.3, 2.0)  # best-of-20 ADE within these multiples of the paper's SGAN-20VP-20 (hotel: 0.4x)
CLOSE_CALL = 0.05  # relative gap below which a sample of windows cannot be expected to agree on the winner


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _load(name: str) -> checkpoints.Checkpoint:
    if not checkpoints.files_of(SHIPPED / name)[1].is_file():
        pytest.skip(f"{name} is not shipped yet (no checkpoints/{name}.json): the training queue adds it")
    return checkpoints.load(SHIPPED / name)


def _eth_ucy() -> Path:
    folder = default_eth_ucy()
    if folder is None:
        pytest.skip("ETH/UCY not found: set GAN_CLASSROOM_ETH_UCY or put it at ../shared/data/eth_ucy")
    return folder


def _fresh_test_windows(split: str):
    return limit_windows(load_split(_eth_ucy(), split, "test"), WINDOWS, seed=WINDOW_SEED)


@pytest.mark.parametrize("name", NAMES)
def test_recipe_budget_and_held_out_scene(name):
    ckpt = _load(name)
    meta, tc = ckpt.meta, ckpt.train_config
    assert meta["recipe"].startswith("python -m gan_core train --family social-gan")
    assert meta["metrics"]["threads"] == 1 and meta["metrics"]["train_seconds"] <= 30 * 60
    assert checkpoints.files_of(ckpt.path)[0].stat().st_size < 1_000_000  # small weights
    if "synthetic" in name:
        assert tc["data"] is None
    else:
        assert tc["data"] is not None and tc["split"] == name.rsplit("_", 1)[1]  # its test scene held out
    if name.startswith("social_lstm"):
        assert not tc["pooling"] and tc["noise_dim"] == 0
    if name.endswith("_nopool"):
        assert not tc["pooling"] and tc["noise_dim"] > 0


@pytest.mark.parametrize("split", SPLITS)
def test_best_of_20_against_constant_velocity_and_the_paper(split):
    """On fresh windows of the scene it never saw: best-of-20 ADE (one sample number per window) within a
    sane factor of the paper's, on the same side of constant velocity as the sidecar says (the page's
    Table 1 sentence is worded from the sidecar), and ideally better than constant velocity."""
    ckpt = _load(f"social_gan_{split}")
    ts = _fresh_test_windows(split)
    samples = forecast(ckpt.modules["G"], ts, 20, seed=NOISE_SEED)
    best = scores(samples, ts)["best"]["all"][0]
    cv = baseline_scores(ts)["cv"]["all"][0]
    paper = PAPER_TABLE1["sgan20"][split][0]
    lo, hi = PAPER_FACTOR
    assert lo * paper <= best <= hi * paper, f"{split}: best-of-20 ADE {best:.3f} m vs paper {paper} m"
    assert best < scores(samples[:1], ts)["best"]["all"][0]  # 20 tries beat one
    stored = ckpt.meta["metrics"]
    s_best, s_cv = stored["best20_ade"], stored["cv_ade"]
    if abs(s_best - s_cv) >= CLOSE_CALL * s_cv:
        assert (best < cv) == (s_best < s_cv), (
            f"{split}: fresh windows say best-of-20 {best:.3f} vs constant velocity {cv:.3f} m, the sidecar "
            f"{s_best:.3f} vs {s_cv:.3f} m: the page's sentence would be wrong")
    if best >= cv:
        pytest.xfail(f"measured: on {split} constant velocity ({cv:.3f} m) beats best-of-20 ({best:.3f} m) "
                     f"on {ts.num_windows} fresh windows; the page says so and asks the class why")


@pytest.mark.parametrize("split", SPLITS)
def test_lstm_baseline_loads_and_predicts(split):
    G = _load(f"social_lstm_{split}").modules["G"]
    ts = limit_windows(_fresh_test_windows(split), 40, seed=3)
    one, two = forecast(G, ts, 1, seed=1), forecast(G, ts, 1, seed=2)
    assert one.shape == (1, ts.num_peds, ts.config.pred_len, 2) and torch.isfinite(one).all()
    torch.testing.assert_close(one, two)  # no noise: the seed changes nothing
    ade = scores(one, ts)["single"]["all"][0]
    assert ade <= 2.5 * PAPER_TABLE1["lstm"][split][0], f"{split}: LSTM ADE {ade:.3f} m"


def test_synthetic_model_beats_constant_velocity_on_new_crowds():
    G = _load("social_gan_synthetic").modules["G"]
    fresh = crowd_dataset(seeds=(107,))  # never trained on (0-11) nor used for the sidecar (100-103)
    out = evaluate_set(G, fresh, k=20, seed=0)
    assert out["best20_ade"] < out["cv_ade"] and out["best20_fde"] < out["cv_fde"]


def test_pooling_lets_a_neighbour_change_the_forecast():
    social = _load("social_gan_synthetic").modules["G"]
    alone = _load("social_gan_synthetic_nopool").modules["G"]
    ts = crowd_dataset(seeds=(108,))
    sizes = ts.seq_start_end[:, 1] - ts.seq_start_end[:, 0]
    b = ts.batch(np.flatnonzero(sizes >= 3)[:20])
    moved = b.obs.clone()
    first = b.seq_start_end[:, 0]
    moved[first + 1] += torch.tensor([0.0, 0.8])  # shift each window's second pedestrian sideways
    with torch.no_grad():
        for G, reacts in ((social, True), (alone, False)):
            z = G.noise(b.seq_start_end, generator=torch.Generator().manual_seed(0))[0]
            before, after = G(b.obs, b.seq_start_end, z=z)[first], G(moved, b.seq_start_end, z=z)[first]
            # the first pedestrian sees the move only through the pooling module
            assert (not torch.allclose(before, after, atol=1e-5)) == reacts
