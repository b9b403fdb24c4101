"""Explicit registry of model families (minGPT-style dict, no name matching by reflection).

Adding a family (for the engineers owning cgan.py, infogan.py, ...): add ONE import line and
ONE entry to ``MODELS`` below, e.g.

    from gan_core.models import cgan
    "cgan": ModelSpec(cgan.CGANConfig, cgan.Generator, cgan.Discriminator, conditional=True),

Family modules must not import this file (it imports them). Every family provides a frozen
config dataclass and ``Generator(*, config)`` / ``Discriminator(*, config)`` modules with
``G(z, y=None) -> (B, C, H, W)`` in [-1, 1] and ``D(x, y=None) -> logits (B,)``.
``register(name, spec)`` exists for code outside gan_core (tests, notebooks, plug-ins).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from torch import nn

from gan_core.models import cgan, dcgan, infogan, mlp


@dataclass(frozen=True)
class ModelSpec:
    config_cls: type
    generator_cls: type[nn.Module]
    discriminator_cls: type[nn.Module]
    conditional: bool = False  # True: G and D need class labels y


MODELS: dict[str, ModelSpec] = {
    "mlp": ModelSpec(mlp.MLPConfig, mlp.Generator, mlp.Discriminator, conditional=False),
    "dcgan": ModelSpec(dcgan.DCGANConfig, dcgan.Generator, dcgan.Discriminator, conditional=False),
    "cgan": ModelSpec(cgan.CGANConfig, cgan.Generator, cgan.Discriminator, conditional=True),
    "infogan": ModelSpec(
        infogan.InfoGANConfig,
        infogan.Generator,
        infogan.Discriminator,
        conditional=False,
    ),
    # other families: one line each here (plus their import above)
}


def register(name: str, spec: ModelSpec) -> None:
    """Add a family at run time; re-registering an existing name raises ValueError."""
    if name in MODELS:
        raise ValueError(f"model family {name!r} is already registered")
    MODELS[name] = spec


def get_spec(family: str) -> ModelSpec:
    """The ModelSpec of ``family``; an unknown key raises KeyError listing the valid keys."""
    try:
        return MODELS[family]
    except KeyError:
        raise KeyError(f"unknown model family {family!r}; valid keys: {', '.join(sorted(MODELS))}") from None


def _checked(cls: type, overrides: dict[str, Any]) -> dict[str, Any]:
    # unknown keys -> TypeError naming the valid fields; None means "keep the default"
    fields = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {unknown}; valid fields: {fields}")
    return {k: v for k, v in overrides.items() if v is not None}


def make_config(family: str, **overrides: Any) -> Any:
    """The family's default config with ``overrides`` applied; None values are ignored (they
    mean "family default"), unknown keys raise TypeError naming the valid fields."""
    cls = get_spec(family).config_cls
    return cls(**_checked(cls, overrides))


def build(family: str, config: Any = None, **overrides: Any) -> tuple[nn.Module, nn.Module, Any]:
    """Build (G, D, config) for ``family``. ``config`` defaults to ``make_config(family)``;
    non-None ``overrides`` are applied on top of it with ``dataclasses.replace``."""
    spec = get_spec(family)
    if config is None:
        config = make_config(family, **overrides)
    elif not isinstance(config, spec.config_cls):
        raise TypeError(f"family {family!r} needs a {spec.config_cls.__name__}, got {type(config).__name__}")
    else:
        config = dataclasses.replace(config, **_checked(spec.config_cls, overrides))
    return (
        spec.generator_cls(config=config),
        spec.discriminator_cls(config=config),
        config,
    )


def config_to_dict(cfg: Any) -> dict[str, Any]:
    """Plain JSON-ready dict of a config dataclass (fields only; store the family alongside)."""
    return dataclasses.asdict(cfg)


def config_from_dict(family: str, d: dict[str, Any]) -> Any:
    """Inverse of ``config_to_dict``; unknown keys raise TypeError, invalid values ValueError."""
    return make_config(family, **d)


def family_of(cfg: Any) -> str:
    """Registry key of a config instance (e.g. MLPConfig() -> "mlp")."""
    for name, spec in MODELS.items():
        if type(cfg) is spec.config_cls:
            return name
    raise KeyError(
        f"{type(cfg).__name__} belongs to no registered family; valid keys: {', '.join(sorted(MODELS))}"
    )
