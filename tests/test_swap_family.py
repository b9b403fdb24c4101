"""The swap family: one step's statistics, the preview layout, what a checkpoint holds with and without an
adversary, exact resuming, loading back into a working swap, and the evaluation's keys and ranges."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from gan_core import checkpoints
from gan_core.families import get_family
from gan_core.training.export import save_trainer
from gan_core.training.family import SWAPS, Trained, new_trainer
from gan_core.training.swap_step import STATS, SwapModelConfig, SwapTrainConfig, assemble, swap_rows

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


def _config(**kw) -> SwapTrainConfig:
    return SwapTrainConfig(steps=10, batch_size=8, base=4, code_dim=4, d_base=4, font_images=100, **kw)


@pytest.fixture(scope="module")
def trainer():
    return new_trainer(_config())


def test_family_is_registered_with_the_swaps_capability():
    fam = get_family("swap")
    assert fam.has(SWAPS) and fam.stat_names == STATS
    assert fam.config_cls is SwapTrainConfig and fam.model_config_cls is SwapModelConfig


def test_step_returns_finite_l1_and_nan_adversary_without_ds(trainer):
    stats = trainer.step()
    assert set(stats) == set(STATS)
    assert all(v.dim() == 0 for v in stats.values())
    assert 0 < float(stats["l1_A"]) < 2 and 0 < float(stats["l1_B"]) < 2
    assert math.isnan(float(stats["g_adv"])) and math.isnan(float(stats["d_loss"]))
    assert set(trainer.modules) == {"encoder", "decoder_A", "decoder_B"}
    with pytest.raises(ValueError):
        trainer.step("d")


def test_preview_rows_are_input_recon_swap_for_both_identities(trainer):
    image = trainer.preview().image
    assert image.dtype == np.uint8 and image.shape == (2 + 4 * 30, 2 + 6 * 30)  # 4 rows x 6 columns of 28 px
    rows = swap_rows(trainer.ae.eval(), trainer.fixed)
    assert rows.shape == (4 * 6, 1, 28, 28)
    # column 0 is the handwritten input itself, column 3 the typeset one
    assert torch.equal(rows[0::6], trainer.fixed["A"]) and torch.equal(rows[3::6], trainer.fixed["B"])
    with torch.no_grad():
        assert torch.allclose(rows[2::6], trainer.ae.swap(trainer.fixed["A"], to="B"))


def test_adversarial_variant_trains_and_saves_its_discriminators():
    tr = new_trainer(_config(adv_weight=0.5))
    before = [p.detach().clone() for p in tr.modules["D_B"].parameters()]
    stats = tr.step()
    assert all(math.isfinite(float(stats[k])) for k in STATS)
    after = list(tr.modules["D_B"].parameters())
    assert any(not torch.equal(a, b) for a, b in zip(after, before))
    assert set(tr.modules) == {"encoder", "decoder_A", "decoder_B", "D_A", "D_B"}
    assert set(tr.optimizers()) == {"AE", "D"}


def test_resume_continues_exactly():
    a = new_trainer(_config())
    a.step()
    state = a.state_dict()
    b = new_trainer(_config())
    b.load_state_dict(state)
    sa, sb = a.step(), b.step()
    assert float(sa["l1_A"]) == float(sb["l1_A"]) and float(sa["l1_B"]) == float(sb["l1_B"])


def test_checkpoint_round_trip_gives_the_same_swap(trainer, tmp_path):
    stem = save_trainer(trainer, tmp_path / "swap")
    ckpt = checkpoints.load(stem)
    assert set(ckpt.modules) == {"encoder", "decoder_A", "decoder_B"}
    assert ckpt.config.ae.identities == ("A", "B")  # a JSON list comes back as the tuple
    loaded = assemble(dict(ckpt.modules), ckpt.config)
    x = trainer.fixed["A"]
    with torch.no_grad():
        assert torch.allclose(loaded.swap(x, to="B"), trainer.ae.eval().swap(x, to="B"), atol=1e-6)
    assert "--family swap" in ckpt.meta["recipe"]


def test_evaluation_keys_and_ranges(trainer, monkeypatch):
    import gan_core.swap_eval as se

    monkeypatch.setattr(se, "JUDGE_REFERENCE", 200)  # a smaller reference set: quicker, same code
    out = se.evaluate_swap(Trained(family="swap", modules=trainer.modules, model_config=trainer.model_config,
                                   train_config=trainer.config), n=10, seed=0)
    shares = ("digit_read_real_A", "digit_kept_A_to_B", "digit_read_real_B", "digit_kept_B_to_A",
              "identity_real_accuracy", "identity_recon_kept", "typeset_score", "handwritten_score")
    for key in shares:
        assert 0.0 <= out[key] <= 1.0, key
    assert out["n"] == 10 and out["recon_l1_A"] > 0 and out["recon_l1_B"] > 0
    assert out["digit_read_real_A"] >= 0.8  # the shipped classifier reads real handwritten digits
    with pytest.raises(ValueError):
        se.evaluate_swap(Trained(family="swap", modules=trainer.modules, model_config=trainer.model_config), n=5)


def test_nearest_neighbour_judge_votes_by_the_closest_real_pictures():
    from gan_core.swap_eval import called_typeset

    ref_a = np.zeros((6, 28, 28), np.uint8)  # "handwritten": dark
    ref_b = np.full((6, 28, 28), 200, np.uint8)  # "typeset": bright
    x = torch.stack([torch.full((1, 28, 28), v) for v in (-1.0, -0.9, 0.8, 1.0)])  # in [-1, 1]
    assert called_typeset(ref_a, ref_b, x, k=3).tolist() == [False, False, True, True]
    # the vote is a majority of k: 2 bright neighbours of 3 call it typeset
    mixed_b = np.concatenate([np.full((2, 28, 28), 200, np.uint8), np.full((4, 28, 28), 255, np.uint8)])
    assert called_typeset(ref_a, mixed_b, x[2:3], k=3).tolist() == [True]


@pytest.mark.parametrize("bad", [{"warp": -1.0}, {"warp": math.nan}, {"adv_weight": 11.0}, {"lr": 0.0},
                                 {"steps": 0}, {"code_dim": 0}, {"font_images": 10}, {"batch_size": 1}])
def test_run_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        SwapTrainConfig(**bad)


def test_model_config_refuses_other_identities():
    from gan_core.models.swap_ae import SwapAEConfig

    with pytest.raises(ValueError):
        SwapModelConfig(ae=SwapAEConfig(identities=("X", "Y")))
    with pytest.raises(ValueError):
        SwapModelConfig(d_base=0)
