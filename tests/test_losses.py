"""Each loss against a value worked out by hand (numbers in the comments).

Handy constants for logits l in {-2, 0, 2}:
  softplus(0)  = ln 2            = 0.693147
  softplus(2)  = ln(1 + e^2)     = ln 8.389056 = 2.126928
  softplus(-2) = ln(1 + e^-2)    = ln 1.135335 = 0.126928
  e^2 = 7.389056
"""

import math

import pytest
import torch

from gan_core import losses as L

L02 = torch.tensor([0.0, 2.0])


def close(t: torch.Tensor, expected: float, tol: float = 1e-5) -> None:
    assert t.dim() == 0
    assert t.item() == pytest.approx(expected, abs=tol)


def test_d_bce_hand_values():
    # real [0, 2] vs target 1: mean softplus(-l) = (0.693147 + 0.126928) / 2 = 0.410038
    # fake [0, 2] vs target 0: mean softplus(l)  = (0.693147 + 2.126928) / 2 = 1.410038
    # J(D) = 1/2 (0.410038 + 1.410038) = 0.910038
    close(L.d_bce(L02, L02), 0.910038)
    # a clueless D (all logits 0, D = 1/2) scores ln 2
    close(L.d_bce(torch.zeros(5), torch.zeros(3)), math.log(2))


def test_d_bce_one_sided_label_smoothing():
    # real [2] with t = 0.9: 0.9 * softplus(-2) + 0.1 * softplus(2) = 0.114235 + 0.212693 = 0.326928
    # fake [-2] with target 0 (never smoothed): softplus(-2) = 0.126928
    # J(D) = 1/2 (0.326928 + 0.126928) = 0.226928
    real, fake = torch.tensor([2.0]), torch.tensor([-2.0])
    close(L.d_bce(real, fake, real_target=0.9), 0.226928)
    close(L.d_bce(real, fake, 0.9), 0.226928)  # positional form used via LossSpec


def test_generator_costs_hand_values():
    # minimax: mean log(1 - D) = -mean softplus(l) = -(0.693147 + 2.126928) / 2 = -1.410038
    close(L.g_minimax(L02), -1.410038)
    # non-saturating: -mean log D = mean softplus(-l) = (0.693147 + 0.126928) / 2 = 0.410038
    close(L.g_nonsaturating(L02), 0.410038)
    # maximum likelihood: -mean exp(l) = -(1 + 7.389056) / 2 = -4.194528
    close(L.g_maxlik(L02), -4.194528)


def test_stable_for_extreme_logits():
    # Sigmoid + log would give log(0) = -inf here; softplus stays exact
    close(L.g_nonsaturating(torch.tensor([-200.0])), 200.0)
    close(L.g_minimax(torch.tensor([200.0])), -200.0)
    close(L.d_bce(torch.tensor([-100.0]), torch.tensor([100.0])), 100.0)
    # maxlik clamps the logit at 20: -exp(20) = -485165195.4, not -inf
    v = L.g_maxlik(torch.tensor([100.0]))
    assert torch.isfinite(v)
    assert v.item() == pytest.approx(-math.exp(20.0), rel=1e-6)


def test_lsgan_hand_values():
    # D: 1/2 mean((l_real - 1)^2) + 1/2 mean(l_fake^2)
    #    real [0, 2]: 1/2 * mean(1, 1) = 0.5 ; fake [0, 2]: 1/2 * mean(0, 4) = 1.0  -> 1.5
    close(L.d_lsgan(L02, L02), 1.5)
    # b = 0.5: 1/2 * mean(0.25, 2.25) = 0.625 ; + 1.0 -> 1.625
    close(L.d_lsgan(L02, L02, real_target=0.5), 1.625)
    # G: 1/2 mean((l - 1)^2) = 1/2 * mean(1, 1) = 0.5
    close(L.g_lsgan(L02), 0.5)


