"""The numbers behind the Learn page "Check yourself": each function computes, from the embedded data,
a shipped checkpoint or a shipped 2-D state, the evidence one question's reveal shows. Pure numpy /
torch, no UI; the page caches the results. Images are uint8 (N, H, W) unless said otherwise.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from gan_core.image_metrics import as_unit, psnr, sharpness

MAX_PAIRWISE = 300  # images in an all-pairs distance (300^2 x 784 floats: ~0.3 GB would be too many)


def _u8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(np.asarray(x) * 255.0), 0, 255).astype(np.uint8)


# -- "does a pixel loss give sharp pictures?" ----------------------------------------------------------
def pixel_loss_answers(images: np.ndarray) -> dict:
    """Many correct answers (real images of one class): what MSE and MAE would pick as ONE answer.

    The per-pixel mean minimises the mean squared error to the set, the per-pixel median the mean
    absolute error. The medoid is the real image closest (MSE) to all the others: the best a sharp,
    real answer can do. Returns the three images, their MSE to the set, and each one's sharpness
    (gan_core.image_metrics.sharpness: gradient energy) next to the real images' own."""
    x = as_unit(images)[:MAX_PAIRWISE]  # (N, H, W) in [0, 1]
    if len(x) < 2:
        raise ValueError("need at least two real images")
    mean, median = x.mean(axis=0), np.median(x, axis=0)
    flat = torch.from_numpy(x.reshape(len(x), -1))
    pair = torch.cdist(flat, flat).pow(2) / flat.shape[1]  # (N, N) mean squared error of each pair
    medoid = x[int(pair.mean(dim=1).argmin())]

    def mse(c: np.ndarray) -> float:
        return float(((x - c) ** 2).mean())

    return {"mean": _u8(mean), "median": _u8(median), "medoid": _u8(medoid), "n": len(x),
            "mse_mean": mse(mean), "mse_median": mse(median), "mse_medoid": mse(medoid),
            "sharp_real": sharpness(x), "sharp_mean": sharpness(mean[None]),
            "sharp_median": sharpness(median[None])}


# -- "is a higher PSNR always the better-looking picture?" ----------------------------------------------
def gaussian_blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """(N, H, W) in [0, 1] blurred by a Gaussian of std ``sigma`` px (zero padding: black background)."""
    if not 0 < sigma <= 5:
        raise ValueError(f"sigma must be in (0, 5] px, got {sigma}")
    r = math.ceil(3 * sigma)
    k = torch.exp(-torch.arange(-r, r + 1, dtype=torch.float64) ** 2 / (2 * sigma**2))
    k = k / k.sum()
    x = torch.from_numpy(np.asarray(images, dtype=np.float64))[:, None]  # (N, 1, H, W)
    x = F.conv2d(x, k.view(1, 1, 1, -1), padding=(0, r))  # separable: rows, then columns
    x = F.conv2d(x, k.view(1, 1, -1, 1), padding=(r, 0))
    return x[:, 0].numpy()


def shift_right(images: np.ndarray, px: int) -> np.ndarray:
    """(N, H, W) moved ``px`` pixels to the right; the column that comes in is background (0)."""
    out = np.zeros_like(images)
    out[:, :, px:] = images[:, :, : images.shape[2] - px]
    return out


def psnr_blur_vs_shift(images: np.ndarray, *, sigma: float = 1.0, shift: int = 1) -> dict:
    """Two copies of each real image: blurred (sigma px), or the exact image moved ``shift`` px. The
    blur loses detail, the shift loses nothing a reader would notice, yet PSNR (peak 1, per image)
    ranks them the other way. Returns both PSNRs (mean over images), the share of images where the
    blur scores higher, and the first image's trio for display."""
    x = as_unit(images)
    blurred, moved = gaussian_blur(x, sigma), shift_right(x, shift)
    per_blur = np.array([psnr(b[None], t[None]) for b, t in zip(blurred, x)])
    per_moved = np.array([psnr(m[None], t[None]) for m, t in zip(moved, x)])
    return {"psnr_blur": float(per_blur.mean()), "psnr_shift": float(per_moved.mean()),
            "blur_wins": float((per_blur > per_moved).mean()), "n": len(x), "sigma": sigma, "shift": shift,
            "example": np.stack([_u8(x[0]), _u8(blurred[0]), _u8(moved[0])]),
            "sharp": {"original": sharpness(x), "blurred": sharpness(blurred), "shifted": sharpness(moved)}}


