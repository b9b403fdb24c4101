"""Streamlit helpers shared by the four Explore pages: model picker, cached models, image rows.

Checkpoints come from ``checkpoints/`` + ``runs/``, or only from ``$GAN_CLASSROOM_CHECKPOINTS``
when that is set (the tests point it at small random-weight models).
"""
from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw, ImageFont

from gan_core import checkpoints
from gan_core import explore as core
from gan_core.classroom import limits
from gan_core.images import make_grid, png_bytes, upscale
from gan_core.training.family import SAMPLES_Z
from ui.i18n import fmt, t

CHECKPOINTS_ENV = "GAN_CLASSROOM_CHECKPOINTS"
MAX_SEED = 99_999
_pngs = core.LRU(512)  # PNG bytes per (image content, layout)


def folders() -> tuple[Path, ...]:
    """Where this student's pickers look: the shipped models and their own saves (everyone's saves
    when the lecturer sets share_saves in .streamlit/classroom.toml)."""
    env = os.environ.get(CHECKPOINTS_ENV)
    if env:
        return (Path(env),)
    from gan_core.saves import student_folder
    from ui.runs import student_id

    own = checkpoints.runs_dir() if limits().share_saves else student_folder(student_id())
    return checkpoints.SHIPPED_DIR, own


def infos() -> list[checkpoints.CheckpointInfo]:
    return core.gan_infos(*folders())


def shipped(info: checkpoints.CheckpointInfo) -> bool:
    """A model that comes with the app (or, under $GAN_CLASSROOM_CHECKPOINTS, stands in for one)."""
    return info.shipped or bool(os.environ.get(CHECKPOINTS_ENV))


def origin(info: checkpoints.CheckpointInfo) -> str:
    """Translated tag telling shipped models, the student's saves and classmates' saves apart."""
    if shipped(info):
        return t("explore.origin_shipped")
    from ui.runs import student_id

    return t("explore.origin_yours") if info.path.parent.name == student_id() else t("explore.origin_class")


def _pick(label: str, choices: list[checkpoints.CheckpointInfo], *, key: str, prefer: Sequence[str]):
    """A selectbox over checkpoints identified by path (two saves may share a name); ``prefer``
    names shipped models only, so a student's save called "mnist_dcgan" never takes their place."""
    paths = [str(i.path) for i in choices]
    by_path = dict(zip(paths, choices))
    preferred = {i.name: str(i.path) for i in choices if shipped(i)}
    start = next((paths.index(preferred[p]) for p in prefer if p in preferred), 0)
    labels = {p: f"{i.name} · {i.family} · {origin(i)}" for p, i in by_path.items()}  # made once, in the script
    chosen = st.selectbox(label, paths, index=start, key=key, format_func=labels.__getitem__)
    return by_path[chosen]


@st.cache_resource(show_spinner=False, max_entries=16)
def _load(stem: str, stamp: float) -> core.Model:
    return core.load_model(stem)  # shared by every session: eval mode, frozen, never trained


def load(stem: str | Path) -> core.Model:
    """The model behind a checkpoint stem, loaded once per file version."""
    weights, sidecar = checkpoints.files_of(stem)
    return _load(str(stem), max(weights.stat().st_mtime, sidecar.stat().st_mtime))


def model_picker(key: str, *, needs: str | None = None, prefer: Sequence[str] = (),
                 label: str | None = None) -> core.Model | None:
    """A selectbox of generator checkpoints (those whose family can do ``needs``, a capability of
    ``gan_core.training.family``); returns the loaded model, or None with a message."""
    choices = [i for i in infos() if needs is None or needs in i.capabilities]
    if not choices:
        st.info(t("explore.no_model"))
        return None
    info = _pick(label or t("explore.model"), choices, key=key, prefer=prefer)
    try:
        return load(info.path)
    except (checkpoints.CheckpointError, OSError) as exc:
        st.error(t("explore.load_error", name=info.name, error=exc))
        return None


def seed_box(key: str, *, label: str | None = None, default: int = 0) -> int:
    """A bounded integer box; anything odd in session state falls back to ``default``."""
    value = st.session_state.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        st.session_state[key] = default
    return int(st.number_input(label or t("explore.seed"), min_value=0, max_value=MAX_SEED, step=1,
                               key=key, help=t("explore.seed_help")))


def numbered_grid(images: np.ndarray, *, nrow: int, scale: int = 3) -> bytes:
    """PNG of the tiled images with each tile's number in its top-left corner (pick-by-number)."""
    def draw_png() -> bytes:
        pic = Image.fromarray(upscale(make_grid(images, nrow=nrow), scale)).convert("RGB")
        draw = ImageDraw.Draw(pic)
        font = ImageFont.load_default(size=16)  # bigger than the 10 px bitmap default
        h, w = images.shape[1] * scale, images.shape[2] * scale
        pad = 2 * scale  # make_grid's 2-pixel border, upscaled
        for i in range(len(images)):
            r, c = divmod(i, nrow)
            x, y = pad + c * (w + pad), pad + r * (h + pad)
            draw.rectangle([x, y, x + 8 + 10 * len(str(i)), y + 20], fill=(29, 78, 216))
            draw.text((x + 4, y + 1), str(i), fill=(255, 255, 255), font=font)
        buf = io.BytesIO()
        pic.save(buf, format="PNG", compress_level=1)
        return buf.getvalue()

    return _pngs.get(("numbered", core.digest(images), nrow, scale), draw_png)


