"""Streamlit helpers of the Style studio: two-way translators chosen by capability, cached models
and round trips, the upload gate (``gan_core.data.image_io``) with translated messages, result rows.

Checkpoints come from the same folders as the Explore pages (``ui.explore_widgets.folders``:
``checkpoints/`` + ``runs/``, or only ``$GAN_CLASSROOM_CHECKPOINTS``). Models are loaded once per
file version and shared by every session (eval mode, no gradients, never trained).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
import streamlit as st
from torch import nn

from gan_core import checkpoints, style
from gan_core.classroom import limits
from gan_core.data.image_io import UPLOAD_LIMITS, ImageLimits, ImageRejected, LoadedImage, load_image
from gan_core.explore import LRU, digest
from gan_core.images import png_bytes
from gan_core.training.family import TRANSLATES_BOTH_WAYS
from ui import explore_widgets as ew
from ui.i18n import fmt, t

NS = "img2img_style"
MAX_SIDE = 512  # every picture is worked on at this long side (larger ones are downscaled, with a note)
PREFER = ("cyclegan_photo_cartoon",)
UPLOAD_TYPES = ("jpg", "jpeg", "png", "webp", "gif")
HEAT_MAX = 0.25  # the heat map's brightest colour: off by a quarter of the range or more
_results = LRU(64)  # round trips per (model, picture)
_pngs = LRU(64)


@dataclass(frozen=True)
class Translator:
    """A loaded two-way model: G_AB (A -> B) and G_BA (B -> A)."""

    name: str
    g_ab: nn.Module
    g_ba: nn.Module
    meta: dict


def infos() -> list[checkpoints.CheckpointInfo]:
    found = [i for i in checkpoints.list_checkpoints(*ew.folders()) if TRANSLATES_BOTH_WAYS in i.capabilities]
    return sorted(found, key=lambda i: (i.path.name not in PREFER, i.path.name))


@st.cache_resource(show_spinner=False, max_entries=8)
def _load(stem: str, stamp: float) -> Translator:
    ckpt = checkpoints.load(stem)
    if not {"G_AB", "G_BA"} <= set(ckpt.modules):
        raise checkpoints.CheckpointError(f"{ckpt.path}: no G_AB and G_BA in this checkpoint")
    g_ab, g_ba = (ckpt.modules[k].eval().requires_grad_(False) for k in ("G_AB", "G_BA"))
    return Translator(name=ckpt.path.name, g_ab=g_ab, g_ba=g_ba, meta=ckpt.meta)


def load(info: checkpoints.CheckpointInfo) -> Translator | None:
    """The model behind ``info``, or None with a translated message."""
    weights, sidecar = checkpoints.files_of(info.path)
    try:
        return _load(str(info.path), max(weights.stat().st_mtime, sidecar.stat().st_mtime))
    except (checkpoints.CheckpointError, OSError) as exc:
        st.error(t(f"{NS}.load_error", name=info.path.name, error=str(exc)))
        return None


def picker(key: str) -> Translator | None:
    choices = infos()
    if not choices:
        st.info(t(f"{NS}.no_model"))
        return None
    by_name = {i.path.name: i for i in choices}
    name = st.selectbox(t(f"{NS}.model"), list(by_name), key=key)
    return load(by_name[name])


@st.cache_resource(show_spinner=False)
def examples() -> dict[str, np.ndarray]:
    """Held-out photos (never trained on) by title, at MAX_SIDE, read once per process."""
    from gan_core.data.photos import example_photos, load_photo

    return {s.title: load_photo(s, max_side=MAX_SIDE) for s in example_photos()}


@st.cache_resource(show_spinner=False, max_entries=32)
def filter_cartoon(picture_digest: str, _picture: np.ndarray) -> np.ndarray:
    from gan_core.data.cartoon import cartoonize

    return cartoonize(_picture)


def cartoon_of(picture: np.ndarray) -> np.ndarray:
    """The classical filter's cartoon of ``picture`` (cached per content)."""
    return filter_cartoon(digest(picture), picture)


