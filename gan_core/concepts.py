"""Concepts measured automatically on digit images, to build concept vectors without clicking.

- stroke thickness: for a pen stroke of length L and width w, ink area ~ L w and the outline
  is ~ 2 L long, so w ~ 2 * area / perimeter (pixels, on the thresholded image).
- slant: from second-order central image moments, the shear mu11 / mu02 (the same number
  that "deskewing" undoes): > 0 leans right (top to the right), < 0 leans left.
- digit class: argmax of the shipped MNIST classifier.

Images: uint8 (N, 28, 28) in 0..255 or float (N, 1, 28, 28) / (N, 28, 28) in [-1, 1].
``split_by`` turns any score into the indices of the k highest and k lowest samples, which
``gan_core.latent.concept_vector`` then averages.
"""
from __future__ import annotations

from typing import Any

import numpy as np

INK_THRESHOLD = 0.5  # of full intensity: a pixel is ink above it


def to_unit(images: Any) -> np.ndarray:
    """Any accepted image batch -> float64 (N, H, W) in [0, 1] (ink = 1)."""
    if hasattr(images, "detach"):
        images = images.detach().float().cpu().numpy()
    x = np.asarray(images)
    if x.ndim == 4:
        if x.shape[1] != 1:
            raise ValueError(f"concepts need grey images, got shape {x.shape}")
        x = x[:, 0]
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f"expected images (N, H, W), got shape {x.shape}")
    if x.dtype == np.uint8:
        return x.astype(np.float64) / 255.0
    return (np.clip(x.astype(np.float64), -1.0, 1.0) + 1.0) / 2.0


def stroke_thickness(images: Any) -> np.ndarray:
    """(N,) estimated pen width in pixels, 2 * ink area / ink outline length."""
    ink = to_unit(images) > INK_THRESHOLD  # (N, H, W) bool
    padded = np.pad(ink, ((0, 0), (1, 1), (1, 1)))
    # outline = number of ink/background pixel edges, horizontal plus vertical
    edges = (padded[:, 1:, :] != padded[:, :-1, :]).sum(axis=(1, 2)) + (padded[:, :, 1:] != padded[:, :, :-1]).sum(axis=(1, 2))
    area = ink.sum(axis=(1, 2))
    return np.where(edges > 0, 2.0 * area / np.maximum(edges, 1), 0.0)


def slant(images: Any) -> np.ndarray:
    """(N,) shear mu11 / mu02 from intensity-weighted central moments (x right, y up)."""
    x = to_unit(images)
    _, h, w = x.shape
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float64)
    ys, xs = (h - 1) - rows, cols  # y up, so a "/" stroke has positive slant
    mass = x.sum(axis=(1, 2)).clip(min=1e-9)
    cx = (x * xs).sum(axis=(1, 2)) / mass
    cy = (x * ys).sum(axis=(1, 2)) / mass
    dx = xs[None] - cx[:, None, None]
    dy = ys[None] - cy[:, None, None]
    mu11 = (x * dx * dy).sum(axis=(1, 2))
    mu02 = (x * dy * dy).sum(axis=(1, 2)).clip(min=1e-9)
    return mu11 / mu02


def digit_class(images: Any, *, classifier: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """(predicted class (N,) int, confidence (N,) float) from the shipped classifier."""
    from gan_core.metrics import classifier_features  # lazy: loads the classifier checkpoint

    x = images
    if not hasattr(x, "detach"):
        arr = np.asarray(x)
        x = arr if arr.dtype == np.uint8 else arr.astype(np.float32)
    probs, _ = classifier_features(x, classifier=classifier)
    return probs.argmax(axis=1), probs.max(axis=1)


MEASURES = {"thickness": stroke_thickness, "slant": slant}


def split_by(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices of the k highest scores, indices of the k lowest), highest/lowest first."""
    scores = np.asarray(scores, dtype=np.float64)
    if not 1 <= k <= len(scores) // 2:
        raise ValueError(f"k must be in 1..{len(scores) // 2} for {len(scores)} scores, got {k}")
    order = np.argsort(scores, kind="stable")
    return order[::-1][:k].copy(), order[:k].copy()


def members(classes: np.ndarray, wanted: int, *, k: int, confidence: np.ndarray | None = None) -> np.ndarray:
    """Indices of up to k samples predicted as ``wanted``, most confident first."""
    idx = np.flatnonzero(np.asarray(classes) == wanted)
    if confidence is not None:
        idx = idx[np.argsort(-np.asarray(confidence)[idx], kind="stable")]
    return idx[:k]
