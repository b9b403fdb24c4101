"""Watching a run the lecturer shared: the same live view for the whole room, read-only.

Thirty students watching cost about one: every reader gets the run's one shared snapshot object
(``Run.snapshot`` builds it once per change), the figure is built from it once per version and
kept in ``st.cache_data``, and a watcher has no button that reaches the run. A student may fork the
run's settings into their own Train page (a new run of their own, when a slot is free).
"""
from __future__ import annotations

import streamlit as st

from gan_core.images import png_bytes
from gan_core.training.run import ALIVE, Run, Snapshot
from ui import runs as R
from ui import train_controls as C
from ui.i18n import plotly_separators, t
from ui.train_figures import Series, training_figure

CODE_KEY = "watch_code"
FIGURE_NAMES = ("loss", "d_out", "grad_norm", "step", "d_loss", "g_loss", "d_real", "d_fake", "d_grad", "g_grad",
                "equilibrium")


def code_from_link() -> None:
    """`?watch=ABCD` in the link fills the code box (a lecturer's slide link)."""
    linked = st.query_params.get("watch")
    if linked and CODE_KEY not in st.session_state:
        st.session_state[CODE_KEY] = str(linked).upper()


def shared_run() -> Run | None:
    code = str(st.session_state.get(CODE_KEY, "")).strip().upper()
    return R.get_pool().shared(code) if code else None


def _pick(code: str) -> None:
    st.session_state[CODE_KEY] = code


def code_picker() -> None:
    st.text_input(t("train_watch.code"), key=CODE_KEY, max_chars=4, help=t("train_watch.code_help"))
    codes = sorted(R.get_pool().shared_codes())
    if codes:
        st.caption(t("train_watch.shared_now"))
        bar = st.container(horizontal=True)
        for code in codes:
            bar.button(code, key=f"watch_pick_{code}", on_click=_pick, args=(code,))


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(run_key: int, version: int, lang: str, _snap: Snapshot):
    """The curves of one version of a run, built once for every watcher of that version (shared,
    never mutated: st.plotly_chart only reads it)."""
    labels = {n: t(f"train.fig_{n}") for n in FIGURE_NAMES}
    fig = training_figure([Series(label=t("train_watch.series"), history=_snap.history)], labels)
    return fig.update_layout(separators=plotly_separators())


@st.cache_data(show_spinner=False, max_entries=64)
def _grid_png(run_key: int, step: int, _grid) -> bytes:
    return png_bytes(_grid, scale=3)


def fork(run: Run) -> None:
    """Copy the watched run's settings into this student's Train page."""
    for field, widget in C.KEYS.items():
        st.session_state[widget] = C._widget_value(field, run.config)
    st.session_state["train_forked"] = True


def draw(run: Run) -> None:
    """The live view (the body of the polling fragment)."""
    snap = run.snapshot()
    status = t("train.status_idle") if snap.stop_reason == "idle" else t(f"train.status_{snap.status}")
    cols = st.columns([3, 3, 2, 2], vertical_alignment="bottom")
    cols[0].badge(status, color="green" if snap.status == "running" else "gray")
    cols[1].metric(t("train.metric_step"), f"{snap.step} / {snap.budget}")
    cols[2].metric(t("train.metric_speed"), f"{snap.steps_per_s:.0f}" if snap.steps_per_s else "-")
    cols[3].metric(t("train.metric_device"), snap.device)
    st.caption(t("train_watch.read_only"))
    left, right = st.columns([2, 3])
    with left:
        if snap.latest_grid is not None:
            st.image(_grid_png(id(run), snap.frames[-1][0], snap.latest_grid), width="stretch",
                     caption=t("train.live_caption", step=snap.step), output_format="PNG")  # sent as encoded
    with right:
        if snap.history.get("step"):
            st.plotly_chart(_figure(id(run), run.version, st.session_state.get("lang", "en"), snap),
                            key="watch_curves", width="stretch")
    if snap.status not in ALIVE:
        st.info(t("train_watch.ended"))


def live(run: Run) -> None:
    alive = run.status in ALIVE

    def body() -> None:
        draw(run)
        if alive and run.status not in ALIVE:
            st.rerun()

    st.fragment(body, run_every=R.POLL_S if alive else None, key="watch_live")()
