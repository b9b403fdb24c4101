"""Walking through the noise space z of a generator: interpolation and vector arithmetic.

Everything works on torch tensors of latent vectors, shape (D,) or (B, D).

- ``lerp``: straight line a + t (b - a). Its midpoint of two independent N(0, I) draws has norm
  ~ sqrt(D / 2) instead of ~ sqrt(D): it cuts through the low-density middle of the Gaussian.
- ``slerp``: the great-circle walk (Shoemake 1985; White 2016, "Sampling Generative Networks"),
  which keeps the norm near the shell where Gaussian noise actually lives.
- ``bilinear_square``: a grid spanned by four corners (the DCGAN paper's interpolation figures).
- ``concept_vector`` / ``arithmetic``: Radford et al. 2016 (DCGAN, section 6.3): average z over
  >= 3 samples per concept (one sample is too noisy), then A - B + C.
"""
from __future__ import annotations

import torch
from torch import Tensor

MIN_CONCEPT_SAMPLES = 3  # the DCGAN paper averages three exemplars per concept


def _steps(t: float | Tensor | list[float], like: Tensor) -> Tensor:
    """t as a column (T, 1) for broadcasting against (D,) vectors, or a 0-d tensor."""
    t = torch.as_tensor(t, dtype=like.dtype, device=like.device)
    return t.reshape(-1, 1) if t.dim() == 1 else t


def lerp(a: Tensor, b: Tensor, t: float | Tensor | list[float]) -> Tensor:
    """Linear interpolation a + t (b - a); a, b (D,), t scalar -> (D,) or t (T,) -> (T, D)."""
    tt = _steps(t, a)
    return a + tt * (b - a)


def slerp(a: Tensor, b: Tensor, t: float | Tensor | list[float], *, eps: float = 1e-7) -> Tensor:
    """Spherical interpolation along the great circle from a to b.

    slerp(a, b; t) = sin((1-t) w) / sin w * a + sin(t w) / sin w * b,  cos w = <a, b> / (|a| |b|).
    When a and b have different norms the norm is interpolated linearly on top, so both
    endpoints are reproduced exactly. Nearly parallel vectors fall back to lerp.
    a, b (D,), t scalar -> (D,) or t (T,) -> (T, D).
    """
    tt = _steps(t, a)
    na, nb = a.norm(), b.norm()
    ua, ub = a / na.clamp_min(eps), b / nb.clamp_min(eps)
    omega = torch.arccos((ua * ub).sum().clamp(-1.0, 1.0))  # angle between a and b
    if float(omega.sin().abs()) < 1e-4:  # parallel (or anti-parallel: no unique circle)
        return lerp(a, b, t)
    so = omega.sin()
    direction = (torch.sin((1 - tt) * omega) / so) * ua + (torch.sin(tt * omega) / so) * ub  # unit norm
    return direction * (na + tt * (nb - na))


INTERPOLATORS = {"lerp": lerp, "slerp": slerp}


def walk(a: Tensor, b: Tensor, n: int, *, method: str = "slerp") -> Tensor:
    """n evenly spaced points from a to b inclusive: (n, D)."""
    if n < 2:
        raise ValueError(f"a walk needs at least 2 points, got {n}")
    if method not in INTERPOLATORS:
        raise KeyError(f"unknown interpolation {method!r}; valid: {', '.join(INTERPOLATORS)}")
    return INTERPOLATORS[method](a, b, torch.linspace(0.0, 1.0, n, dtype=a.dtype))


def bilinear_square(corners: Tensor, n: int, *, method: str = "slerp") -> Tensor:
    """An n x n grid spanned by four corners (top-left, top-right, bottom-left, bottom-right).

    corners (4, D) -> (n * n, D), row-major. Each row walks between the left and right edges,
    which themselves walk top to bottom; with method="lerp" this is plain bilinear interpolation.
    """
    if corners.shape[0] != 4:
        raise ValueError(f"need 4 corners, got {corners.shape[0]}")
    left = walk(corners[0], corners[2], n, method=method)  # (n, D) down the left edge
    right = walk(corners[1], corners[3], n, method=method)  # (n, D) down the right edge
    return torch.cat([walk(left[i], right[i], n, method=method) for i in range(n)])


def concept_vector(zs: Tensor) -> Tensor:
    """Mean of (k, D) latent vectors, k >= 3 -> (D,): the DCGAN paper's averaged exemplar."""
    if zs.dim() != 2 or zs.shape[0] < MIN_CONCEPT_SAMPLES:
        raise ValueError(f"a concept needs at least {MIN_CONCEPT_SAMPLES} samples (got shape {tuple(zs.shape)})")
    return zs.mean(dim=0)


def arithmetic(a: Tensor, b: Tensor, c: Tensor) -> Tensor:
    """A - B + C on concept vectors (D,) (e.g. smiling woman - neutral woman + neutral man)."""
    return a - b + c


def neighbourhood(center: Tensor, n: int, *, sigma: float = 0.25, seed: int = 0) -> Tensor:
    """(n, D): center itself first, then n - 1 points center + sigma * N(0, I) (the paper's
    grid of results "with small noise around the answer")."""
    gen = torch.Generator().manual_seed(seed)
    noise = torch.randn(n - 1, center.shape[-1], generator=gen, dtype=center.dtype) * sigma
    return torch.cat([center[None], center[None] + noise.to(center.device)])
