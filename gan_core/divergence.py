"""Distances between two distributions, as used by the Learn pages.

2-D (playground): both sample sets are binned on the same B x B histogram over [-box, box]^2.
Each histogram gets a pseudo-count `alpha` added to every cell (additive / Laplace smoothing),
then is normalised to a probability vector p (real) and q (fake). Then

    KL(p || q) = sum_i p_i log(p_i / q_i)          (in bits, log base 2)
    JS(p, q)   = 1/2 KL(p || m) + 1/2 KL(q || m),  m = (p + q) / 2,   0 <= JS <= 1 bit

Smoothing keeps KL finite where the fakes leave a cell empty; it biases the estimate a little
towards 0 (two disjoint sets give JS slightly below 1 bit, see tests). Binning needs no density
model and costs O(N): fine for 2-D, hopeless in high dimensions (why GANs do not use it).

1-D (objective lab): the same formulas on densities sampled on a grid, and the earth-mover
(Wasserstein-1) distance W1 = integral |F_p(x) - F_q(x)| dx from the two CDFs.
"""
from __future__ import annotations

import numpy as np

LOG2 = np.log(2.0)


def _kl_bits(p: np.ndarray, q: np.ndarray) -> float:
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])) / LOG2)


def kl_js(p: np.ndarray, q: np.ndarray) -> dict[str, float]:
    """KL(p||q), KL(q||p) and JS(p, q) in bits for two non-negative weight arrays of equal shape.

    The arrays are normalised here; zero cells are allowed (q must be > 0 where p > 0 for a
    finite KL(p||q); JS is always finite).
    """
    p = np.asarray(p, dtype=np.float64).ravel()
    q = np.asarray(q, dtype=np.float64).ravel()
    p, q = p / p.sum(), q / q.sum()
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore"):
        kl_pq = _kl_bits(p, q) if np.all(q[p > 0] > 0) else float("inf")
        kl_qp = _kl_bits(q, p) if np.all(p[q > 0] > 0) else float("inf")
    js = 0.5 * _kl_bits(p, m) + 0.5 * _kl_bits(q, m)
    return {"kl_pq": kl_pq, "kl_qp": kl_qp, "js": max(0.0, min(1.0, js))}


def histogram2d(points: np.ndarray, *, bins: int, box: float) -> np.ndarray:
    """Counts of (N, 2) points on a bins x bins grid over [-box, box]^2 (outside points are dropped)."""
    pts = np.asarray(points, dtype=np.float64)
    h, _, _ = np.histogram2d(pts[:, 0], pts[:, 1], bins=bins, range=[[-box, box], [-box, box]])
    return h


def sample_divergence(real: np.ndarray, fake: np.ndarray, *, bins: int = 40, box: float = 3.0,
                      alpha: float = 0.01) -> dict[str, float]:
    """Histogram estimate of KL(real||fake), KL(fake||real) and JS in bits (see module docstring).

    alpha: pseudo-count per cell. With N = 4096 points and 1600 cells, alpha = 0.01 adds 16
    pseudo-points in total, so it barely moves well-populated histograms.
    """
    p = histogram2d(real, bins=bins, box=box) + alpha
    q = histogram2d(fake, bins=bins, box=box) + alpha
    return kl_js(p, q)


# ------------------------------------------------------------------------------ 1-D helpers
def gaussian_pdf(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) (Goodfellow et al. 2014, Prop. 1).

    Where both densities are 0 the formula is 0/0 and any D is optimal; we return 1/2 there.
    """
    p_data = np.asarray(p_data, dtype=np.float64)
    p_g = np.asarray(p_g, dtype=np.float64)
    total = p_data + p_g
    out = np.full_like(total, 0.5)
    np.divide(p_data, total, out=out, where=total > 0)
    return out


def wasserstein_1d(p: np.ndarray, q: np.ndarray, x: np.ndarray) -> float:
    """Earth-mover distance between two densities sampled on the evenly spaced grid x (1-D).

    W1 = integral |F_p - F_q| dx: how much mass must travel how far to turn one pile into the other.
    """
    dx = float(x[1] - x[0])
    fp = np.cumsum(p) / np.sum(p)
    fq = np.cumsum(q) / np.sum(q)
    return float(np.sum(np.abs(fp - fq)) * dx)
