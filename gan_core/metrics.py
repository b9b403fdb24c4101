"""Offline GAN quality metrics in the feature space of the shipped MNIST classifier.

- classifier-FID: Frechet distance between Gaussian fits N(mu, S) of penultimate features
      d^2 = |mu_r - mu_g|^2 + tr(S_r + S_g - 2 (S_r S_g)^{1/2})          (Heusel et al. 2017)
  Same formula as FID, but features come from `checkpoints/mnist_classifier` (no Inception
  weights offline), so values are comparable only with each other, not with published FIDs.
  FID is biased upwards for small samples: compare against `real_floor_fid` (two halves of
  the real data), the best a generator can score at that sample size.
- mode coverage: histogram of predicted classes; a class counts as covered with >= 5% share
  (a collapsed GAN draws one or two digits).
- confidence: mean max-softmax; blurry or ambiguous digits score low.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from gan_core.checkpoints import REPO_ROOT, load

CLASSIFIER_STEM = REPO_ROOT / "checkpoints" / "mnist_classifier"
MIN_SHARE = 0.05  # a class is "covered" when at least 5% of samples are predicted as it
_real_cache: dict[tuple, tuple[np.ndarray, np.ndarray, int]] = {}
_real_lock = threading.Lock()


@functools.lru_cache(maxsize=4)
def _cached_classifier(stem: str) -> nn.Module:
    ckpt = load(stem)
    if "C" not in ckpt.modules:
        raise ValueError(f"{stem}: not a classifier checkpoint (family {ckpt.family!r})")
    return ckpt.modules["C"].eval().requires_grad_(False)  # shared: never train it


def load_classifier(path: str | Path | None = None) -> nn.Module:
    """The shipped classifier (eval mode, frozen, cached per path). Shared by every caller."""
    return _cached_classifier(str(Path(path) if path is not None else CLASSIFIER_STEM))


def to_input(images: Any) -> torch.Tensor:
    """uint8 (N, 28, 28) in 0..255 (numpy or tensor) or float in [-1, 1] with shape (N, 28, 28)
    or (N, 1, 28, 28) -> float32 CPU tensor (N, 1, 28, 28) in [-1, 1]."""
    # torch.tensor copies: cached data arrays are read-only and must stay untouched
    x = images.detach().to("cpu") if isinstance(images, torch.Tensor) else torch.tensor(np.asarray(images))
    x = x.float() / 127.5 - 1.0 if x.dtype == torch.uint8 else x.float().clamp(-1.0, 1.0)
    return x.unsqueeze(1) if x.dim() == 3 else x


@torch.no_grad()
def classifier_features(
    images: Any, *, classifier: nn.Module | None = None, batch_size: int = 500
) -> tuple[np.ndarray, np.ndarray]:
    """(probs (N, 10) float64, feats (N, feat_dim) float64) for images as accepted by `to_input`."""
    C = classifier if classifier is not None else load_classifier()
    x = to_input(images)
    probs, feats = [], []
    for i in range(0, len(x), batch_size):
        logits, f = C.forward_both(x[i : i + batch_size])
        probs.append(torch.softmax(logits.double(), dim=1))
        feats.append(f.double())
    if not probs:
        raise ValueError("classifier_features() needs at least one image")
    return torch.cat(probs).numpy(), torch.cat(feats).numpy()


def gaussian_stats(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mu (F,), covariance (F, F)) in float64; needs >= 2 samples."""
    f = np.asarray(feats, dtype=np.float64)
    if f.ndim != 2 or len(f) < 2:
        raise ValueError(f"need a (N>=2, F) feature array, got shape {f.shape}")
    return f.mean(axis=0), np.cov(f, rowvar=False)


def _psd_sqrt(a: np.ndarray) -> np.ndarray:
    """Symmetric PSD square root via eigendecomposition; tiny negative eigenvalues (round-off) -> 0."""
    w, v = np.linalg.eigh((a + a.T) / 2)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_from_stats(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray) -> float:
    """d^2 = |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^{1/2}).

    tr((S1 S2)^{1/2}) = tr((S1^{1/2} S2 S1^{1/2})^{1/2}): S1 S2 is not symmetric, but the product
    on the right is symmetric PSD with the same eigenvalues, so a stable `eigh` suffices (no scipy
    sqrtm, no complex round-off)."""
    r = _psd_sqrt(s1)
    m = r @ s2 @ r
    w = np.linalg.eigvalsh((m + m.T) / 2)
    tr_covmean = float(np.sqrt(np.clip(w, 0.0, None)).sum())
    diff = np.asarray(mu1, dtype=np.float64) - np.asarray(mu2, dtype=np.float64)
    d2 = float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * tr_covmean)
    return max(d2, 0.0)


def frechet_distance(feats_a: np.ndarray, feats_b: np.ndarray) -> float:
    """Frechet distance between Gaussian fits of two (N, F) feature sets (the 'FID' value)."""
    return frechet_from_stats(*gaussian_stats(feats_a), *gaussian_stats(feats_b))


def class_histogram(probs: np.ndarray) -> np.ndarray:
    """Fraction of samples predicted as each class (argmax), shape (n_classes,), sums to 1."""
    p = np.asarray(probs)
    counts = np.bincount(p.argmax(axis=1), minlength=p.shape[1])
    return counts / max(len(p), 1)


