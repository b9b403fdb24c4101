"""Every image utility in one place: model output -> uint8 -> grid -> upscaled -> PNG / GIF bytes.

Accepted inputs ("image or batch"):
  - one picture: uint8 ``(H, W)`` grey or ``(H, W, 3)`` colour (e.g. a sample grid);
  - a batch: ``(N, H, W)``, ``(N, H, W, 3)``, or ``(N, C, H, W)`` numpy/torch, uint8 or float in [-1, 1]
    (generator output).
Upscaling is nearest-neighbour: 28x28 digits stay crisp on a projector instead of being blurred.
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw


def to_uint8(images: Any, *, value_range: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """Floats in ``value_range`` (or uint8, passed through) -> uint8 numpy.

    A 4-D channels-first batch (B, C, H, W) becomes (B, H, W) for one channel, (B, H, W, C) for three."""
    if hasattr(images, "detach"):  # torch.Tensor
        images = images.detach().float().cpu().numpy()
    arr = np.asarray(images)
    if arr.dtype != np.uint8:
        lo, hi = value_range
        scaled = (np.clip(arr.astype(np.float32), lo, hi) - np.float32(lo)) * np.float32(255.0 / (hi - lo))
        arr = np.rint(scaled).astype(np.uint8)  # (x + 1) * 127.5 for [-1, 1], rounded half to even
    if arr.ndim == 4 and arr.shape[1] in (1, 3) and arr.shape[-1] not in (1, 3):
        arr = arr[:, 0] if arr.shape[1] == 1 else arr.transpose(0, 2, 3, 1)
    return arr


def is_single(arr: np.ndarray) -> bool:
    """One picture (H, W) grey or (H, W, 3) colour, as opposed to a batch (B, H, W[, 3])."""
    return arr.ndim == 2 or (arr.ndim == 3 and arr.shape[-1] == 3)


def make_grid(images: Any, *, nrow: int | None = None, pad: int = 2, background: int = 0) -> np.ndarray:
    """Tile a batch into one uint8 picture; ``nrow`` (images per row) defaults to ceil(sqrt(B)),
    so 64 samples give the usual 8x8. A single picture passes through unchanged."""
    arr = to_uint8(images)
    if is_single(arr):
        return arr
    b, h, w = arr.shape[:3]
    nrow = nrow or max(1, math.ceil(math.sqrt(b)))
    ncol = math.ceil(b / nrow)
    out = np.full((ncol * (h + pad) + pad, nrow * (w + pad) + pad) + arr.shape[3:], background, dtype=np.uint8)
    for i in range(b):
        r, c = divmod(i, nrow)
        top, left = pad + r * (h + pad), pad + c * (w + pad)
        out[top:top + h, left:left + w] = arr[i]
    return out


def upscale(image: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour upscaling by an integer factor (each pixel becomes a scale x scale block)."""
    if scale <= 1:
        return image
    return np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)


def png_bytes(images: Any, *, nrow: int | None = 8, scale: int = 1, compress_level: int = 1) -> bytes:
    """PNG of a picture or a tiled batch, upscaled (lossless; level 1 is fast and small enough)."""
    buf = io.BytesIO()
    Image.fromarray(upscale(make_grid(images, nrow=nrow), scale)).save(buf, format="PNG",
                                                                        compress_level=compress_level)
    return buf.getvalue()


def _gif_frame(step: int, grid: np.ndarray, *, scale: int, label: str) -> Image.Image:
    """One GIF frame: the grid upscaled under a black band reading 'step N'."""
    pic = Image.fromarray(upscale(np.asarray(grid, dtype=np.uint8), scale)).convert("RGB")
    band = 16
    out = Image.new("RGB", (pic.width, pic.height + band), (0, 0, 0))
    out.paste(pic, (0, band))
    ImageDraw.Draw(out).text((4, 2), label.format(step=step), fill=(255, 255, 255))
    return out


def film_strip_gif(frames: Sequence[tuple[int, np.ndarray]], *, scale: int = 2, frame_ms: int = 250,
                   last_ms: int = 1500, label: str = "step {step}") -> bytes:
    """GIF bytes of (step, uint8 grid) frames, oldest first; the last frame is held longer.

    ``label`` is a format string with ``{step}`` (ASCII: PIL's default bitmap font has no CJK)."""
    if not frames:
        raise ValueError("film_strip_gif() needs at least one frame")
    images = [_gif_frame(step, grid, scale=scale, label=label) for step, grid in frames]
    durations = [frame_ms] * (len(images) - 1) + [last_ms]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0,
                   optimize=False)
    return buf.getvalue()


def frames_gif(pictures: Sequence[np.ndarray], *, scale: int = 2, frame_ms: int = 120) -> bytes:
    """GIF bytes of uint8 pictures without labels (a latent walk, an animation), looping."""
    if not len(pictures):
        raise ValueError("frames_gif() needs at least one picture")
    images = [Image.fromarray(upscale(np.asarray(p, dtype=np.uint8), scale)).convert("RGB") for p in pictures]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=frame_ms, loop=0)
    return buf.getvalue()
