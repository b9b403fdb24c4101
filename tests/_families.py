"""Test helper: fresh G and D of an image family from the registry, with model-config overrides."""
from __future__ import annotations

import dataclasses

from gan_core.families import get_family


def build(family: str, config=None, **overrides):
    """(G, D, model config) of ``family``; None overrides keep the defaults."""
    fam = get_family(family)
    given = {k: v for k, v in overrides.items() if v is not None}
    if config is None:
        config = fam.model_config(given)
    elif not isinstance(config, fam.model_config_cls):
        raise TypeError(f"family {family!r} needs a {fam.model_config_cls.__name__}, got {type(config).__name__}")
    else:
        config = dataclasses.replace(config, **given)
    modules = fam.build(config)
    return modules["G"], modules["D"], config
