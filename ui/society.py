"""Streamlit helpers of the Social GAN page: trajectory checkpoints, cached generators, scenes, forecasts.

Checkpoints are chosen by capability (``trajectories``), never by family name, from ``checkpoints/`` +
``runs/`` (or only ``$GAN_CLASSROOM_CHECKPOINTS`` when set, as the Explore pages).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st
import torch

from gan_core import checkpoints
from gan_core.data.crowds import SCENES
from gan_core.data.trajectories import SPLITS
from gan_core.explore import LRU
from gan_core.training.family import TRAJECTORIES
from gan_core.trajectory_scenes import Scene, eth_ucy_scene, forecast_window, synthetic_scene
from ui.explore_widgets import folders

SANDBOX = "sandbox"
PREFERRED = ("social_gan_synthetic", *(f"social_gan_{s}" for s in SPLITS))  # shipped models first
_forecasts = LRU(256)


@dataclass(frozen=True)
class TrajModel:
    """A trajectory checkpoint as the page needs it (from its JSON sidecar; weights load on demand)."""

    name: str
    stem: str
    data: str | None  # None: trained on the synthetic crowds
    split: str  # held-out ETH/UCY scene (meaningless for synthetic)
    pooling: bool
    noise_dim: int
    sha: str
    metrics: dict

    @property
    def synthetic(self) -> bool:
        return self.data is None


def trajectory_models() -> list[TrajModel]:
    """Every checkpoint that forecasts trajectories, shipped favourites first, then by name."""
    out = []
    for info in checkpoints.list_checkpoints(*folders()):
        if TRAJECTORIES not in info.capabilities:
            continue
        tc = info.train_config
        try:
            meta = checkpoints.read_meta(info.path)
            out.append(TrajModel(name=info.name, stem=str(info.path), data=tc.get("data"),
                                 split=str(tc.get("split", "zara1")), pooling=bool(tc.get("pooling", True)),
                                 noise_dim=int(tc.get("noise_dim", meta["config"].get("noise_dim", 8))),
                                 sha=str(meta["sha256"]), metrics=dict(info.metrics)))
        except (checkpoints.CheckpointError, TypeError, ValueError):
            continue
    rank = {n: i for i, n in enumerate(PREFERRED)}
    return sorted(out, key=lambda m: (rank.get(m.name, len(rank)), m.name))


@st.cache_resource(show_spinner=False, max_entries=16)
def _networks(stem: str, stamp: float) -> dict[str, torch.nn.Module]:
    modules = checkpoints.load(stem).modules
    # shared by every session: never trained, never changed
    return {name: m.eval().requires_grad_(False) for name, m in modules.items()}


def _stamp(model: TrajModel) -> float:
    weights, sidecar = checkpoints.files_of(model.stem)
    return max(weights.stat().st_mtime, sidecar.stat().st_mtime)


def generator(model: TrajModel) -> torch.nn.Module:
    return _networks(model.stem, _stamp(model))["G"]


def discriminator(model: TrajModel) -> torch.nn.Module | None:
    """The checkpoint's D, or None when it was saved without one."""
    return _networks(model.stem, _stamp(model)).get("D")


def sources(eth_ucy_root: str | None) -> list[str]:
    """Scene keys: the synthetic scenes and the sandbox always, ETH/UCY test scenes when a folder is set."""
    keys = [f"synthetic:{s}" for s in SCENES] + [SANDBOX]
    if eth_ucy_root:
        keys += [f"eth_ucy:{s}" for s in folder_splits(eth_ucy_root)]
    return keys


def folder_splits(folder: str) -> list[str]:
    """Splits with test files under ``folder`` (empty for a missing or wrong folder). The page shows only
    test scenes, so a folder without the train parts is enough here (training needs them)."""
    path = Path(folder).expanduser()
    return [s for s in SPLITS if any((path / s / "test").glob("*.txt"))] if path.is_dir() else []


def scene_of(source: str, eth_ucy_root: str | None) -> Scene:
    kind, _, name = source.partition(":")
    if kind == "synthetic":
        return synthetic_scene(name)
    return eth_ucy_scene(str(Path(str(eth_ucy_root)).expanduser()), name)


def fits(model: TrajModel, source: str) -> bool:
    """The model was trained for this kind of scene: synthetic crowds, or held out this ETH/UCY scene."""
    kind, _, name = source.partition(":")
    if kind == "eth_ucy":
        return not model.synthetic and model.split == name
    return model.synthetic


def saw_scene(model: TrajModel, source: str) -> bool:
    """An ETH/UCY model of another split was trained on this very scene (its errors flatter it)."""
    kind, _, name = source.partition(":")
    return kind == "eth_ucy" and not model.synthetic and model.split != name


def partner(models: list[TrajModel], model: TrajModel) -> TrajModel | None:
    """The same kind of model with the pooling switch flipped (noise kept), if one was trained."""
    for m in models:
        if (m.synthetic == model.synthetic and (m.synthetic or m.split == model.split)
                and m.noise_dim > 0 and m.pooling != model.pooling):
            return m
    return None


def forecast(model: TrajModel, scene: Scene, windows: np.ndarray, *, k: int, seed: int,
             alone: bool = False) -> torch.Tensor:
    """k futures (k, N, T_pred, 2) of the chosen windows, cached per model, scene, windows, k, seed."""
    key = (model.sha, scene.key, tuple(int(w) for w in windows), k, seed, alone)
    return _forecasts.get(key, lambda: forecast_window(generator(model), scene.windows.subset(windows),
                                                       k=k, seed=seed, alone=alone))
