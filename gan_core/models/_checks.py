"""Validation shared by the image-to-image model configs (pix2pix, PatchGAN, upsampling generators)."""

from __future__ import annotations

import math
from typing import Any


def check_fields(
    config: Any,
    *,
    ints: dict[str, tuple[int, int]] | None = None,
    floats: dict[str, tuple[float, float]] | None = None,
    choices: dict[str, tuple[Any, ...]] | None = None,
    bools: tuple[str, ...] = (),
) -> None:
    """Refuse out-of-range ints, non-finite or out-of-range floats, unknown choices and non-bools,
    each with a message naming the class, the field, the allowed range and the value."""
    cls = type(config).__name__
    for name, (low, high) in (ints or {}).items():
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{cls}.{name} must be an integer in [{low}, {high}], got {value!r}")
    for name, (low, high) in (floats or {}).items():
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{cls}.{name} must be a finite number, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{cls}.{name} must be in [{low}, {high}], got {value!r}")
    for name, allowed in (choices or {}).items():
        if getattr(config, name) not in allowed:
            raise ValueError(f"{cls}.{name} must be one of {allowed}, got {getattr(config, name)!r}")
    for name in bools:
        if getattr(config, name) is not True and getattr(config, name) is not False:
            raise ValueError(f"{cls}.{name} must be True or False, got {getattr(config, name)!r}")
