"""Showing pictures in Streamlit (every conversion lives in ``gan_core.images``).

Pictures are sent as PNG (lossless: ``st.image``'s "auto" picks a blurry JPEG) and upscaled by
nearest-neighbour before sending, so 28x28 digits stay crisp on a projector.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from gan_core.images import png_bytes


def show_grid(image_or_batch: Any, *, caption: str | None = None, scale: int = 4, nrow: int = 8) -> None:
    """Draw a picture or a tiled batch, upscaled ``scale`` times; ``caption`` must already be translated.

    A picture wider than its column is shrunk by the browser, so pick ``scale`` for the column: an
    8x8 grid of 28x28 digits is 242 px wide at scale 1."""
    st.image(png_bytes(image_or_batch, nrow=nrow, scale=scale), caption=caption, width="content",
             output_format="PNG")
