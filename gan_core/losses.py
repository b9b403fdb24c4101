"""Every GAN objective used in the app, as pure functions on discriminator *logits*.

Notation: ``l = D_logit(x)`` is the raw score of the discriminator and ``D(x) = sigma(l)`` the
probability "real". We never apply a Sigmoid and then take a log (``Sigmoid`` + ``BCELoss``):
for a confident D the sigmoid rounds to exactly 0 or 1 in float32 and the log becomes -inf.
Instead we use the softplus identities, exact for every finite logit::

    log D       = log sigma(l)      = -softplus(-l)
    log (1 - D) = log sigma(-l)     = -softplus(l)
    D / (1 - D) = exp(l)                                 (the odds of "real")

All functions return a scalar tensor to *minimise*; batch means are used throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

# exp(20) ~ 4.9e8: beyond this logit the maximum-likelihood cost would overflow towards inf in
# float32 (exp(89) = inf) and one sample would dominate the batch; see g_maxlik.
MAXLIK_LOGIT_CLAMP = 20.0


# ---------------------------------------------------------------- original GAN (BCE family)
def d_bce(real_logits: Tensor, fake_logits: Tensor, real_target: float = 1.0) -> Tensor:
    """Discriminator cross-entropy of Goodfellow et al. 2014 ("Generative Adversarial Nets").

    J(D) = -1/2 E_x[ t log D(x) + (1 - t) log(1 - D(x)) ] - 1/2 E_z[ log(1 - D(G(z))) ]

    ``t = real_target``: 1.0 is the plain loss; 0.9 is *one-sided* label smoothing
    (Salimans et al. 2016, "Improved Techniques for Training GANs"): only the real label is
    softened, fake targets stay 0. The 1/2 factors follow Goodfellow's 2016 NIPS tutorial and
    equal one BCE over the concatenated real+fake batch (as the course notebook computes it),
    so a D that cannot tell real from fake (D = 1/2 everywhere) scores log 2 ~ 0.693.
    ``real_target`` may be passed by position or by keyword.
    """
    real = F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, real_target))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return 0.5 * (real + fake)


def g_minimax(fake_logits: Tensor) -> Tensor:
    """Saturating ("minimax") generator cost, Goodfellow et al. 2014.

    J(G) = E_z[ log(1 - D(G(z))) ] = -E_z[ softplus(l) ]

    G minimises the same value D maximises (a zero-sum game). When D confidently rejects the
    fakes (l << 0, D(G(z)) ~ 0) its gradient dJ/dl = -sigma(l) vanishes: G learns nothing
    early in training. Goodfellow 2016 NIPS tutorial, section 3.2.1.
    """
    return -F.softplus(fake_logits).mean()


def g_nonsaturating(fake_logits: Tensor) -> Tensor:
    """Non-saturating generator cost (the "-log D trick"), Goodfellow et al. 2014.

    J(G) = -E_z[ log D(G(z)) ] = E_z[ softplus(-l) ]

    Same fixed point as the minimax cost, but dJ/dl = -(1 - sigma(l)) ~ -1 when D rejects the
    fakes, so G gets a strong gradient exactly when it is losing. Goodfellow 2016 NIPS
    tutorial, section 3.2.2; the default of most GAN code.
    """
    return F.softplus(-fake_logits).mean()


def g_maxlik(fake_logits: Tensor) -> Tensor:
    """Maximum-likelihood generator cost, Goodfellow 2016 NIPS tutorial, section 3.2.3.

    J(G) = -E_z[ exp(sigma^-1(D(G(z)))) ] = -E_z[ exp(l) ] = -E_z[ D / (1 - D) ]

    With an optimal D its expected gradient equals that of maximum likelihood (minimising
    KL(p_data || p_G)); in practice its gradient is tiny for rejected fakes (like minimax)
    and explodes for fakes D believes. The tutorial's factor 1/2 is dropped. Logits are
    clamped at ``MAXLIK_LOGIT_CLAMP`` (= 20) before exp so the cost stays finite; beyond the
    clamp a sample's gradient is zero (it already fools D with odds > 4.9e8).
    """
    return -torch.exp(fake_logits.clamp(max=MAXLIK_LOGIT_CLAMP)).mean()


# ---------------------------------------------------------------- least squares (LSGAN)
def d_lsgan(real_logits: Tensor, fake_logits: Tensor, real_target: float = 1.0) -> Tensor:
    """Least-squares discriminator loss, Mao et al. 2017 ("Least Squares GANs"), a=0, b=1.

    J(D) = 1/2 E_x[ (l_real - b)^2 ] + 1/2 E_z[ (l_fake - a)^2 ]

    The raw score l (no sigmoid) is regressed to b for real and a for fake.
    ``real_target`` replaces b (1.0 by default; < 1 acts as one-sided smoothing).
    """
    return 0.5 * ((real_logits - real_target) ** 2).mean() + 0.5 * (fake_logits**2).mean()


def g_lsgan(fake_logits: Tensor) -> Tensor:
    """Least-squares generator loss, Mao et al. 2017, with c = 1.

    J(G) = 1/2 E_z[ (l_fake - c)^2 ]

    The quadratic keeps pulling fakes that sit on the correct side of the boundary but far
    from the data, instead of saturating like the sigmoid cross-entropy.
    """
    return 0.5 * ((fake_logits - 1.0) ** 2).mean()


# ---------------------------------------------------------------- Wasserstein (WGAN-GP)
def d_wgan(real_logits: Tensor, fake_logits: Tensor, real_target: float = 1.0) -> Tensor:
    """Wasserstein critic loss, Arjovsky et al. 2017 / Gulrajani et al. 2017.

    J(D) = E_z[ f(G(z)) ] - E_x[ f(x) ]

    f is the critic (unbounded score, not a probability). Minimising J(D) estimates the
    Earth-Mover distance when f is 1-Lipschitz; add ``gp_weight * gradient_penalty(...)``
    (lambda = 10 in the paper) to enforce that. ``real_target`` is ignored (no labels here).
    """
    return fake_logits.mean() - real_logits.mean()


def g_wgan(fake_logits: Tensor) -> Tensor:
    """Wasserstein generator loss, Arjovsky et al. 2017: J(G) = -E_z[ f(G(z)) ]."""
    return -fake_logits.mean()


def gradient_penalty(
    critic: Callable[..., Tensor],
    real: Tensor,
    fake: Tensor,
    *,
    y: Tensor | None = None,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Gradient penalty of WGAN-GP, Gulrajani et al. 2017 ("Improved Training of Wasserstein GANs").

    GP = E_{x_hat}[ (||grad_{x_hat} f(x_hat)||_2 - 1)^2 ],  x_hat = eps x + (1 - eps) G(z),
    eps ~ U[0, 1] drawn once per sample (from ``generator`` if given).

    Returns the penalty *without* the weight lambda. ``create_graph=True`` keeps the gradient
    differentiable so the penalty can be back-propagated into the critic's weights. ``y``
    (class labels) is passed on to conditional critics as ``critic(x_hat, y)``.
    """
    real, fake = real.detach(), fake.detach()
    b = real.shape[0]
    eps_shape = (b,) + (1,) * (real.dim() - 1)  # (B, 1, 1, 1): one mix ratio per image
    eps = torch.rand(eps_shape, device=real.device, dtype=real.dtype, generator=generator)
    x_hat = (eps * real + (1.0 - eps) * fake).requires_grad_(True)
    scores = critic(x_hat) if y is None else critic(x_hat, y)  # (B,)
    (grads,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    # +1e-12 keeps sqrt differentiable where a gradient is exactly zero
    norms = torch.sqrt(grads.flatten(1).pow(2).sum(dim=1) + 1e-12)  # (B,)
    return ((norms - 1.0) ** 2).mean()


def r1_penalty(real_logits: Tensor, real_inputs: Tensor) -> Tensor:
    """R1 regulariser (Mescheder, Geiger & Nowozin 2018, "Which training methods for GANs do
    actually converge?"): the mean squared norm of the gradient of D's logit at the real images,

        R1 = E_x[ ||grad_x D_logit(x)||^2 ]      (D's loss adds gamma / 2 * R1)

    Penalising D's slope on the data keeps D from answering real images with a cliff, which damps
    the back-and-forth of the game near its equilibrium. ``real_inputs`` (B, ...) is the tensor D
    was called on and must require grad; ``create_graph=True`` lets the penalty train D's weights.
    """
    (grads,) = torch.autograd.grad(real_logits.sum(), real_inputs, create_graph=True)
    return grads.flatten(1).pow(2).sum(dim=1).mean()


# ---------------------------------------------------------------- hinge
def d_hinge(real_logits: Tensor, fake_logits: Tensor, real_target: float = 1.0) -> Tensor:
    """Hinge discriminator loss, Lim & Ye 2017 ("Geometric GAN"); Miyato et al. 2018 (SN-GAN).

    J(D) = E_x[ max(0, 1 - l_real) ] + E_z[ max(0, 1 + l_fake) ]

    Like an SVM margin: samples already beyond the margin (l_real > 1, l_fake < -1) give
    no gradient. ``real_target`` is ignored.
    """
    return F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()


def g_hinge(fake_logits: Tensor) -> Tensor:
    """Hinge generator loss, Lim & Ye 2017 / Miyato et al. 2018: J(G) = -E_z[ l_fake ]."""
    return -fake_logits.mean()


# ---------------------------------------------------------------- registry
@dataclass(frozen=True)
class LossSpec:
    """A pair of objectives. ``d_loss(real_logits, fake_logits, real_target)``, ``g_loss(fake_logits)``;
    ``gradient_penalty`` says whether the trainer must add ``gp_weight * gradient_penalty(...)`` to D."""

    d_loss: Callable[..., Tensor]
    g_loss: Callable[[Tensor], Tensor]
    gradient_penalty: bool = False


LOSSES: dict[str, LossSpec] = {
    "minimax": LossSpec(d_loss=d_bce, g_loss=g_minimax),
    "nonsaturating": LossSpec(d_loss=d_bce, g_loss=g_nonsaturating),
    "maxlik": LossSpec(d_loss=d_bce, g_loss=g_maxlik),
    "lsgan": LossSpec(d_loss=d_lsgan, g_loss=g_lsgan),
    "wgan-gp": LossSpec(d_loss=d_wgan, g_loss=g_wgan, gradient_penalty=True),
    "hinge": LossSpec(d_loss=d_hinge, g_loss=g_hinge),
}


def get_loss(name: str) -> LossSpec:
    """Look up a loss by key; an unknown key raises KeyError listing the valid keys."""
    try:
        return LOSSES[name]
    except KeyError:
        raise KeyError(f"unknown loss {name!r}; valid keys: {', '.join(sorted(LOSSES))}") from None


# ---------------------------------------------------------------- trajectories (Social GAN)
def variety_loss(pred_k: Tensor, truth: Tensor, *, seq_start_end: Tensor | None = None) -> Tensor:
    """Variety loss of Social GAN, Gupta et al. 2018 ("Social GAN", sec. 3.5, eq. 5).

    L_variety = min_k || Y_i - Yhat_i^(k) ||_2

    G draws k samples per pedestrian and only the one closest to the truth is penalised, so the
    other samples are free to spread over other plausible futures (a plain L2 loss over all k
    would pull every sample to the mean path). As in the official code the L2 error is squared
    and averaged over steps: e_i^(k) = 1/T sum_t ||Yhat_i^(k),t - Y_i^t||^2, and the loss is the
    mean over the N pedestrians of min_k e_i^(k). Gradients flow only into each pedestrian's best
    sample. pred_k (K, N, T, 2) and truth (N, T, 2): positions or displacements (the official
    code uses displacements). With ``seq_start_end`` (W, 2) the min is taken per scene window over
    the summed errors of its pedestrians (the official training code's choice), still divided by N.
    """
    err = ((pred_k - truth) ** 2).sum(dim=-1).mean(dim=-1)  # (K, N): e_i^(k)
    if seq_start_end is None:
        return err.min(dim=0).values.mean()
    sse = seq_start_end.long()
    window = torch.repeat_interleave(torch.arange(len(sse), device=err.device), sse[:, 1] - sse[:, 0])
    per_window = err.new_zeros(err.shape[0], len(sse)).index_add(1, window, err)  # (K, W)
    return per_window.min(dim=0).values.sum() / err.shape[1]
