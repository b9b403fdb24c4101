"""THE registry of model families: one line per family (minGPT's explicit dict, not reflection).

Each value names the module attribute holding the family's ``Family`` declaration; the module is
imported on first use, so importing this file costs nothing and families may import the engine freely.
Adding a family: write its module(s), then add one line here (see README, "Adding a model family").
"""
from __future__ import annotations

import importlib
import threading

from gan_core.training.family import Family

_DECLARED: dict[str, str] = {
    "mlp": "gan_core.training.image_gan:MLP",
    "dcgan": "gan_core.training.image_gan:DCGAN",
    "cgan": "gan_core.training.cgan_step:FAMILY",
    "infogan": "gan_core.training.infogan_step:FAMILY",
    "classifier": "gan_core.training.classifier_step:FAMILY",
    "toy2d": "gan_core.training.toy2d:FAMILY",
    "cyclegan": "gan_core.training.cyclegan_step:FAMILY",
    "pix2pix": "gan_core.training.pix2pix_step:FAMILY",
    "social-gan": "gan_core.training.social_gan_step:FAMILY",
    "upsample": "gan_core.training.upsampling_step:FAMILY",
    "swap": "gan_core.training.swap_step:FAMILY",
    "detector": "gan_core.training.detector_step:FAMILY",
}
_loaded: dict[str, Family] = {}
_lock = threading.Lock()


def family_names() -> list[str]:
    return list(_DECLARED)


def get_family(name: str) -> Family:
    """The family called ``name``; an unknown name raises KeyError listing the valid ones."""
    with _lock:
        if name in _loaded:
            return _loaded[name]
        if name not in _DECLARED:
            raise KeyError(f"unknown model family {name!r}; valid families: {', '.join(_DECLARED)}")
        module, _, attr = _DECLARED[name].partition(":")
    family = getattr(importlib.import_module(module), attr)
    if family.name != name:
        raise ValueError(f"registry line {name!r} points at family {family.name!r}")
    with _lock:
        _loaded[name] = family
    return family


def families() -> list[Family]:
    return [get_family(n) for n in _DECLARED]


def register(family: Family, *, replace: bool = False) -> None:
    """Add a family at run time (tests, notebooks, plug-ins); an existing name needs ``replace``."""
    with _lock:
        if family.name in _DECLARED and not replace:
            raise ValueError(f"model family {family.name!r} is already registered")
        _DECLARED[family.name] = f"<registered>:{family.name}"
        _loaded[family.name] = family


def unregister(name: str) -> None:
    """Remove a family added with ``register`` (tests clean up after themselves)."""
    with _lock:
        if not _DECLARED.get(name, "").startswith("<registered>"):
            raise ValueError(f"{name!r} was not added with register()")
        del _DECLARED[name]
        _loaded.pop(name, None)