# -- "why do MLP samples speckle?" --------------------------------------------------------------------
def stray_pixels(images: np.ndarray, *, bright: float = 0.5) -> float:
    """Mean number per image of bright pixels (> ``bright``) none of whose 8 neighbours is bright:
    isolated specks. Real digits are strokes, so they have almost none."""
    b = as_unit(images) > bright  # (N, H, W)
    p = np.pad(b, ((0, 0), (1, 1), (1, 1)))
    h, w = b.shape[1:]
    neighbours = np.zeros_like(b)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                neighbours |= p[:, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
    return float((b & ~neighbours).sum(axis=(1, 2)).mean())


# -- "does the generator copy the training images?" -----------------------------------------------------
def copy_check(samples: np.ndarray, train: np.ndarray, *, n_ref: int = MAX_PAIRWISE) -> dict:
    """How far generated images are from their nearest training image (RMS pixel distance, 0..255),
    next to how far a real training image is from its nearest *other* training image (the spacing of
    the real data). A generator that copied would sit at 0."""
    from gan_core.explore import nearest_real

    _, d_fake = nearest_real(samples, train)
    ref = torch.tensor(train[:n_ref].reshape(min(n_ref, len(train)), -1), dtype=torch.float32)
    every = torch.tensor(train.reshape(len(train), -1), dtype=torch.float32)
    d2 = torch.cdist(ref, every).pow(2)  # (n_ref, N)
    d2[torch.arange(len(ref)), torch.arange(len(ref))] = float("inf")  # not itself
    d_real = (d2.min(dim=1).values / every.shape[1]).sqrt().numpy()
    return {"fake_median": float(np.median(d_fake)), "real_median": float(np.median(d_real)),
            "fake_min": float(d_fake.min()), "n_fake": len(samples), "n_ref": len(ref), "n_train": len(train)}


# -- "do neighbouring z give neighbouring images?" ------------------------------------------------------
def walk_smoothness(frames: np.ndarray, others: np.ndarray) -> dict:
    """Mean absolute grey-level change (0..255) between consecutive frames of a latent walk, against the
    change between two unrelated samples (``others``: an even number of images, paired in halves)."""
    f = frames.astype(np.float64)
    step = np.abs(np.diff(f, axis=0)).mean(axis=(1, 2))
    o = others.astype(np.float64)
    half = len(o) // 2
    if half < 1:
        raise ValueError("need at least two unrelated samples")
    return {"step_mean": float(step.mean()), "step_max": float(step.max()),
            "unrelated": float(np.abs(o[:half] - o[half:2 * half]).mean())}


# -- the 2-D states: curves, traces, how far the fakes travelled ----------------------------------------
def tail_stats(history: dict[str, list[float]], key: str, *, fraction: float = 0.25) -> dict[str, float]:
    """Mean and standard deviation of a recorded curve over its last ``fraction``."""
    values = np.asarray(history[key], dtype=np.float64)
    tail = values[int(len(values) * (1 - fraction)):]
    return {"mean": float(np.nanmean(tail)), "std": float(np.nanstd(tail))}


def lowest_g_loss(history: dict[str, list[float]], trace: dict[str, list]) -> dict[str, float]:
    """Where the forger's recorded loss is lowest, and how good the forger was then (JS and modes
    from the trace point nearest that step) against the end of training."""
    g = np.asarray(history["g_loss"], dtype=np.float64)
    i = int(np.nanargmin(g))
    step = int(history["step"][i])
    j = int(np.argmin(np.abs(np.asarray(trace["step"]) - step)))
    return {"step": step, "g_loss": float(g[i]), "js": float(trace["js"][j]), "modes": trace["modes"][j],
            "end_step": int(history["step"][-1]), "end_g_loss": tail_stats(history, "g_loss", fraction=0.05)["mean"],
            "end_js": float(trace["js"][-1]), "end_modes": trace["modes"][-1]}


def fakes_moved(start: np.ndarray, end: np.ndarray) -> float:
    """Mean distance between each fixed-noise fake before and after training, (n, 2) each."""
    return float(np.linalg.norm(np.asarray(end) - np.asarray(start), axis=1).mean())
