"""Paired image-to-image tasks made from 28x28 uint8 images (MNIST, Fashion-MNIST): (input, target).

Small, offline stand-ins for pix2pix's tasks (the course's example was map -> satellite photo).
Each task has answers that are ambiguous, so a pixel loss blurs and an adversarial loss must pick:
  "completion": the lower half of a digit is hidden; input channel 0 is the digit with rows
                ``hidden_from``.. set to 0 (the background value), channel 1 a mask (255 visible,
                0 hidden). Zeros alone would be ambiguous with "no ink here"; the mask says where
                the network must invent, and lets other masks be used later without a new model.
  "superres":   4x super-resolution 7x7 -> 28x28 (the SRGAN point). The 7x7 image is the mean of
                each 4x4 block; the network sees it upsampled back to 28x28 by NEAREST neighbour:
                exactly the information of the 7x7 (``low_res`` recovers it), no ringing or
                clipping, and the same blocky picture a student's 7x7 sketch gives. Bicubic is kept
                apart as the baseline to beat (``bicubic_baseline``), not baked into the input.
  "edges":      edges -> Fashion-MNIST item (an edges2shoes analogue): thin binary edges from a
                Canny-like filter (blur, Sobel, non-maximum suppression, threshold).
Everything is uint8 (N, C, 28, 28), vectorised and deterministic; ``to_model`` scales to [-1, 1].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

TASKS = ("completion", "superres", "edges")


@dataclass(frozen=True, eq=False)  # eq=False: arrays do not compare with ==
class PairedImages:
    inputs: np.ndarray  # uint8 (N, C_in, 28, 28): what G sees (C_in = 2 for completion, else 1)
    targets: np.ndarray  # uint8 (N, 1, 28, 28): the ground truth
    task: str  # one of TASKS

    def __len__(self) -> int:
        return int(self.inputs.shape[0])


def _check_images(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(f"expected uint8 images (N, H, W), got {images.dtype} {images.shape}")
    return images


def to_model(array: np.ndarray) -> torch.Tensor:
    """uint8 (..., H, W) -> float32 tensor in [-1, 1] (0 -> -1, 255 -> 1), the range of G's Tanh."""
    return torch.from_numpy(np.array(array, dtype=np.float32)).div_(127.5).sub_(1.0)  # a copy: inputs stay intact


