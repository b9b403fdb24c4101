"""Image helpers for pages: generator output -> grids -> PNG bytes / ``st.image``.

Accepted inputs ("image_or_batch"):
  - one image: uint8 ``(H, W)`` grey or ``(H, W, 3)`` colour (e.g. ``Trainer.fixed_grid()``);
  - a batch: ``(N, H, W)``, ``(N, C, H, W)`` numpy or torch, uint8 or float in [-1, 1]
    (generator output); batches are tiled ``nrow`` per row with ``gan_core.training.grid.make_grid``.
Upscaling is nearest-neighbour (``np.repeat``): 28x28 digits stay crisp on a projector instead of
being blurred by the browser.

API:
    to_uint8(x, *, value_range=(-1.0, 1.0)) -> np.ndarray
    as_image(image_or_batch, *, nrow=8) -> np.ndarray          # uint8 (H, W) or (H, W, 3)
    upscale(image, scale) -> np.ndarray
    grid_to_png(image_or_batch, *, scale=1, nrow=8) -> bytes  # for st.download_button(data=...)
    show_grid(image_or_batch, *, caption=None, scale=4, nrow=8) -> None
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from gan_core.training.grid import make_grid


def to_uint8(x: Any, *, value_range: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """Tensor/array -> uint8 numpy. uint8 passes through; floats are mapped from ``value_range``."""
    if hasattr(x, "detach"):  # torch.Tensor (duck-typed: no torch import needed here)
        x = x.detach().float().cpu().numpy()
    arr = np.asarray(x)
    if arr.dtype == np.uint8:
        return arr
    lo, hi = value_range
    scaled = (arr.astype(np.float32) - lo) / (hi - lo)  # -> [0, 1]
    return np.clip(np.rint(scaled * 255.0), 0, 255).astype(np.uint8)


def as_image(image_or_batch: Any, *, nrow: int = 8) -> np.ndarray:
    """One uint8 image ``(H, W)`` / ``(H, W, 3)``; a batch is tiled into a grid first.

    A 3-D array whose last axis is 3 or 4 is a colour image; any other 3-D array is a batch.
    """
    arr = to_uint8(image_or_batch)
    if arr.ndim == 4:  # (N, C, H, W) -> (N, H, W[, C])
        arr = arr[:, 0] if arr.shape[1] == 1 else arr.transpose(0, 2, 3, 1)
    elif arr.ndim == 2 or (arr.ndim == 3 and arr.shape[-1] in (3, 4)):
        return arr
    if arr.ndim not in (3, 4):
        raise ValueError(f"expected an image or a batch of images, got shape {arr.shape}")
    return make_grid(arr, nrow=nrow)


def upscale(image: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour upscaling by an integer factor (each pixel becomes a scale x scale block)."""
    if scale <= 1:
        return image
    return np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)


def grid_to_png(image_or_batch: Any, *, scale: int = 1, nrow: int = 8) -> bytes:
    """PNG bytes of an image or a tiled batch, optionally upscaled (``st.download_button(data=...)``)."""
    buf = io.BytesIO()
    Image.fromarray(upscale(as_image(image_or_batch, nrow=nrow), scale)).save(buf, format="PNG")
    return buf.getvalue()


def show_grid(image_or_batch: Any, *, caption: str | None = None, scale: int = 4, nrow: int = 8) -> None:
    """Draw an image or a tiled batch with ``st.image``, upscaled ``scale`` times (nearest-neighbour).

    ``caption`` must already be translated (pass ``t(...)``). Sent as PNG (lossless). A picture wider
    than its column is shrunk to fit by the browser, so pick ``scale`` for the column: an 8x8 grid of
    28x28 digits is 242 px wide at scale 1.
    """
    image = upscale(as_image(image_or_batch, nrow=nrow), scale)
    st.image(image, caption=caption, width="content", output_format="PNG")  # "auto" picks lossy JPEG
