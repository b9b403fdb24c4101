"""One interface for every model family: what the engine (Run, JobPool, checkpoints, CLI) and the
pages may rely on, whatever the family trains (noise -> image, image -> image, trajectories, 2-D points,
an autoencoder with no adversary at all).

A family is declared once, as a frozen ``Family`` (the anchor is CycleGAN's BaseModel with its
``model_names`` / ``loss_names`` / ``visual_names``, but declared, not found by reflection):

    FAMILY = Family(
        name="pix2pix",                      # registry key, stored in every checkpoint
        config_cls=Pix2PixConfig,            # the run's frozen config: what CLI flags and widgets set
        model_config_cls=Pix2PixModelConfig, # what a checkpoint's "config" holds; build() takes it
        build=build_modules,                 # model config -> {"G": ..., "D": ...} (any names, any number)
        trainer="gan_core.training.pix2pix_step:Pix2PixTrainer",
        capabilities=frozenset({IMAGE_TO_IMAGE}),
        stat_names=("d_loss", "g_gan", "g_l1"),
        step_modes=("both", "d", "g"),
        evaluate=evaluate_checkpoint,        # (Trained, *, n, seed) -> metrics dict
    )

and registered with one line in ``gan_core/families.py``. The trainer subclasses ``FamilyTrainer``.
"""
from __future__ import annotations

import dataclasses
import importlib
import math
import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

# -- capabilities: what pages filter checkpoints on (never on family names) ------------------------
SAMPLES_Z = "samples_z"  # G(z) -> image: gallery, latent explorer
SAMPLES_CLASS = "samples_class"  # G(z, y) -> image of class y
SAMPLES_CODES = "samples_codes"  # G(z, c) with interpretable codes c (InfoGAN)
IMAGE_TO_IMAGE = "image_to_image"  # x -> y (pix2pix, CycleGAN)
TRANSLATES_BOTH_WAYS = "translates_both_ways"  # A -> B and B -> A without pairs (CycleGAN)
TRAJECTORIES = "trajectories"  # observed paths -> future paths (Social GAN)
POINTS_2D = "points_2d"  # the 2-D playground
CLASSIFIES = "classifies"  # image -> class logits (the metrics' classifiers)
DETECTS_FAKES = "detects_fakes"  # image -> "generated?" logit (a deepfake detector)
SWAPS = "swaps"  # identity swap through a shared code (the autoencoder route of a deepfake)
CAPABILITIES = frozenset({SAMPLES_Z, SAMPLES_CLASS, SAMPLES_CODES, IMAGE_TO_IMAGE, TRANSLATES_BOTH_WAYS,
                          TRAJECTORIES, POINTS_2D, CLASSIFIES, DETECTS_FAKES, SWAPS})
STEP_MODES = ("both", "d", "g", "stage")  # GAN Lab: a full step, one player only, one slow-motion stage
LANES = ("heavy", "light")  # the pool bounds each lane separately (cheap 2-D runs never wait behind MNIST)


@dataclass(frozen=True)
class Preview:
    """What a live view draws for one moment of a run.

    ``image``: a uint8 picture (H, W) or (H, W, 3) for image families (kept as a film strip);
    ``data``: a family-specific, read-only payload for plots (2-D fields, trajectories, curves)."""

    kind: str  # "image_grid" | "points_2d" | "trajectories" | ...
    image: np.ndarray | None = None
    data: Any = None


@dataclass(frozen=True)
class Trained:
    """A trained model as the evaluation sees it: from a checkpoint file or from a live trainer."""

    family: str
    modules: Mapping[str, nn.Module]
    model_config: Any
    train_config: Any = None  # the run config (object or its dict), when known


@dataclass(frozen=True)
class Family:
    name: str
    config_cls: type
    model_config_cls: type
    build: Callable[[Any], dict[str, nn.Module]]
    trainer: str | type  # "module:Class" (imported on first use) or the class
    capabilities: frozenset[str]
    stat_names: tuple[str, ...]
    step_modes: tuple[str, ...] = ("both",)
    lane: str = "heavy"
    evaluate: Callable[..., dict] | None = None  # (Trained, *, n: int, seed: int) -> dict
    config_defaults: Mapping[str, Any] = field(default_factory=dict)  # e.g. {"model": "dcgan"}
    summary: str = ""  # one line for `python -m gan_core list` and --help
    # p(z) the generator was trained on: (model config, n, torch.Generator) -> z (n, z_dim); None: N(0, I)
    prior: Callable[[Any, int, torch.Generator], torch.Tensor] | None = None

    def __post_init__(self) -> None:
        unknown = set(self.capabilities) - CAPABILITIES
        if unknown:
            raise ValueError(f"family {self.name!r}: unknown capabilities {sorted(unknown)}; "
                             f"valid: {sorted(CAPABILITIES)}")
        bad_modes = set(self.step_modes) - set(STEP_MODES)
        if "both" not in self.step_modes or bad_modes:
            raise ValueError(f"family {self.name!r}: step_modes must include 'both' and only use {STEP_MODES}")
        if self.lane not in LANES:
            raise ValueError(f"family {self.name!r}: lane must be one of {LANES}")
        if not self.stat_names:
            raise ValueError(f"family {self.name!r} records no statistics (stat_names is empty)")

    def trainer_cls(self) -> type[FamilyTrainer]:
        if isinstance(self.trainer, str):
            module, _, attr = self.trainer.partition(":")
            return getattr(importlib.import_module(module), attr)
        return self.trainer

    def default_config(self, **overrides: Any) -> Any:
        """The family's run config with ``overrides`` (None = keep the default)."""
        values = {**self.config_defaults, **{k: v for k, v in overrides.items() if v is not None}}
        return from_dict(self.config_cls, values)

    def model_config(self, values: Mapping[str, Any]) -> Any:
        return from_dict(self.model_config_cls, values)

    def draw_z(self, model_config: Any, n: int, *, seed: int = 0,
               generator: torch.Generator | None = None) -> torch.Tensor:
        """n latents (n, z_dim) from the distribution G was trained on: from ``generator`` if given, else the
        same for the same seed. A sample, a score or a gallery drawn from any other p(z) shows a generator it
        never was."""
        if generator is None:
            generator = torch.Generator().manual_seed(int(seed))
        if self.prior is not None:
            return self.prior(model_config, n, generator)
        return torch.randn(n, int(model_config.z_dim), generator=generator, device=generator.device)

    def has(self, capability: str) -> bool:
        return capability in self.capabilities


