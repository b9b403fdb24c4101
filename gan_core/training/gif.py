"""A run's film strip as an animated GIF (PIL only), to take home or paste into slides."""
from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw


def _frame(step: int, grid: np.ndarray, *, scale: int, label: str) -> Image.Image:
    """One GIF frame: the grid upscaled (nearest-neighbour, crisp digits) under a 'step N' band."""
    img = np.asarray(grid, dtype=np.uint8)
    if scale > 1:
        img = np.repeat(np.repeat(img, scale, axis=0), scale, axis=1)
    pic = Image.fromarray(img).convert("RGB")
    band = 16
    out = Image.new("RGB", (pic.width, pic.height + band), (0, 0, 0))
    out.paste(pic, (0, band))
    ImageDraw.Draw(out).text((4, 2), label.format(step=step), fill=(255, 255, 255))
    return out


def film_strip_gif(frames: Sequence[tuple[int, np.ndarray]], *, scale: int = 2,
                   frame_ms: int = 250, last_ms: int = 1500, label: str = "step {step}") -> bytes:
    """GIF bytes of (step, uint8 grid) frames, oldest first; the last frame is held longer.

    ``label`` is a format string with ``{step}`` (ASCII: PIL's default bitmap font has no CJK).
    """
    if not frames:
        raise ValueError("film_strip_gif() needs at least one frame")
    images = [_frame(step, grid, scale=scale, label=label) for step, grid in frames]
    durations = [frame_ms] * (len(images) - 1) + [last_ms]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:],
                   duration=durations, loop=0, optimize=False)
    return buf.getvalue()
