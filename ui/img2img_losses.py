"""Streamlit helpers of the "GAN vs MAE" page: which pix2pix checkpoints exist, cached generators and
outputs, the metric table, variant names, drawing canvases. The maths lives in gan_core.img2img."""
from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw
from torch import nn

from gan_core import checkpoints
from gan_core import img2img as core
from gan_core.explore import LRU, digest
from gan_core.image_metrics import sharpness
from ui import explore_widgets as ew
from ui.i18n import t

NS = "img2img_losses"
TASKS = ("completion", "superres")  # the tasks the page shows (edges: trained only if the budget allows)
WHOLE = 28  # px: a discriminator whose receptive field reaches this far judges the whole digit
_outputs = LRU(256)


def _stamp(info: checkpoints.CheckpointInfo) -> float:
    weights, sidecar = checkpoints.files_of(info.path)
    return max(weights.stat().st_mtime, sidecar.stat().st_mtime)


@st.cache_data(show_spinner=False, ttl=10, max_entries=8)
def _infos(folders: tuple[str, ...]) -> list[checkpoints.CheckpointInfo]:
    # one scan of the folders per 10 s, not one per section and rerun
    return sorted(checkpoints.list_checkpoints(*folders), key=lambda i: (not i.shipped, i.path.name))


def variants(task: str) -> dict[str, checkpoints.CheckpointInfo]:
    """{variant key: checkpoint} for ``task``; shipped checkpoints win over runs with the same recipe."""
    return core.find_variants(_infos(tuple(str(f) for f in ew.folders())), task)


@st.cache_resource(show_spinner=False, max_entries=32)
def _generator(stem: str, stamp: float) -> nn.Module:
    G = checkpoints.load(stem).modules["G"].eval()  # shared by every session: never trained
    return G.requires_grad_(False)


def generator(info: checkpoints.CheckpointInfo) -> nn.Module:
    return _generator(str(info.path), _stamp(info))


