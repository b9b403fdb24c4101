"""1-D maths behind the objective lab: the value function, the optimal discriminator, the generator
costs and their gradients, and the earth-mover picture. Numbers only; the page draws them.

Conventions: x is a 1-D grid, densities are sampled on it; l is D's logit, D = sigma(l).
"""
from __future__ import annotations

import numpy as np
import torch

from gan_core.divergence import gaussian_pdf, kl_js, optimal_discriminator, wasserstein_1d
from gan_core.losses import d_hinge, g_hinge, g_lsgan, g_maxlik, g_minimax, g_nonsaturating

LOG4 = float(np.log(4.0))
GRID = np.linspace(-6.0, 6.0, 1201)


def value_function(x: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, d: np.ndarray) -> float:
    """V(D, G) = E_{p_data}[log D(x)] + E_{p_g}[log(1 - D(x))], integrated on the grid (nats)."""
    dx = float(x[1] - x[0])
    eps = 1e-12
    return float(np.sum(p_data * np.log(d + eps) + p_g * np.log(1.0 - d + eps)) * dx)


def gaussian_game(mu: float, sigma: float, *, data_mu: float = 0.0, data_sigma: float = 1.0,
                  x: np.ndarray = GRID) -> dict:
    """p_data = N(data_mu, data_sigma^2), p_g = N(mu, sigma^2): D*, V(D*, G) and JS.

    Goodfellow et al. 2014, Thm. 1: V(D*, G) = -log 4 + 2 JS(p_data || p_g) (JS in nats), so the
    game's minimum -log 4 is reached exactly when p_g = p_data and then D* = 1/2 everywhere.
    """
    p_data = gaussian_pdf(x, data_mu, data_sigma)
    p_g = gaussian_pdf(x, mu, sigma)
    d_star = optimal_discriminator(p_data, p_g)
    js_bits = kl_js(p_data, p_g)["js"]
    js_nats = js_bits * np.log(2.0)  # the identity needs JS in the unit of V (natural logs)
    return {"x": x, "p_data": p_data, "p_g": p_g, "d_star": d_star,
            "v": value_function(x, p_data, p_g, d_star), "js_bits": js_bits, "js_nats": js_nats,
            "v_from_js": -LOG4 + 2.0 * js_nats}


GENERATOR_COSTS = {"minimax": g_minimax, "nonsaturating": g_nonsaturating, "maxlik": g_maxlik}


def generator_cost_curves(d: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """For each generator cost of gan_core.losses, its value and slope as functions of D(G(z)).

    Evaluated with the real loss functions on one sample per value (batch of size 1 each), so the
    curves are exactly what the trainers optimise. Slopes: dJ/dl (w.r.t. the logit, what flows
    back into G) -- minimax: -D, non-saturating: -(1 - D), max-likelihood: -D / (1 - D).
    """
    logits = torch.logit(torch.as_tensor(d, dtype=torch.float64)).requires_grad_(True)
    out = {}
    for name, fn in GENERATOR_COSTS.items():
        per = torch.stack([fn(l.view(1)) for l in logits])  # (n,): each a mean over one sample
        (grad,) = torch.autograd.grad(per.sum(), logits)
        out[name] = {"cost": per.detach().numpy(), "dlogit": grad.numpy()}
    return out


def score_losses(s: np.ndarray) -> dict[str, np.ndarray]:
    """LSGAN and hinge as functions of D's raw score s (one sample each), from gan_core.losses.
    Keys: lsgan_g, hinge_d_real, hinge_d_fake, hinge_g (WGAN's G loss is -s like hinge_g)."""
    st = torch.as_tensor(s, dtype=torch.float64)
    far = torch.full((1,), -10.0, dtype=torch.float64)  # a fake far beyond the margin: adds 0
    return {
        "lsgan_g": np.array([g_lsgan(v.view(1)).item() for v in st]),
        "hinge_d_real": np.array([d_hinge(v.view(1), far).item() for v in st]),
        "hinge_d_fake": np.array([d_hinge(-far, v.view(1)).item() for v in st]),
        "hinge_g": np.array([g_hinge(v.view(1)).item() for v in st]),
    }


def earth_mover_vs_js(shift: float, *, width: float = 0.15, shifts: np.ndarray | None = None,
                      x: np.ndarray = GRID) -> dict:
    """Two narrow bumps, p_data at 0 and p_g at `shift`: JS and W1 now and along a range of shifts.

    Arjovsky et al. 2017, Example 1: once the supports stop overlapping, JS is stuck at its
    maximum (1 bit) whatever the distance -- no gradient tells G which way to go -- while the
    earth-mover distance W1 keeps growing with |shift|.
    """
    shifts = np.linspace(-4.0, 4.0, 81) if shifts is None else shifts
    p = gaussian_pdf(x, 0.0, width)

    def both(s: float) -> tuple[float, float]:
        q = gaussian_pdf(x, s, width)
        return kl_js(p, q)["js"], wasserstein_1d(p, q, x)

    curve = np.array([both(s) for s in shifts])
    js, w1 = both(shift)
    return {"x": x, "p_data": p, "p_g": gaussian_pdf(x, shift, width), "js": js, "w1": w1,
            "shifts": shifts, "js_curve": curve[:, 0], "w1_curve": curve[:, 1]}


def equilibrium_levels() -> dict[str, float]:
    """Loss values when D cannot tell real from fake (D = 1/2 everywhere), for the BCE family:
    D loss (with the 1/2 factors of gan_core.losses.d_bce) = log 2, non-saturating G loss = log 2,
    minimax G loss = -log 2. Training curves level off around these instead of falling to 0."""
    log2 = float(np.log(2.0))
    return {"d_loss": log2, "g_nonsaturating": log2, "g_minimax": -log2}