def test_wgan_hand_values():
    # critic: mean f(fake) - mean f(real) = 1 - 2 = -1 ; generator: -mean f(fake) = -1
    close(L.d_wgan(torch.tensor([1.0, 3.0]), L02), -1.0)
    close(L.g_wgan(L02), -1.0)


def test_hinge_hand_values():
    # real [0, 2]: mean(relu(1 - 0), relu(1 - 2)) = mean(1, 0) = 0.5
    # fake [-2, 0.5]: mean(relu(1 - 2), relu(1 + 0.5)) = mean(0, 1.5) = 0.75  -> 1.25
    close(L.d_hinge(L02, torch.tensor([-2.0, 0.5])), 1.25)
    close(L.g_hinge(L02), -1.0)  # -mean(0, 2)


def _linear_critic(w: torch.Tensor):
    # f(x) = w . x  -> grad_x f = w everywhere, so ||grad|| = |w| and GP = (|w| - 1)^2
    return lambda x, y=None: x.flatten(1) @ w


def test_gradient_penalty_linear_critic():
    torch.manual_seed(0)
    real, fake = torch.randn(6, 1, 2, 2), torch.randn(6, 1, 2, 2)
    # |w| = sqrt(9 + 16) = 5 -> GP = (5 - 1)^2 = 16, whatever the random interpolation
    w = torch.tensor([3.0, 4.0, 0.0, 0.0], requires_grad=True)
    gp = L.gradient_penalty(_linear_critic(w), real, fake)
    close(gp, 16.0, tol=1e-4)
    # create_graph=True: GP is differentiable in the critic's weights;
    # d/dw (|w| - 1)^2 = 2 (|w| - 1) w / |w| = 8 * [0.6, 0.8, 0, 0] = [4.8, 6.4, 0, 0]
    gp.backward()
    assert torch.allclose(w.grad, torch.tensor([4.8, 6.4, 0.0, 0.0]), atol=1e-4)
    # a 1-Lipschitz linear critic (|w| = sqrt(4 * 0.25) = 1) pays (almost) nothing
    gp1 = L.gradient_penalty(_linear_critic(torch.full((4,), 0.5)), real, fake, y=torch.zeros(6))
    assert gp1.item() < 1e-8


def test_minimax_saturates_nonsaturating_does_not():
    # D rejects the fake confidently: l = -10, D(G(z)) = sigma(-10) = 4.54e-5
    # d/dl minimax  = -sigma(l)      = -4.54e-5  (vanishes)
    # d/dl non-sat  = -(1 - sigma(l)) = -0.99995 (stays ~ -1)
    grads = {}
    for name, fn in [
        ("minimax", L.g_minimax),
        ("nonsat", L.g_nonsaturating),
        ("maxlik", L.g_maxlik),
    ]:
        l = torch.tensor([-10.0], requires_grad=True)
        fn(l).backward()
        grads[name] = l.grad.abs().item()
    assert grads["minimax"] == pytest.approx(4.5398e-5, rel=1e-3)
    assert grads["nonsat"] == pytest.approx(0.99995, rel=1e-4)
    assert grads["maxlik"] == pytest.approx(4.5400e-5, rel=1e-3)  # exp(-10): also tiny here
    assert grads["nonsat"] > 1e4 * grads["minimax"]


def test_registry():
    assert set(L.LOSSES) == {
        "minimax",
        "nonsaturating",
        "maxlik",
        "lsgan",
        "wgan-gp",
        "hinge",
    }
    assert L.get_loss("wgan-gp").gradient_penalty is True
    assert not L.get_loss("nonsaturating").gradient_penalty
    for spec in L.LOSSES.values():  # every pair runs with the LossSpec calling convention
        assert torch.isfinite(spec.d_loss(L02, L02, 0.9)) and torch.isfinite(spec.g_loss(L02))
    with pytest.raises(KeyError) as err:
        L.get_loss("wasserstein")
    assert "hinge" in str(err.value) and "nonsaturating" in str(err.value)
