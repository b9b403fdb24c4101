"""Why pixel losses blur: the best single guess for a pixel whose true value has several modes.

A pixel of the answer is ambiguous ("n kinds of real grass": here a stroke, there background). Its
true brightness v follows a distribution p(v) on [0, 1]; a network that must give ONE value c for
that pixel and is trained with
  MSE  minimises E (v - c)^2  -> c* = E[v], the MEAN;
  MAE  minimises E |v - c|    -> c* = any median: P(v <= c*) >= 1/2 and P(v >= c*) >= 1/2
       (the course notes say "the mean" here: that is MSE's answer, not MAE's).
Both can land between the modes, on a value no real image has (grey where real pixels are black
or white): the blur. With two balanced modes the mean sits in the middle and every value between
the modes is a median (a flat minimum); once one mode holds more than half the mass, the median
sits inside it. An adversarial loss asks something else: does c look like a sample of p? D rejects
values where p is ~0, so G must commit to one mode (which one can depend on its input or noise).
Everything here is on a grid of K bins, v_k = k / (K - 1).
"""

from __future__ import annotations

import numpy as np

K_DEFAULT = 64
PRESETS = ("two_equal", "two_unequal", "three", "one")
_PRESET_MODES: dict[str, tuple[tuple[float, float], ...]] = {  # (centre, mass)
    "two_equal": ((0.12, 0.5), (0.88, 0.5)),  # background or stroke, as often
    "two_unequal": ((0.12, 0.7), (0.88, 0.3)),  # mostly background
    "three": ((0.1, 0.4), (0.5, 0.2), (0.9, 0.4)),
    "one": ((0.6, 1.0),),
}


def grid(k: int = K_DEFAULT) -> np.ndarray:
    if not 2 <= k <= 4096:
        raise ValueError(f"the grid needs 2..4096 bins, got {k}")
    return np.linspace(0.0, 1.0, k)


def normalise(weights: np.ndarray) -> np.ndarray:
    """Non-negative weights -> probabilities; refuses NaN, negatives and all-zero input."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or len(w) < 2:
        raise ValueError(f"expected a 1-D array of at least 2 weights, got shape {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and non-negative")
    total = w.sum()
    if total <= 0:
        raise ValueError("the distribution is empty: give some bin a positive weight")
    return w / total


def preset(name: str, k: int = K_DEFAULT, *, width: float = 0.035) -> np.ndarray:
    """Probabilities on ``grid(k)``: narrow Gaussian bumps at the preset's modes."""
    if name not in _PRESET_MODES:
        raise KeyError(f"unknown preset {name!r}; valid: {', '.join(PRESETS)}")
    v = grid(k)
    w = np.zeros(k)
    for centre, mass in _PRESET_MODES[name]:
        bump = np.exp(-0.5 * ((v - centre) / width) ** 2)
        w += mass * bump / bump.sum()
    return normalise(w)


def mean(p: np.ndarray) -> float:
    """argmin_c E (v - c)^2."""
    p = normalise(p)
    return float(p @ grid(len(p)))


def median_interval(p: np.ndarray) -> tuple[float, float]:
    """[lo, hi]: every c in it minimises E |v - c| (lo == hi unless the CDF sits at exactly 1/2)."""
    p = normalise(p)
    v, cdf = grid(len(p)), np.cumsum(p)
    eps = 1e-12
    lo = int(np.searchsorted(cdf, 0.5 - eps))  # first bin with P(v <= v_k) >= 1/2
    hi = lo
    if abs(cdf[lo] - 0.5) <= eps:  # exactly half below: the minimum is flat up to the next mass
        hi = lo + 1 + int(np.argmax(p[lo + 1 :] > eps)) if lo + 1 < len(p) else lo
    return float(v[lo]), float(v[hi])


def median(p: np.ndarray) -> float:
    lo, hi = median_interval(p)
    return (lo + hi) / 2


def expected_losses(p: np.ndarray, c: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """{"c", "mse", "mae"}: E (v - c)^2 and E |v - c| for every candidate guess c (default: the grid)."""
    p = normalise(p)
    v = grid(len(p))
    c = v if c is None else np.asarray(c, dtype=np.float64)
    diff = v[None, :] - c[:, None]  # (C, K)
    return {"c": c, "mse": (diff**2) @ p, "mae": np.abs(diff) @ p}


def realism(p: np.ndarray, c: float) -> float:
    """How real a guess c looks: p at c relative to p's highest bin (0 = no real pixel is like it)."""
    p = normalise(p)
    v = grid(len(p))
    return float(np.interp(c, v, p) / p.max())


def adversarial_pick(p: np.ndarray, *, seed: int = 0) -> float:
    """One value a G trained against a D may commit to: a draw from p (it lands in a mode)."""
    p = normalise(p)
    return float(np.random.default_rng(seed).choice(grid(len(p)), p=p))


def from_drawing(ink: np.ndarray, k: int = K_DEFAULT) -> np.ndarray:
    """Weights from a drawn curve: ink (H, W) in [0, 1] (1 = ink), x = brightness, height = how often.

    Each of the k column bands gets the height of its highest inked pixel (0 where nothing is drawn);
    raises ValueError when nothing at all is drawn."""
    a = np.asarray(ink, dtype=np.float64)
    if a.ndim != 2 or min(a.shape) < 2:
        raise ValueError(f"expected a 2-D drawing, got shape {a.shape}")
    h, w = a.shape
    inked = a > 0.3
    rows = np.where(inked.any(axis=0), h - np.argmax(inked, axis=0), 0)  # (W,) height of the top ink
    edges = np.linspace(0, w, k + 1).round().astype(int)
    heights = np.array([rows[edges[i] : max(edges[i + 1], edges[i] + 1)].max() for i in range(k)], float)
    return normalise(heights)