def outputs(info: checkpoints.CheckpointInfo, inputs: np.ndarray) -> np.ndarray | None:
    """uint8 (N, 28, 28) of one variant on uint8 inputs (N, C, 28, 28), cached; None if unreadable."""
    try:
        key = (str(info.path), _stamp(info), digest(inputs))
        return _outputs.get(key, lambda: core.predict(generator(info), inputs))
    except (checkpoints.CheckpointError, OSError, RuntimeError, KeyError) as exc:
        st.error(t(f"{NS}.load_error", name=info.path.name, error=exc))
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def held(task: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return core.held_out(task, n, seed)


@st.cache_data(show_spinner=False, max_entries=64)
def _row(task: str, key: str, stem: str, stamp: float, n: int) -> dict:
    """One variant's metric row computed here (a run without stored metrics, bicubic, the truth)."""
    inputs, targets, labels = core.held_out(task, n, 0)
    if key == "truth":  # only its own sharpness is worth a number (it is perfect on the rest)
        return {"sharpness": round(sharpness(targets[:, core.region(task)]), 4), "detail": 1.0, "ink": 1.0}
    if key == "bicubic":
        out = core.bicubic_baseline(inputs)[:, 0]
    else:
        out = core.predict(_generator(stem, stamp), inputs)
    return {**core.metric_table(out, targets, labels, task), **core.frequency_split(out, targets, task),
            "ink": core.ink_share(out, targets, task)}


@st.cache_data(show_spinner=False, max_entries=64)
def _ink(task: str, stem: str, stamp: float, n: int) -> float:
    """A variant's ink share on the table's n held-out pairs (sidecars do not store it; G only, cheap)."""
    inputs, targets, _ = core.held_out(task, n, 0)
    return core.ink_share(core.predict(_generator(stem, stamp), inputs), targets, task)


@st.cache_data(show_spinner=False, max_entries=4)
def majority_ink(task: str) -> tuple[int, int]:
    """(k, n): hidden pixels that are ink in more than half of the training digits (see gan_core.img2img)."""
    return core.majority_ink_pixels(task)


def steps(found: dict[str, checkpoints.CheckpointInfo]) -> dict[str, int]:
    """{variant key: training steps from its run config} (missing when the config does not say)."""
    return {k: int(i.train_config["steps"]) for k, i in found.items() if "steps" in (i.train_config or {})}


def table(task: str, found: dict[str, checkpoints.CheckpointInfo], keys: Sequence[str]) -> dict[str, dict]:
    """Metric rows (with the frequency split) of the chosen variants on the same EVAL_N held-out pairs:
    the numbers a checkpoint's sidecar holds when it was evaluated that way (shipped models), else
    computed here once. Every row also gets "ink" (core.ink_share), which sidecars do not store. The keys
    "truth" and "bicubic" add the real images and the classical baseline."""
    n = core.table_n(task)
    rows: dict[str, dict] = {}
    for key in keys:
        info = found.get(key)
        if info is None and key not in ("truth", "bicubic"):
            continue
        stored = info.metrics if info is not None else {}
        wanted = core.row_keys(task)
        stem, stamp = (str(info.path), _stamp(info)) if info is not None else ("", 0.0)
        if stored.get("n") == n and all(k in stored for k in wanted):
            rows[key] = {k: stored[k] for k in wanted}
            rows[key]["ink"] = stored["ink"] if "ink" in stored else _ink(task, stem, stamp, n)
        else:
            rows[key] = _row(task, key, stem, stamp, n)
    return rows


def names(keys: Sequence[str], prefix: str | None = None) -> dict[str, str]:
    """{key: text} fixed while the page runs (a widget's format_func may be called later, outside the
    run, where the reader's language is unknown): ``t(prefix + key)``, or the variant label."""
    return {k: t(f"{NS}.{prefix}{k}") if prefix is not None else label(k) for k in keys}


def label(key: str) -> str:
    """A variant's name for people: "L1 + cGAN (λ = 100) · D 1×1 px", from its key or its parts."""
    if key in ("truth", "bicubic"):
        return t(f"{NS}.v_{key}")
    base, _, rest = key.partition("_")
    parts = rest.split("_") if rest else []
    if base.startswith("l1cgan"):  # "λ = 100" never broken across lines
        name = t(f"{NS}.loss_l1_cgan", lam=base[len("l1cgan"):]).replace(" = ", "\u00a0=\u00a0")
    elif base in ("l1", "cgan", "gan", "srgan", "features"):
        name = t(f"{NS}.loss_{base}")
    else:
        name = key
    for part in parts:
        if part == "noskip":
            name += " · " + t(f"{NS}.no_skips")
        elif part.startswith("d"):
            name += " · " + d_label(key)
    return name


def d_label(key: str) -> str:
    """The discriminator part of a variant's name alone ("D sees 16 px"); without a "_d..." part a
    variant has the default D, the one-layer patch."""
    d = next((p[1:] for p in key.split("_")[1:] if p.startswith("d")), "patch1")
    field = core.d_field(d)
    if field is not None and field >= WHOLE:
        return t(f"{NS}.d_whole")
    return t(f"{NS}.d_field", px=field if field is not None else "?")


# -- drawing ------------------------------------------------------------------------------------
def canvas_background(task: str, size: int) -> bytes:
    """PNG guide under the drawing canvas: the hidden lower half shaded (completion) or a 7x7 grid."""
    pic = Image.new("RGB", (size, size), (0, 0, 0))
    draw = ImageDraw.Draw(pic)
    if task == "completion":
        draw.rectangle([0, size // 2, size, size], fill=(60, 60, 60))
        draw.line([0, size // 2, size, size // 2], fill=(200, 60, 60), width=3)
    else:
        for i in range(1, 7):
            xy = i * size // 7
            draw.line([xy, 0, xy, size], fill=(70, 70, 70), width=1)
            draw.line([0, xy, size, xy], fill=(70, 70, 70), width=1)
    buf = io.BytesIO()
    pic.save(buf, format="PNG")
    return buf.getvalue()


def canvas(key: str, *, task: str | None, size: int, stroke: int, height: int | None = None) -> np.ndarray | None:
    """A drawing canvas (white ink on black); RGBA uint8 (H, W, 4) of the strokes, or None before
    anything is drawn or when the component is unavailable."""
    from streamlit.errors import StreamlitAPIException

    background = canvas_background(task, size) if task else None
    try:
        from streamlit_drawable_canvas import st_canvas

        result = st_canvas(stroke_width=stroke, stroke_color="#ffffff", background_color="#000000",
                           background_image=background, height=height or size, width=size,
                           drawing_mode="freedraw", return_image_data=True, key=key)
    except (ImportError, StreamlitAPIException):  # not installed, or its frontend files not registered
        st.caption(t(f"{NS}.no_canvas"))
        return None
    data = result.image_data
    if data is None or not result.json_data or not result.json_data.get("objects"):
        return None
    return np.asarray(data, dtype=np.uint8)