def from_model(tensor: torch.Tensor) -> np.ndarray:
    """float in [-1, 1] -> uint8 (values outside are clipped)."""
    return ((tensor.detach().float().cpu() + 1.0) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()


# -- (a) completion ------------------------------------------------------------------------------
def hide_lower(images: np.ndarray, *, hidden_from: int = 14, mask_channel: bool = True) -> np.ndarray:
    """(N, 2 or 1, H, W) uint8: rows hidden_from.. zeroed; channel 1 = 255 where visible, 0 where hidden."""
    images = _check_images(images)
    if not 0 < hidden_from < images.shape[1]:
        raise ValueError(f"hidden_from must be inside the image (1..{images.shape[1] - 1}), got {hidden_from}")
    shown = images.copy()
    shown[:, hidden_from:, :] = 0
    if not mask_channel:
        return shown[:, None]
    mask = np.zeros_like(shown)
    mask[:, :hidden_from, :] = 255
    return np.stack([shown, mask], axis=1)


def completion_pairs(images: np.ndarray, *, hidden_from: int = 14, mask_channel: bool = True) -> PairedImages:
    images = _check_images(images)
    inputs = hide_lower(images, hidden_from=hidden_from, mask_channel=mask_channel)
    return PairedImages(inputs=inputs, targets=images[:, None].copy(), task="completion")


# -- (b) super-resolution --------------------------------------------------------------------------
def downsample(images: np.ndarray, factor: int = 4) -> np.ndarray:
    """(N, H/f, W/f) uint8: the rounded mean of each f x f block (area averaging)."""
    images = _check_images(images)
    n, h, w = images.shape
    if factor < 1 or h % factor or w % factor:
        raise ValueError(f"factor {factor} must divide the image size {h}x{w}")
    blocks = images.reshape(n, h // factor, factor, w // factor, factor).astype(np.float32)
    return np.rint(blocks.mean(axis=(2, 4))).astype(np.uint8)


def upsample_nearest(low: np.ndarray, factor: int = 4) -> np.ndarray:
    """(N, h*f, w*f) uint8: each pixel repeated as an f x f block."""
    return np.repeat(np.repeat(_check_images(low), factor, axis=1), factor, axis=2)


def low_res(inputs: np.ndarray, factor: int = 4) -> np.ndarray:
    """Recover the (N, h, w) low-resolution images from nearest-upsampled inputs (N, 1, H, W)."""
    return np.ascontiguousarray(np.asarray(inputs)[:, 0, ::factor, ::factor])


def bicubic_upsample(low: np.ndarray, factor: int = 4) -> np.ndarray:
    """(N, h*f, w*f) uint8 by PyTorch's bicubic (a = -0.75, align_corners=False), clipped to 0..255."""
    x = torch.as_tensor(_check_images(low)).float()[:, None]  # (N, 1, h, w)
    up = F.interpolate(x, scale_factor=factor, mode="bicubic", align_corners=False)
    return up[:, 0].round().clamp(0, 255).to(torch.uint8).numpy()


def superres_pairs(images: np.ndarray, *, factor: int = 4) -> PairedImages:
    images = _check_images(images)
    inputs = upsample_nearest(downsample(images, factor), factor)[:, None]  # (N, 1, 28, 28), blocky
    return PairedImages(inputs=inputs, targets=images[:, None].copy(), task="superres")


def bicubic_baseline(inputs: np.ndarray, factor: int = 4) -> np.ndarray:
    """(N, 1, H, W) uint8: the classical answer to super-resolution inputs, to compare G against."""
    return bicubic_upsample(low_res(inputs, factor), factor)[:, None]


# -- (c) edges -> item -------------------------------------------------------------------------------
def _filter3(x: np.ndarray, down: np.ndarray, across: np.ndarray) -> np.ndarray:
    """Separable 3x3 correlation of (N, H, W) float32, edges replicated: ``down`` along the rows'
    axis (vertical), then ``across`` along each row (horizontal). Slicing beats conv2d on 1 channel."""
    p = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="edge")
    v = down[0] * p[:, :-2] + down[1] * p[:, 1:-1] + down[2] * p[:, 2:]  # (N, H, W + 2)
    return across[0] * v[:, :, :-2] + across[1] * v[:, :, 1:-1] + across[2] * v[:, :, 2:]


def edge_map(images: np.ndarray, *, threshold: float = 0.25) -> np.ndarray:
    """(N, H, W) uint8 edges, 255 on 0 (ink on background, like MNIST): a Canny-like filter without
    hysteresis. Binomial 3x3 blur, Sobel gradients, non-maximum suppression along the gradient
    direction (one-pixel lines), then keep magnitudes >= threshold * the image's largest one."""
    images = _check_images(images)
    if not (np.isfinite(threshold) and 0.0 < threshold < 1.0):
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    if len(images) > 256:  # chunks keep the float32 temporaries in cache: ~2x faster on 5,000
        return np.concatenate([edge_map(images[i : i + 256], threshold=threshold)
                               for i in range(0, len(images), 256)])
    smooth = np.array([0.25, 0.5, 0.25], np.float32)
    tri, diff = np.array([1, 2, 1], np.float32), np.array([-1, 0, 1], np.float32)
    x = _filter3(images.astype(np.float32), smooth, smooth)
    gx = _filter3(x, tri, diff)  # d/dx (Sobel): smooth down the columns, differentiate along the rows
    gy = _filter3(x, diff, tri)  # d/dy, rows grow downwards
    mag = np.hypot(gx, gy)  # (N, H, W)
    # gradient direction in 4 sectors (22.5 deg = atan(0.4142)): 0 left-right, 2 up-down, and the
    # diagonals 1 (down-right, gx * gy > 0) and 3 (down-left); NMS compares the two neighbours along it
    ax, ay, t = np.abs(gx), np.abs(gy), np.float32(0.41421356)
    sector = np.where(ay <= t * ax, 0, np.where(ax <= t * ay, 2, np.where(gx * gy > 0, 1, 3)))
    p = np.pad(mag, ((0, 0), (1, 1), (1, 1)))
    h, w = mag.shape[1:]

    def at(dy: int, dx: int) -> np.ndarray:
        return p[:, 1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]

    neighbours = [(at(0, -1), at(0, 1)), (at(-1, -1), at(1, 1)), (at(-1, 0), at(1, 0)), (at(-1, 1), at(1, -1))]
    keep = np.zeros(mag.shape, dtype=bool)
    for s, (a, b) in enumerate(neighbours):
        keep |= (sector == s) & (mag >= a) & (mag >= b)
    peak = mag.max(axis=(1, 2), keepdims=True)
    edges = keep & (mag >= threshold * peak) & (peak > 0)
    return edges.astype(np.uint8) * 255


def edges_pairs(images: np.ndarray, *, threshold: float = 0.25) -> PairedImages:
    images = _check_images(images)
    inputs = edge_map(images, threshold=threshold)[:, None]
    return PairedImages(inputs=inputs, targets=images[:, None].copy(), task="edges")


def make_pairs(task: str, images: np.ndarray) -> PairedImages:
    """The pairs of a named task with its default settings; unknown names list the valid ones."""
    makers: dict[str, Callable[[np.ndarray], PairedImages]] = {
        "completion": completion_pairs, "superres": superres_pairs, "edges": edges_pairs,
    }
    if task not in makers:
        raise KeyError(f"unknown task {task!r}; valid tasks: {', '.join(TASKS)}")
    return makers[task](images)


# -- a student's drawing -> model input ----------------------------------------------------------------
def canvas_to_ink(canvas: np.ndarray) -> np.ndarray:
    """(H, W) float32 in [0, 1], 1 = ink, from a uint8 canvas: grey (H, W), RGB or RGBA (H, W, 3|4).

    RGBA with any transparency: the alpha channel is the ink (a drawing layer over an empty
    background, whatever the stroke colour). Otherwise the luminance, inverted when the border is
    light (dark ink on white paper), so ink is bright on dark like MNIST.
    """
    a = np.asarray(canvas)
    if a.dtype != np.uint8 or not (a.ndim == 2 or (a.ndim == 3 and a.shape[2] in (3, 4))):
        raise ValueError(f"expected a uint8 canvas (H, W), (H, W, 3) or (H, W, 4), got {a.dtype} {a.shape}")
    if min(a.shape[:2]) < 1 or max(a.shape[:2]) > 4096:
        raise ValueError(f"canvas side must be in [1, 4096], got {a.shape[:2]}")
    if a.ndim == 3 and a.shape[2] == 4 and a[..., 3].min() < 255:
        return a[..., 3].astype(np.float32) / 255
    grey = a if a.ndim == 2 else a[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    grey = np.asarray(grey, dtype=np.float32) / 255
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    return 1.0 - grey if np.median(border) > 0.5 else grey


def _fit(ink: np.ndarray, side: int) -> np.ndarray:
    """Pad to a square (centred), area-resize to side x side, stretch so the strongest ink is 255."""
    h, w = ink.shape
    n = max(h, w)
    square = np.zeros((n, n), np.float32)
    square[(n - h) // 2 : (n - h) // 2 + h, (n - w) // 2 : (n - w) // 2 + w] = ink
    small = F.interpolate(torch.from_numpy(square)[None, None], size=(side, side), mode="area")[0, 0].numpy()
    top = small.max()
    return np.rint(small / top * 255 if top > 0 else small).clip(0, 255).astype(np.uint8)


def drawing_to_input(canvas: np.ndarray, task: str, *, size: int = 28, factor: int = 4) -> np.ndarray:
    """(C, size, size) uint8 model input from a student's drawing, prepared exactly as the data set:
    "completion": the canvas is the whole frame; its lower half is hidden (draw the top half);
    "superres": the canvas is shrunk to size/factor (7x7) by area averaging, then nearest-upsampled."""
    ink = canvas_to_ink(canvas)
    if task == "completion":
        return hide_lower(_fit(ink, size)[None], hidden_from=size // 2)[0]
    if task == "superres":
        return upsample_nearest(_fit(ink, size // factor)[None], factor)
    raise KeyError(f"drawings are supported for 'completion' and 'superres', got {task!r}")
