"""Cached models and pictures behind the deepfake page (shared by every session, read-only), and a
checkpoint picker by capability (the swap and detector checkpoints are not generators, so the Explore
pages' picker does not list them).

Checkpoints come from ``checkpoints/`` + ``runs/``, or only from ``$GAN_CLASSROOM_CHECKPOINTS``
(``ui.explore_widgets.folders``), so tests can point the page at small random-weight models.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from gan_core import checkpoints
from gan_core import explore as core
from gan_core.fake_sources import DigitGenerator, digit_generators
from ui.explore_widgets import folders
from ui.i18n import t

REAL_POOL = 1000  # held-out real digits available to the game and the detector table
TABLE_N = 500  # pictures per generator (and real ones) in the detector table
TABLE_SEED = 10_000  # fresh noise: not the detector's training stream
_scores = core.LRU(128)


def infos_with(capability: str) -> list[checkpoints.CheckpointInfo]:
    """Checkpoints whose family can do ``capability``, shipped ones first, then by name."""
    infos = [i for i in checkpoints.list_checkpoints(*folders()) if capability in i.capabilities]
    return sorted(infos, key=lambda i: (not i.shipped, i.path.name))


def _stamp(stem) -> float:
    weights, sidecar = checkpoints.files_of(stem)
    return max(weights.stat().st_mtime, sidecar.stat().st_mtime)


def picker(key: str, capability: str, *, label: str, prefer: Sequence[str] = ()) -> checkpoints.CheckpointInfo | None:
    """A selectbox of the checkpoints that can do ``capability``; None (and a message) when none can."""
    choices = infos_with(capability)
    if not choices:
        st.info(t("society_deepfakes.no_model"))
        return None
    names = [i.path.name for i in choices]
    index = next((names.index(p) for p in prefer if p in names), 0)
    name = st.selectbox(label, names, index=index, key=key)  # checkpoint names: identifiers, not translated
    return choices[names.index(name)]


@st.cache_resource(show_spinner=False, max_entries=8)
def _swap_model(stem: str, stamp: float):
    from gan_core.training.swap_step import assemble

    ckpt = checkpoints.load(stem)
    return assemble(dict(ckpt.modules), ckpt.config).requires_grad_(False), ckpt.meta


def swap_model(info: checkpoints.CheckpointInfo):
    """(SwapAutoencoder in eval mode, sidecar) of a swap checkpoint; CheckpointError if unreadable."""
    return _swap_model(str(info.path), _stamp(info.path))


@st.cache_resource(show_spinner=False, max_entries=8)
def _detector(stem: str, stamp: float):
    ckpt = checkpoints.load(stem)
    return ckpt.modules["detector"].eval().requires_grad_(False), ckpt.meta


def detector(info: checkpoints.CheckpointInfo):
    """(Detector in eval mode, sidecar) of a detector checkpoint."""
    return _detector(str(info.path), _stamp(info.path))


@st.cache_data(show_spinner=False, max_entries=8)
def held_out(n: int, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"A": (handwritten uint8 (n, 28, 28), labels), "B": (typeset, labels)}: pictures no swap trained on."""
    from gan_core.training.swap_step import held_out_data

    data = held_out_data(n, seed=seed)
    return {k: (v.images, np.asarray(v.labels)) for k, v in data.items()}


@st.cache_data(show_spinner=False, max_entries=4)
def real_pool(n: int = REAL_POOL, seed: int = 0) -> np.ndarray:
    from gan_core.spot_the_fake import real_digits

    return real_digits(n, seed=seed)


def generators() -> list[DigitGenerator]:
    """The digit generators available now (shipped, or the test folder)."""
    return digit_generators(*folders())


def scores(model, meta: dict, images: np.ndarray) -> np.ndarray:
    """The detector's P(generated) for each picture, cached per (detector weights, pictures)."""
    from gan_core.training.detector_step import score

    return _scores.get((meta.get("sha256"), core.digest(images)), lambda: score(model, images))


def fake_samples(gen: DigitGenerator, n: int, seed: int) -> np.ndarray:
    from gan_core.fake_sources import sample_digits

    return sample_digits(gen.stem, n, seed=seed)


def choice(widget, label: str, options: list, *, key: str, names: dict, **kwargs):
    """A radio or selectbox whose option labels are translated, keeping its choice across a language
    switch. The browser sends a choice back as its label, so a label that changes with the language
    would leave nothing selected: the widget's key carries the language (``<key>__<lang>``) and the
    choice itself is kept under ``key``."""
    from ui.i18n import current_lang

    value = st.session_state.get(key)
    if value not in options:
        value = options[0] if kwargs.get("index", 0) is not None else None
    kwargs["index"] = options.index(value) if value is not None else None
    picked = widget(label, options, key=f"{key}__{current_lang()}", format_func=names.__getitem__, **kwargs)
    st.session_state[key] = picked
    return picked