class FamilyTrainer(ABC):
    """One family's training session: its modules, optimisers, data and fixed inputs.

    Subclasses set ``self.config``, ``self.device``, ``self.steps_done`` and whatever they train,
    and implement ``modules``, ``model_config``, ``step`` and ``preview``. The trainer never knows
    about the UI: ``Run`` drives it from a thread, the CLI from a loop, tests directly.
    """

    publish_every_steps: int | None = 50  # a new preview every N steps ...
    publish_every_s: float | None = None  # ... or every T seconds (cheap families step in microseconds)
    film_strip: bool = True  # keep a strip of previews (image grids); False: only the latest
    quality_every: int = 0  # steps between ``quality()`` calls in a live run (0: never)
    config: Any
    device: torch.device
    steps_done: int

    @property
    def family(self) -> Family:
        from gan_core.families import get_family

        return get_family(self.config.family_name)

    @property
    @abstractmethod
    def modules(self) -> dict[str, nn.Module]:
        """The modules a checkpoint stores, by name."""

    @property
    @abstractmethod
    def model_config(self) -> Any:
        """The frozen config that ``family.build`` turns back into ``modules``."""

    @property
    def data_source(self) -> str:
        return ""

    @abstractmethod
    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        """One training step in ``mode`` (one of ``family.step_modes``); 0-d tensors keyed by
        ``family.stat_names`` (missing ones are recorded as NaN). No host sync needed."""

    @abstractmethod
    def preview(self) -> Preview:
        """The live view of the current state (fixed inputs, so frames are comparable)."""

    def quality(self) -> dict | None:
        """A cheap live metric (e.g. classifier-FID on a few hundred samples), or None."""
        return None

    def export_modules(self) -> dict[str, nn.Module]:
        """The modules a checkpoint ships (default: ``modules``; a trainer that keeps a weight
        average ships the average)."""
        return self.modules

    def trained(self) -> Trained:
        return Trained(family=self.config.family_name, modules=self.export_modules(),
                       model_config=self.model_config, train_config=self.config)

    def evaluate(self, *, n: int, seed: int = 0) -> dict:
        """The family's own evaluation of the current modules (what `python -m gan_core eval` prints)."""
        fam = self.family
        return fam.evaluate(self.trained(), n=n, seed=seed) if fam.evaluate else {}

    # -- resume: everything that makes step N+1 the same as in an uninterrupted run --------------
    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {}

    def generators(self) -> dict[str, torch.Generator]:
        """Random number generators the steps draw from (their state is saved for resuming)."""
        return {}

    def state_dict(self) -> dict:
        return {
            "steps_done": int(self.steps_done),
            "modules": {k: m.state_dict() for k, m in self.modules.items()},
            "optimizers": {k: o.state_dict() for k, o in self.optimizers().items()},
            "generators": {k: g.get_state() for k, g in self.generators().items()},
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        for key, module in self.modules.items():
            module.load_state_dict(state["modules"][key])
        for key, opt in self.optimizers().items():
            opt.load_state_dict(state["optimizers"][key])
        for key, gen in self.generators().items():
            gen.set_state(state["generators"][key])
        self.steps_done = int(state["steps_done"])


# -- frozen-config helpers shared by every family ---------------------------------------------------
def check_finite(config: Any) -> None:
    """Refuse NaN and infinite floats anywhere in a (possibly nested) config dataclass."""
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{type(config).__name__}.{f.name} must be a finite number (got {value})")


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """(inner type, optional?) of a resolved annotation such as ``int | None``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return (args[0] if len(args) == 1 else tp), True
    return tp, False


def field_types(cls: type) -> dict[str, tuple[Any, bool]]:
    """{field name: (type, optional?)} of a config dataclass, annotations resolved."""
    hints = typing.get_type_hints(cls)
    return {f.name: _unwrap(hints[f.name]) for f in dataclasses.fields(cls)}


def from_dict(cls: type, values: Mapping[str, Any]) -> Any:
    """Build config ``cls`` from a plain dict (e.g. a JSON sidecar): nested dataclasses are rebuilt,
    unknown keys raise TypeError naming the valid fields, bad values raise the class's ValueError."""
    types_ = field_types(cls)
    unknown = sorted(set(values) - set(types_))
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {unknown}; valid fields: {sorted(types_)}")
    out = {}
    for name, value in values.items():
        tp, _ = types_[name]
        if dataclasses.is_dataclass(tp) and isinstance(value, Mapping):
            value = from_dict(tp, value)
        out[name] = value
    return cls(**out)


def to_dict(config: Any) -> dict:
    return dataclasses.asdict(config)


def new_trainer(config: Any, *, data: Any = None, device: torch.device | None = None) -> FamilyTrainer:
    """The trainer of ``config``'s family (``config.family_name``), ready to step."""
    from gan_core.families import get_family

    return get_family(config.family_name).trainer_cls()(config=config, data=data, device=device)