def png(images: np.ndarray, *, nrow: int, scale: int) -> bytes:
    """PNG bytes of the tiled, upscaled images, cached per content (st.image then skips encoding)."""
    return _pngs.get((core.digest(images), nrow, scale), lambda: png_bytes(images, nrow=nrow, scale=scale))


def show(images: np.ndarray, *, nrow: int, scale: int = 3, caption: str | None = None) -> None:
    st.image(png(images, nrow=nrow, scale=scale), caption=caption, width="content", output_format="PNG")


def row_with_captions(images: np.ndarray, captions: Sequence[str], *, scale: int = 3) -> None:
    """One st.image per column, each with its caption underneath."""
    for col, img, cap in zip(st.columns(len(images)), images, captions):
        col.image(png(img, nrow=1, scale=scale), caption=cap, width="content", output_format="PNG")


@st.cache_resource(show_spinner=False, max_entries=4)
def _training_images(stem: str, stamp: float) -> object:
    return core.training_images(_load(stem, stamp))


def training_images(model: core.Model) -> np.ndarray | None:
    """The model's training images (shared, read-only), or None when not on this machine."""
    weights, sidecar = checkpoints.files_of(model.stem)
    return _training_images(model.stem, max(weights.stat().st_mtime, sidecar.stat().st_mtime))


def _fmt(value: object, spec: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—"
    try:
        return fmt(value, spec)
    except ValueError:  # e.g. a float where an int was expected
        return fmt(value, ".3g")


def comparison_frame():
    """The gallery's model table with translated column headers."""
    import pandas as pd

    rows = core.comparison_rows(infos())
    cols = {
        "name": t("explore.col_name"), "data": t("explore.col_data"),  # the family is in the name
        "fid": t("explore.col_fid"), "coverage": t("explore.col_coverage"),
        "confidence": t("explore.col_confidence"), "label_accuracy": t("explore.col_label_accuracy"),
        "params_g": t("explore.col_params"), "train_seconds": t("explore.col_time"), "steps": t("explore.col_steps"),
    }
    specs = {"fid": ".2f", "coverage": "d", "confidence": ".3f", "label_accuracy": ".1%", "params_g": ",",
             "train_seconds": ".0f", "steps": ","}
    table = [{cols[k]: (_fmt(r[k], specs[k]) if k in specs else r[k]) for k in cols} for r in rows]
    return pd.DataFrame(table, columns=list(cols.values()))


def unconditional_sweep(*, key: str, default_dim: int, values: np.ndarray, rows: int, seed: int) -> None:
    """An unconditional GAN's latent dimension swept over ``values`` (rows: different noise)."""
    others = [i for i in infos() if SAMPLES_Z in i.capabilities]
    if not others:
        st.info(t("explore.no_unconditional"))
        return
    info = _pick(t("explore.compare_model"), others, key=f"{key}_model", prefer=("mnist_dcgan",))
    name = info.name
    model = load(info.path)
    dim = int(st.number_input(t("explore.latent_dim", n=model.z_dim), min_value=0, max_value=model.z_dim - 1,
                              value=min(default_dim, model.z_dim - 1), step=1, key=f"{key}_dim_{name}"))
    z = core.pool(model, rows, seed=seed)
    images = core.dimension_sweep(model, z, dim=min(dim, model.z_dim - 1), values=values)
    show(images, nrow=len(values), scale=2, caption=t("explore.sweep_caption", name=name, dim=dim))


def walk_gif(model: core.Model, points: np.ndarray, steps: int):
    """A callable for ``st.download_button(data=...)``: the GIF is made only when clicked."""
    import torch

    pts = torch.from_numpy(points.copy())
    return lambda: core.walk_gif(model, pts, steps)


def norm_chart(lerp_norms: np.ndarray, slerp_norms: np.ndarray) -> dict:
    """Vega-Lite spec: |z| along the walk for lerp and slerp (inline data, translated titles)."""
    ts = np.linspace(0.0, 1.0, len(lerp_norms))
    names = (t("explore_latent.norm_lerp"), t("explore_latent.norm_slerp"))
    values = [{"t": round(float(x), 3), "norm": round(float(n), 3), "method": name}
              for name, norms in zip(names, (lerp_norms, slerp_norms)) for x, n in zip(ts, norms)]
    return {
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "strokeWidth": 3},
        "encoding": {
            "x": {"field": "t", "type": "quantitative", "title": t("explore_latent.norm_x")},
            "y": {"field": "norm", "type": "quantitative", "title": t("explore_latent.norm_y"),
                  "scale": {"zero": False}},
            "color": {"field": "method", "type": "nominal", "title": None},
        },
    }


_nearest = core.LRU(64)


def nearest(samples: np.ndarray, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``core.nearest_real`` cached per (samples, training set)."""
    return _nearest.get((core.digest(samples), id(real), len(real)), lambda: core.nearest_real(samples, real))


@st.cache_data(show_spinner=False, max_entries=16)
def _timeline(stem: str, stamp: float) -> tuple[np.ndarray, np.ndarray] | None:
    return core.load_timeline(stem)


def timeline(model: core.Model) -> tuple[np.ndarray, np.ndarray] | None:
    path = Path(model.stem + ".timeline.npz")
    return _timeline(model.stem, path.stat().st_mtime if path.is_file() else 0.0)
