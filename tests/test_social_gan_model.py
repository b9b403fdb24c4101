"""Social GAN modules, the variety loss and the trajectory metrics, against shapes and hand values."""

import pytest
import torch

from gan_core.losses import variety_loss
from gan_core.models.social_gan import SocialGANConfig, build_social_gan
from gan_core.models.social_pooling import SocialPooling, window_pairs
from gan_core.trajectory_metrics import (
    ade,
    best_of_k,
    constant_velocity,
    displacement_errors,
    fde,
    linear_fit,
    summarize,
)

SSE = torch.tensor([[0, 3], [3, 5]])  # two scene windows: rows 0-2 and rows 3-4


def _obs(n: int = 5, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    start = torch.randn(n, 1, 2, generator=g) * 3.0
    return start + torch.cumsum(0.5 + 0.1 * torch.randn(n, 8, 2, generator=g), dim=1)  # (n, 8, 2)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_shapes(cell):
    torch.manual_seed(0)
    G, D = build_social_gan(SocialGANConfig(cell=cell))
    obs = _obs()
    assert G(obs, SSE).shape == (5, 12, 2)
    assert G.sample(obs, SSE, 4).shape == (4, 5, 12, 2)
    assert D(torch.cat([obs, G(obs, SSE)], dim=1), SSE).shape == (5,)


def test_window_pairs_cover_each_window():
    i, j = window_pairs(SSE)
    assert len(i) == 3 * 3 + 2 * 2
    assert {(int(a), int(b)) for a, b in zip(i, j)} == {(a, b) for a in range(3) for b in range(3)} | {
        (a, b) for a in (3, 4) for b in (3, 4)}
    with pytest.raises(ValueError, match="contiguous"):
        window_pairs(torch.tensor([[0, 2], [3, 5]]))


def test_pooling_is_permutation_invariant():
    torch.manual_seed(0)
    pool = SocialPooling(hidden_dim=6, embedding_dim=4, mlp_dim=16, out_dim=8)
    h, pos = torch.randn(6, 6), torch.randn(6, 2) * 2
    sse = torch.tensor([[0, 6]])
    p = pool(h, pos, sse)  # (6, 8)
    perm = torch.tensor([0, 4, 2, 5, 1, 3])  # pedestrian 0 stays first, the others are shuffled
    q = pool(h[perm], pos[perm], sse)
    torch.testing.assert_close(q[0], p[0])  # ped 0's pooled vector does not see the order of the others
    torch.testing.assert_close(q, p[perm])  # and everyone else's vector moves with its owner
    # a pedestrian in another window does not leak in: windows [0, 3) and [3, 6) differ from one window
    split = pool(h, pos, torch.tensor([[0, 3], [3, 6]]))
    assert not torch.allclose(split[0], p[0])


def test_social_context_only_with_pooling():
    torch.manual_seed(0)
    obs = _obs()
    moved = obs.clone()
    moved[1] += 1.5  # move pedestrian 1, who shares pedestrian 0's window
    z = torch.zeros(5, 8)
    G, _ = build_social_gan(SocialGANConfig())
    assert not torch.allclose(G(obs, SSE, z=z)[0], G(moved, SSE, z=z)[0])  # 0 reacts to 1
    lstm, _ = build_social_gan(SocialGANConfig(pooling=False, noise_dim=0))
    assert lstm.pool is None
    torch.testing.assert_close(lstm(obs, SSE)[0], lstm(moved, SSE)[0])  # the LSTM baseline ignores others
    torch.testing.assert_close(lstm(obs, SSE), lstm(obs, SSE))  # noise_dim 0: deterministic


def test_translation_moves_the_prediction_and_keeps_x_y():
    torch.manual_seed(0)
    G, _ = build_social_gan(SocialGANConfig())
    obs, z = _obs(), torch.randn(5, 8)
    shift = torch.tensor([5.0, 0.0])  # only x moves: a swapped x/y anywhere would move y instead
    torch.testing.assert_close(G(obs + shift, SSE, z=z), G(obs, SSE, z=z) + shift, atol=1e-4, rtol=0)


def test_noise_seed_and_scene_mix():
    torch.manual_seed(0)
    G, _ = build_social_gan(SocialGANConfig())
    obs = _obs()
    a = G.sample(obs, SSE, 3, generator=torch.Generator().manual_seed(7))
    b = G.sample(obs, SSE, 3, generator=torch.Generator().manual_seed(7))
    torch.testing.assert_close(a, b)
    assert not torch.allclose(a[0], a[1])  # different z, different futures
    Gs, _ = build_social_gan(SocialGANConfig(noise_mix="scene"))
    z = Gs.noise(SSE, 2)  # (2, 5, 8)
    torch.testing.assert_close(z[:, 0], z[:, 2])  # one z per window
    assert not torch.allclose(z[:, 0], z[:, 3])


def test_discriminator_logits_are_unbounded():
    torch.manual_seed(0)
    _, D = build_social_gan(SocialGANConfig())
    traj = torch.cat([_obs(), _obs(seed=1)[:, :8].repeat(1, 2, 1)[:, :12]], dim=1)
    with torch.no_grad():
        D.head[-1].bias.fill_(-50.0)
        assert (D(traj) < -40).all()  # no sigmoid or ReLU at the end
        D.head[-1].bias.fill_(50.0)
        assert (D(traj) > 40).all()


def test_config_refuses_bad_values():
    for bad in ({"noise_dim": 32}, {"encoder_dim": 0}, {"mlp_dim": 10**6}, {"obs_len": 1}, {"cell": "rnn"},
                {"noise_mix": "global"}, {"pooling": 1}, {"embedding_dim": 16.0}, {"pred_len": float("nan")}):
        with pytest.raises(ValueError):
            SocialGANConfig(**bad)


def test_variety_loss_hand_value_and_gradient():
    truth = torch.zeros(2, 2, 2)  # N=2 pedestrians, T=2 steps, all at the origin
    pred_k = torch.tensor([
        [[[1.0, 0.0], [1.0, 0.0]], [[0.0, 2.0], [0.0, 0.0]]],  # k=0: e_0 = (1+1)/2 = 1,    e_1 = (4+0)/2 = 2
        [[[3.0, 4.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]]],  # k=1: e_0 = (25+0)/2 = 12.5, e_1 = (1+1)/2 = 1
    ], requires_grad=True)
    loss = variety_loss(pred_k, truth)  # mean(min(1, 12.5), min(2, 1)) = (1 + 1) / 2 = 1
    assert loss.item() == pytest.approx(1.0)
    loss.backward()
    assert pred_k.grad[1, 0].abs().sum() == 0 and pred_k.grad[0, 1].abs().sum() == 0  # losers get nothing
    assert pred_k.grad[0, 0].abs().sum() > 0 and pred_k.grad[1, 1].abs().sum() > 0
    # per window (official training code): sums k=0: 3, k=1: 13.5 -> min 3, divided by N = 2 -> 1.5
    assert variety_loss(pred_k, truth, seq_start_end=torch.tensor([[0, 2]])).item() == pytest.approx(1.5)


def test_ade_fde_hand_values():
    truth = torch.tensor([[[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]],
                          [[0.0, 0.0], [0.0, 1.0], [0.0, 2.0]]])
    pred = torch.tensor([[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]],  # errors 0, 1, 2: ADE 1, FDE 2
                         [[3.0, 4.0], [3.0, 5.0], [3.0, 6.0]]])  # errors 5, 5, 5: ADE 5, FDE 5
    ade_i, fde_i = displacement_errors(pred, truth)
    assert ade_i.tolist() == [1.0, 5.0] and fde_i.tolist() == [2.0, 5.0]
    assert ade(pred, truth) == pytest.approx(3.0) and fde(pred, truth) == pytest.approx(3.5)
    # best of k=2, sample 1 = the truth for pedestrian 1 only; sample 1 for ped 0 is 3 m off everywhere
    other = torch.stack([truth[0] + torch.tensor([3.0, 0.0]), truth[1]])
    b_ade, b_fde = best_of_k(torch.stack([pred, other]), truth)
    assert b_ade.tolist() == [1.0, 0.0] and b_fde.tolist() == [2.0, 0.0]
    # one window: per-window sums of ADE are 6 (k=0) and 3 (k=1) -> sample 1 for both pedestrians
    w_ade, _ = best_of_k(torch.stack([pred, other]), truth, seq_start_end=torch.tensor([[0, 2]]))
    assert w_ade.tolist() == [3.0, 0.0]
    s = summarize(ade_i, fde_i, torch.tensor([False, True]))
    assert s["linear"] == (1.0, 2.0) and s["nonlinear"] == (5.0, 5.0) and s["all"] == (3.0, 3.5)


def test_linear_baselines_exact_on_a_straight_constant_speed_path():
    t = torch.arange(20, dtype=torch.float64)[:, None]
    path = torch.tensor([1.5, -2.0], dtype=torch.float64) + t * torch.tensor([0.42, 0.17], dtype=torch.float64)
    obs, future = path[None, :8], path[None, 8:]
    for pred in (constant_velocity(obs, 12), constant_velocity(obs, 12, history=7), linear_fit(obs, 12)):
        assert pred.shape == (1, 12, 2)
        assert ade(pred, future) < 1e-9 and fde(pred, future) < 1e-9
    with pytest.raises(ValueError):
        constant_velocity(obs, 12, history=8)
