"""Keep a run: save it as a checkpoint in runs/, download it, its grid, its film strip, its code.

Downloads pass a *callable* to ``st.download_button``: the bytes are made only when a student
clicks, never on each rerun. Checkpoints go through ``Run.save``, which waits for the step in
progress, so a running, paused or ended run is always saved whole.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from gan_core.checkpoints import REPO_ROOT
from gan_core.images import film_strip_gif, png_bytes
from gan_core.saves import SaveError, save_run, student_folder, unique_name
from gan_core.training.export import export_script, recipe_of
from ui import runs as R
from ui.i18n import t


def base_name(entry: R.RunEntry) -> str:
    c = entry.config
    return f"{c.dataset}_{c.model}_{c.loss}_s{c.seed}".replace("-", "")


def default_name(entry: R.RunEntry) -> str:
    """A name no save of this student has yet (two students never share a folder)."""
    return unique_name(student_folder(R.student_id()), base_name(entry))


def _metrics(entry: R.RunEntry) -> dict:
    """The last quality evaluation travels with the checkpoint (gallery shows it)."""
    quality = [q for q in entry.run.snapshot(touch=False).quality if "fid" in q]
    return {k: quality[-1][k] for k in ("fid", "coverage", "class_hist", "confidence")} if quality else {}


def _save(entry: R.RunEntry, name_key: str, replace_key: str) -> None:
    name = st.session_state.get(name_key, "").strip()
    try:
        stem = save_run(entry.run, student=R.student_id(), name=name, replace=bool(st.session_state.get(replace_key)),
                        metrics=_metrics(entry), recipe=recipe_of(entry.config, f"runs/{name}"))
    except SaveError as err:
        st.session_state["train_save_msg"] = ("error", t(f"train.save_{err.code}", **err.params))
        return
    shown = stem.relative_to(REPO_ROOT) if stem.is_relative_to(REPO_ROOT) else stem
    st.session_state["train_save_msg"] = ("success", t("train.saved", path=str(shown)))


def checkpoint_zip(entry: R.RunEntry) -> bytes:
    """A zip of <name>.safetensors + <name>.json, saved to a temporary folder (not to runs/)."""
    name = base_name(entry)
    with tempfile.TemporaryDirectory() as tmp:
        stem = entry.run.save(Path(tmp) / name, metrics=_metrics(entry),
                              recipe=recipe_of(entry.config, f"runs/{name}"))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for suffix in (".safetensors", ".json"):
                zf.write(str(stem) + suffix, arcname=name + suffix)
    return buf.getvalue()


def grid_png(entry: R.RunEntry) -> bytes:
    grid = entry.run.snapshot(touch=False).latest_grid
    return png_bytes(grid, scale=2) if grid is not None else b""


def strip_gif(entry: R.RunEntry) -> bytes:
    frames = entry.run.snapshot(touch=False).frames
    return film_strip_gif(frames, scale=2) if frames else b""


def keep_section(entry: R.RunEntry) -> None:
    """Save / download / export for the selected run."""
    snap = entry.run.snapshot(touch=False)
    st.subheader(t("train.keep", run=f"#{entry.number}"))
    ready = entry.run.trainer is not None and bool(snap.frames)
    if not ready:
        st.caption(t("train.keep_not_ready"))
    name_key, replace_key = f"train_save_name_{entry.number}", f"train_save_replace_{entry.number}"
    if name_key not in st.session_state:
        st.session_state[name_key] = default_name(entry)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.text_input(t("train.save_name"), key=name_key, help=t("train.save_name_help"))
    right.button(t("train.save"), key="train_save", on_click=_save, args=(entry, name_key, replace_key),
                 disabled=not ready, icon=":material/save:", width="stretch")
    st.checkbox(t("train.save_replace"), key=replace_key)
    message = st.session_state.pop("train_save_msg", None)
    if message:
        getattr(st, message[0])(message[1])
    name = base_name(entry)
    cols = st.columns(4)
    cols[0].download_button(t("train.download_checkpoint"), lambda: checkpoint_zip(entry),
                            file_name=f"{name}.zip", mime="application/zip", disabled=not ready,
                            key="train_dl_ckpt", on_click="ignore", icon=":material/download:")
    cols[1].download_button(t("train.download_png"), lambda: grid_png(entry), file_name=f"{name}.png",
                            mime="image/png", disabled=not ready, key="train_dl_png",
                            on_click="ignore", icon=":material/image:")
    cols[2].download_button(t("train.download_gif"), lambda: strip_gif(entry), file_name=f"{name}.gif",
                            mime="image/gif", disabled=not ready, key="train_dl_gif",
                            on_click="ignore", icon=":material/movie:")
    stopped_early = snap.status in ("stopped", "paused") and 0 < snap.step < snap.budget
    script = export_script(entry.config, out=f"runs/{name}", steps=snap.step if stopped_early else None)
    cols[3].download_button(t("train.download_script"), script, file_name=f"{name}.py",
                            mime="text/x-python", key="train_dl_py", on_click="ignore",
                            icon=":material/code:")
    with st.expander(t("train.export_code")):
        st.caption(t("train.export_code_help"))
        st.code(script, language="python")
