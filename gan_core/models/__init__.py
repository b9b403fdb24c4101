"""GAN model families. Pick one through the explicit registry (see registry.py):

    from gan_core.models import build
    G, D, cfg = build("dcgan", z_dim=100)

Families live one per file (mlp.py, dcgan.py, ...); to add one, edit ``MODELS`` in registry.py.
Importing this package only defines classes (no weights are built, no data is read).
"""

from gan_core.models.registry import (
    MODELS,
    ModelSpec,
    build,
    config_from_dict,
    config_to_dict,
    family_of,
    get_spec,
    make_config,
    register,
)

__all__ = [
    "MODELS",
    "ModelSpec",
    "build",
    "config_from_dict",
    "config_to_dict",
    "family_of",
    "get_spec",
    "make_config",
    "register",
]