def mode_coverage(hist: np.ndarray, *, min_share: float = MIN_SHARE) -> int:
    """How many classes hold at least `min_share` of the samples (10 = all digits drawn)."""
    return int((np.asarray(hist) >= min_share).sum())


def mean_confidence(probs: np.ndarray) -> float:
    """Mean of max softmax probability: ~1 for crisp digits, ~0.1 for noise."""
    return float(np.asarray(probs).max(axis=1).mean())


def accuracy(images: Any, labels: Any, *, classifier: nn.Module | None = None) -> float:
    probs, _ = classifier_features(images, classifier=classifier)
    return float((probs.argmax(axis=1) == np.asarray(labels)).mean())


def _real_stats(real: Any, C: nn.Module, n_real: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    """Feature statistics of the real images, cached per (image bytes, classifier, n_real)."""
    images = np.ascontiguousarray(real.images)
    key = (hashlib.sha1(images.data).hexdigest(), images.shape, id(C), n_real)
    with _real_lock:
        if key in _real_cache:
            return _real_cache[key]
    if n_real is not None and len(images) > n_real:  # seeded subset keeps large sets fast
        images = images[np.random.default_rng(0).choice(len(images), n_real, replace=False)]
    _, feats = classifier_features(images, classifier=C)
    stats = (*gaussian_stats(feats), len(feats))
    with _real_lock:
        if len(_real_cache) > 8:
            _real_cache.clear()
        _real_cache[key] = stats
    return stats


@torch.no_grad()
def generate(
    G: nn.Module,
    *,
    n: int,
    z_dim: int,
    seed: int = 0,
    labels: np.ndarray | None = None,
    batch_size: int = 500,
    z: torch.Tensor | None = None,
) -> torch.Tensor:
    """n images (n, 1, 28, 28) on CPU from G(z[, y]) in eval mode; G's train/eval mode is restored.
    z: the latents (n, z_dim), drawn from G's training prior by the caller; None: N(0, I) from ``seed``."""
    device = next(G.parameters()).device
    if z is None:
        z = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))  # same noise for the same seed
    elif tuple(z.shape) != (n, z_dim):
        raise ValueError(f"z must be ({n}, {z_dim}), got {tuple(z.shape)}")
    y = None if labels is None else torch.as_tensor(np.asarray(labels), dtype=torch.long)
    was_training = G.training
    G.eval()
    try:
        out = []
        for i in range(0, n, batch_size):
            zb = z[i : i + batch_size].to(device)
            xb = G(zb) if y is None else G(zb, y[i : i + batch_size].to(device))
            out.append(xb.detach().float().to("cpu").reshape(len(zb), 1, 28, 28))
        return torch.cat(out).clamp(-1.0, 1.0)
    finally:
        G.train(was_training)


def evaluate_generator(
    G: nn.Module,
    *,
    n: int = 2000,
    seed: int = 0,
    z_dim: int,
    real: Any,
    conditional: bool = False,
    labels: np.ndarray | None = None,
    n_real: int | None = 10_000,
    classifier: nn.Module | None = None,
    z: torch.Tensor | None = None,
) -> dict:
    """Sample n images from G (eval mode, no_grad, batches of 500) and score them against `real`
    (an ImageData). Conditional generators get `labels` or, if `conditional`, labels cycling 0..9.
    z: the latents (n, z_dim) from G's training prior (``Family.draw_z``); None: N(0, I) from ``seed``.

    Returns {"fid", "coverage", "class_hist" (list of fractions), "confidence", "n", "n_real"}
    plus "label_accuracy" (fraction classified as the requested label) when labels are used."""
    C = classifier if classifier is not None else load_classifier()
    if labels is None and conditional:
        labels = np.arange(n) % real_n_classes(real)
    if labels is not None and len(labels) != n:
        raise ValueError(f"got {len(labels)} labels for n={n} samples")
    fake = generate(G, n=n, z_dim=z_dim, seed=seed, labels=labels, z=z)
    probs, feats = classifier_features(fake, classifier=C)
    mu_r, s_r, count_r = _real_stats(real, C, n_real)
    hist = class_histogram(probs)
    out = {
        "fid": frechet_from_stats(*gaussian_stats(feats), mu_r, s_r),
        "coverage": mode_coverage(hist),
        "class_hist": [float(h) for h in hist],
        "confidence": mean_confidence(probs),
        "n": n,
        "n_real": count_r,
    }
    if labels is not None:
        out["label_accuracy"] = float((probs.argmax(axis=1) == np.asarray(labels)).mean())
    return out


def real_n_classes(real: Any) -> int:
    return len(getattr(real, "class_names", ())) or 10


def real_floor_fid(data: Any, *, seed: int = 0, classifier: nn.Module | None = None) -> float:
    """FID between two random halves of the real images: the floor any generator is judged against."""
    C = classifier if classifier is not None else load_classifier()
    perm = np.random.default_rng(seed).permutation(len(data.images))
    half = len(perm) // 2
    _, fa = classifier_features(data.images[perm[:half]], classifier=C)
    _, fb = classifier_features(data.images[perm[half : 2 * half]], classifier=C)
    return frechet_distance(fa, fb)