def message(exc: ImageRejected) -> str:
    """A rejected file's reason and what to do, in the reader's language."""
    params = {**exc.params, "allowed": ", ".join(f.upper() for f in UPLOAD_TYPES if f != "jpeg")}
    return t(f"{NS}.err_{exc.code}", **params)


def note_text(code: str, params: dict) -> str:
    return t(f"{NS}.note_{code}", **params)


def upload_limits() -> ImageLimits:
    """UPLOAD_LIMITS with the classroom's byte cap ([limits] upload_mb in .streamlit/classroom.toml)."""
    return dataclasses.replace(UPLOAD_LIMITS, max_bytes=limits().upload_bytes)


def read_upload(upload) -> LoadedImage | None:
    """Validate an uploaded file before any model sees it: the picture, or None with a message."""
    try:
        loaded = load_image(upload, max_side=MAX_SIDE, limits=upload_limits())
    except ImageRejected as exc:
        st.error(message(exc), icon=":material/block:")
        return None
    for note in loaded.notes:
        st.info(note_text(note.code, dict(note.params)), icon=":material/info:")
    return loaded


def round_trip(model: Translator, picture: np.ndarray, *, forward: bool) -> tuple[style.RoundTrip, float]:
    """(x -> G(x) -> F(G(x)), seconds it took when first made); forward=False runs B -> A -> B."""
    def make() -> tuple[style.RoundTrip, float]:
        start = time.perf_counter()
        g, f = (model.g_ab, model.g_ba) if forward else (model.g_ba, model.g_ab)
        result = style.round_trip(g, f, picture)
        return result, time.perf_counter() - start

    return _results.get((model.name, forward, digest(picture)), make)


def png(picture: np.ndarray) -> bytes:
    return _pngs.get(digest(picture), lambda: png_bytes(picture, nrow=1))


def show_round_trip(trip: style.RoundTrip, *, labels: tuple[str, str, str], key: str, file_name: str) -> None:
    """input | translated | translated back | heat map, the cycle error, and a download button."""
    cols = st.columns(4)
    for col, picture, label in zip(cols, (trip.source, trip.translated, trip.back), labels):
        col.image(png(picture), caption=label, width="stretch")
    cols[3].image(png(style.heat_rgb(trip.heat, vmax=HEAT_MAX)), width="stretch",
                  caption=t(f"{NS}.heat_caption", error=trip.error, vmax=HEAT_MAX))
    st.download_button(t(f"{NS}.download", what=labels[1]), data=png(trip.translated), file_name=file_name,
                       mime="image/png", key=key, icon=":material/download:", on_click="ignore")


def metric_value(metrics: dict, key: str) -> str:
    value = metrics.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—"
    return fmt(value, ".3f")



_flips = LRU(4)


def colour_flips() -> tuple[str, np.ndarray, np.ndarray, np.ndarray] | None:
    """(title, photo, G_on(photo), G_off(photo)) for the example photo whose cartoon's colours move
    furthest when the identity loss is off; None when the two ablation models are not installed."""
    roles = style.variants(infos())
    if "identity_on" not in roles or "identity_off" not in roles:
        return None
    on, off = load(roles["identity_on"]), load(roles["identity_off"])
    photos = examples()
    if on is None or off is None or not photos:
        return None

    def pick() -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
        rows = [(title, p, style.translate(on.g_ab, p), style.translate(off.g_ab, p)) for title, p in photos.items()]
        return max(rows, key=lambda r: style.colour_shift(r[1], r[3]) - style.colour_shift(r[1], r[2]))

    return _flips.get((on.name, off.name, tuple(photos)), pick)


_fields = LRU(8)


def receptive_field(model: Translator) -> int:
    """Width in pixels of the input window one output pixel of G_AB depends on (measured by backprop)."""
    from gan_core.receptive_field import measure_receptive_field

    def measure() -> int:
        _top, left, _bottom, right = measure_receptive_field(model.g_ab, input_size=256)
        return right - left + 1

    return _fields.get(model.name, measure)
