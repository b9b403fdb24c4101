"""Per-pixel and per-image quality measures of an image-to-image model's outputs against the truth.

All functions take float arrays in [0, 1] shaped (N, H, W) (one grey channel; uint8 arrays are
scaled by 1/255) and return one number: the mean over the N images.

- ``l1_error``: mean |pred - true| per pixel (the quantity an L1 loss minimises).
- ``psnr``: peak signal-to-noise ratio in dB, 10 log10(1 / MSE) with peak 1, per image, then
  averaged (the SRGAN paper's convention); equal to scikit-image's value per image. An image equal
  to its truth would score infinity, so its MSE is floored at ``MSE_FLOOR`` (100 dB).
- ``ssim``: structural similarity (Wang et al. 2004) per image, scikit-image's defaults: 7x7
  uniform window, K1 0.01, K2 0.03, data range 1; then averaged.
- ``sharpness``: gradient energy, the mean over pixels of dx^2 + dy^2 (forward differences). Blur
  spreads an edge over several pixels: a 0 -> 1 step becomes k steps of 1/k, whose squares add up
  to only 1/k. (The plain mean |gradient| would not do: over a monotone edge it adds up to the same
  total step however blurred, as total variation does.) A measure of crisp detail, not of
  correctness: noise is "sharp" too, so read it beside the truth's own value (``sharpness(true)``).
"""

from __future__ import annotations

import numpy as np

MSE_FLOOR = 1e-10  # 100 dB: a perfect copy stays finite


def as_unit(images: np.ndarray) -> np.ndarray:
    """(N, H, W) float64 in [0, 1] from uint8 (0..255) or float in [0, 1]; (N, 1, H, W) is squeezed."""
    a = np.asarray(images)
    if a.ndim == 4 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 3 or a.shape[0] < 1 or min(a.shape[1:]) < 2:
        raise ValueError(f"expected images (N, H, W) with N >= 1 and sides >= 2, got shape {a.shape}")
    if a.dtype == np.uint8:
        return a.astype(np.float64) / 255.0
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError("images contain NaN or infinite values")
    return np.clip(a, 0.0, 1.0)


def _pair(pred: np.ndarray, true: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p, t = as_unit(pred), as_unit(true)
    if p.shape != t.shape:
        raise ValueError(f"prediction {p.shape} and truth {t.shape} differ in shape")
    return p, t


def l1_error(pred: np.ndarray, true: np.ndarray) -> float:
    p, t = _pair(pred, true)
    return float(np.abs(p - t).mean())


def psnr(pred: np.ndarray, true: np.ndarray) -> float:
    """Mean over images of 10 log10(1 / MSE) (peak 1), MSE floored at MSE_FLOOR; the same value as
    scikit-image's peak_signal_noise_ratio(true, pred, data_range=1) per image (checked in the tests),
    computed for all images at once."""
    p, t = _pair(pred, true)
    mse = ((p - t) ** 2).reshape(len(p), -1).mean(axis=1)
    return float(np.mean(10.0 * np.log10(1.0 / np.maximum(mse, MSE_FLOOR))))


def ssim(pred: np.ndarray, true: np.ndarray) -> float:
    """Mean SSIM over images (scikit-image; the N images are passed as channels, each scored alone)."""
    from skimage.metrics import structural_similarity

    p, t = _pair(pred, true)
    if min(p.shape[1:]) < 7:
        raise ValueError(f"SSIM's 7x7 window needs images of at least 7x7 pixels, got {p.shape[1:]}")
    # channel_axis: SSIM per channel (here: per image), then the mean over channels
    return float(structural_similarity(np.moveaxis(t, 0, -1), np.moveaxis(p, 0, -1), data_range=1.0,
                                       channel_axis=-1))


def gradient_energy(images: np.ndarray) -> np.ndarray:
    """(N, H-1, W-1) dx^2 + dy^2 from forward differences (the last row/column drops out)."""
    a = as_unit(images)
    dx = a[:, :-1, 1:] - a[:, :-1, :-1]
    dy = a[:, 1:, :-1] - a[:, :-1, :-1]
    return dx * dx + dy * dy


def sharpness(images: np.ndarray) -> float:
    """Mean gradient energy (brightness units squared per pixel): higher = crisper edges."""
    return float(gradient_energy(images).mean())


def all_metrics(pred: np.ndarray, true: np.ndarray) -> dict[str, float]:
    """{"l1_err", "psnr", "ssim", "sharpness"} of ``pred`` against ``true``."""
    return {"l1_err": l1_error(pred, true), "psnr": psnr(pred, true), "ssim": ssim(pred, true),
            "sharpness": sharpness(pred)}
