"""The Train page: preset + run buttons, the live view (a polling fragment) and the keep section.

Flow (DESIGN.md): widgets -> ``TrainConfig`` -> ``ui.runs.submit`` (JobPool) -> the Run thread
trains -> ``@st.fragment(run_every=1s)`` reads ``snapshot()`` and draws. The script thread never
waits for training; buttons act through callbacks, so the page drawn after a click already shows
the new state.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from gan_core.images import png_bytes
from gan_core.metrics import MIN_SHARE
from gan_core.training.pool import QueueFull
from gan_core.training.presets import PRESETS
from gan_core.training.run import Snapshot
from gan_core.training.trainer import QUALITY_N, quality_every
from ui import runs as R
from ui import train_controls as C
from ui.i18n import current_lang, plotly_separators, t
from ui.train_figures import COLOURS, Series, coverage_figure, fid_figure, training_figure
from ui.train_keep import keep_section
from ui.train_why import why_panel

SELECTED_KEY = "train_selected"  # number of the run the buttons act on
FLASH_KEY = "train_flash"  # (kind, text) messages from callbacks, shown once
MIN_COVERED = 6  # fewer digits than this in the coverage histogram: mode collapse warning
PNG_CACHE_KEY = "_train_png_cache"
FIGURES_KEY = "_train_figures"  # figure name -> (key, figure) of the live view
GRID_SCALE = 3  # 8x8 MNIST grid 242 px -> 726 px: crisp when the browser shrinks it to the column


# -- callbacks (run before the script; they change state, the rerun draws it) ------------------
def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def _select(entry: R.RunEntry) -> None:
    st.session_state[SELECTED_KEY] = entry.number


def _start(*, paused: bool = False) -> R.RunEntry | None:
    config, problems = C.build_config()
    if config is None:
        for p in problems:
            _flash("error", p)
        return None
    if not R.can_add():
        _flash("warning", t("train.too_many_runs", n=R.MAX_RUNS))
        return None
    try:
        entry = R.submit(config, paused=paused)
    except QueueFull:
        _flash("warning", t("train.queue_full", n=R.get_pool().queued))
        return None
    _select(entry)
    return entry


def _on_start() -> None:
    _start()


def _on_step(which: str) -> None:
    entry = selected_entry()
    if entry is None or not entry.run.snapshot(touch=False).alive:
        entry = _start(paused=True)
    if entry is not None:
        entry.run.step_once(which)


def _on_reset(entry: R.RunEntry) -> None:
    _select(R.replay(entry))


# -- helpers -------------------------------------------------------------------------------
def selected_entry() -> R.RunEntry | None:
    runs = R.session_runs()
    number = st.session_state.get(SELECTED_KEY)
    for entry in runs:
        if entry.number == number:
            return entry
    return runs[-1] if runs else None


def run_label(entry: R.RunEntry) -> str:
    diff = C.describe(entry.config)
    return f"#{entry.number} " + (diff or t("train.label_course"))


def figure_labels() -> dict[str, str]:
    names = ("loss", "d_out", "grad_norm", "step", "d_loss", "g_loss", "d_real", "d_fake",
             "d_grad", "g_grad", "equilibrium", "fid", "coverage", "digit")
    return {n: t(f"train.fig_{n}") for n in names}


def _eta(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "-"
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def _on_share(entry: R.RunEntry) -> None:
    """Share the selected run with the class: a short code and a link to the watch page."""
    code = R.get_pool().share(entry.run, owner=R.owner_id())
    _flash("info", t("train.shared", code=code, link=f"./train_watch?watch={code}"))


def _status_text(entry: R.RunEntry, snap: Snapshot) -> str:
    if snap.status == "queued":
        wait = R.get_pool().estimated_wait(entry.run)
        place = R.queue_position(entry)
        if wait is None:
            return t("train.status_queued", place=place)
        return t("train.status_queued_wait", place=place, wait=_eta(wait))
    if snap.status == "stopped" and snap.stop_reason == "idle":
        return t("train.status_idle")
    return t(f"train.status_{snap.status}")


def encode_grid(grid: np.ndarray) -> bytes:
    """PNG of a grid at GRID_SCALE (nearest-neighbour). compress_level=1: ~6 ms instead of ~35 ms
    at the default level for ~10% more bytes. Drawn with ``output_format="PNG"``: with the default
    "auto" st.image decodes these bytes and re-encodes them as a JPEG on every tick (blurry digits)."""
    return png_bytes(grid, scale=GRID_SCALE)


def memo_figure(name: str, key: tuple, build):  # -> go.Figure
    """``build()``, made again only when ``key`` changes. The live view ticks every second but a run
    publishes new curves every ``snapshot_every`` steps (every 4-15 s in a class), so most ticks would
    build the same figures again. One figure per name and session; st.plotly_chart only reads it."""
    memo: dict = st.session_state.setdefault(FIGURES_KEY, {})
    kept = memo.get(name)
    if kept is None or kept[0] != key:
        kept = memo[name] = (key, build())
    return kept[1]


def grid_png(entry: R.RunEntry, step: int, grid: np.ndarray) -> bytes:
    """Encoded once per (run, step) and session: a frame does not change once drawn."""
    cache: dict = st.session_state.setdefault(PNG_CACHE_KEY, {})
    key = (entry.number, step)
    if key not in cache:
        while len(cache) >= 24:
            cache.pop(next(iter(cache)))
        cache[key] = encode_grid(grid)
    return cache[key]


# -- page sections -------------------------------------------------------------------------
def toolbar(entry: R.RunEntry | None, snap: Snapshot | None) -> None:
    """Preset picker and its one sentence on what to watch, then the buttons acting on the selected
    run: compact, so the sample grid below starts on the first screen at 1280x800."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        key = C.preset_picker()
    right.caption(f":material/visibility: {t(PRESETS[key].watch_key)}")
    alive = snap is not None and snap.alive
    paused = snap is not None and snap.status == "paused"
    bar = st.container(horizontal=True, vertical_alignment="center")
    bar.button(t("train.start"), key="train_start", type="primary", on_click=_on_start,
               icon=":material/play_arrow:")
    if paused:
        bar.button(t("train.resume"), key="train_resume", on_click=entry.run.resume, icon=":material/resume:")
    else:
        bar.button(t("train.pause"), key="train_pause", disabled=not alive or snap.status == "queued",
                   on_click=entry.run.pause if entry else None, icon=":material/pause:")
    bar.button(t("train.stop"), key="train_stop", disabled=not alive,
               on_click=R.cancel if entry else None, args=(entry,) if entry else None, icon=":material/stop:")
    bar.button(t("train.reset"), key="train_reset", disabled=entry is None,
               on_click=_on_reset if entry else None, args=(entry,) if entry else None,
               icon=":material/replay:", help=t("train.reset_help"))
    for which in ("d", "g", "both"):
        bar.button(t(f"train.step_{which}"), key=f"train_step_{which}", on_click=_on_step, args=(which,),
                   help=t("train.step_help"), icon=":material/skip_next:")
    bar.button(t("train.share"), key="train_share", disabled=entry is None, on_click=_on_share,
               args=(entry,) if entry else None, help=t("train.share_help"), icon=":material/cast_for_education:")


def run_picker(runs: list[R.RunEntry]) -> None:
    """Which run the buttons act on (only shown when comparing) + a remove button."""
    if len(runs) < 2:
        return
    numbers = [e.number for e in runs]
    if st.session_state.get(SELECTED_KEY) not in numbers:
        st.session_state[SELECTED_KEY] = numbers[-1]
    by_number = {e.number: e for e in runs}
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    left.radio(t("train.selected_run"), numbers, key=SELECTED_KEY, horizontal=True,
               format_func=lambda n: run_label(by_number[n]))
    entry = selected_entry()
    right.button(t("train.remove_run"), key="train_remove", on_click=R.remove, args=(entry,),
                 icon=":material/delete:", width="stretch")


STATUS_COLOURS = {"queued": "orange", "starting": "blue", "running": "green", "paused": "orange",
                  "finished": "gray", "stopped": "gray", "error": "red", "new": "gray"}


def _stats_row(entry: R.RunEntry, snap: Snapshot) -> None:
    # which run and its state, then the numbers the class reads from the back row
    head = st.container(horizontal=True, vertical_alignment="center")
    head.markdown(f"**{run_label(entry)}**")
    head.badge(_status_text(entry, snap), color=STATUS_COLOURS.get(snap.status, "gray"))
    head.caption(f"{t('train.metric_device')}: {snap.device}")
    cols = st.columns([3, 2, 2], vertical_alignment="bottom")
    cols[0].metric(t("train.metric_step"), f"{snap.step} / {snap.budget}")
    cols[1].metric(t("train.metric_speed"), f"{snap.steps_per_s:.0f}" if snap.steps_per_s else "-")
    cols[2].metric(t("train.metric_eta"), _eta(snap.eta_s))
    if snap.status == "error":
        st.error(t("train.run_error", error=snap.error))


def _film_strip(entry: R.RunEntry, snap: Snapshot) -> None:
    """Slider over the run's earlier grids; it follows the newest frame until a student moves it
    back, and follows again once moved to the newest frame."""
    steps = [s for s, _ in snap.frames]
    key, memo_key = f"train_strip_{entry.number}", f"_train_strip_{entry.number}_memo"
    memo = st.session_state.setdefault(memo_key, {"shown": None, "latest": None, "follow": True})
    value = st.session_state.get(key)
    if value is not None and value != memo["shown"]:  # moved by the student since the last draw
        memo["follow"] = value == memo["latest"]
    if memo["follow"] or value is None:
        value = steps[-1]
    elif value not in steps:  # frames get thinned as a run grows: snap to the nearest kept one
        value = min(steps, key=lambda s: abs(s - value))
    st.session_state[key] = value
    picture = st.empty()  # the grid above its slider: the picture is what the room watches
    if len(steps) > 1:
        value = st.select_slider(t("train.film_strip"), steps, key=key,
                                 format_func=lambda s: t("train.step_n", step=s))
    memo.update(shown=value, latest=steps[-1])
    grid = dict(snap.frames)[value]
    caption = t("train.live_caption", step=value) if memo["follow"] else t("train.frame_caption", step=value)
    picture.image(grid_png(entry, value, grid), caption=caption, width="stretch", output_format="PNG")


def _live_grid(entry: R.RunEntry, snap: Snapshot) -> None:
    """One run: its newest grid (the film strip's slider below it scrolls back through the run)."""
    if snap.frames:
        _film_strip(entry, snap)
    else:
        st.info(t("train.waiting_first_grid"), icon=":material/hourglass_top:")


def _grids(entries: list[R.RunEntry], snaps: list[Snapshot]) -> None:
    """Several runs side by side, newest grid each."""
    for col, entry, snap in zip(st.columns(len(entries)), entries, snaps):
        with col:
            st.markdown(f"**{run_label(entry)}**")
            st.caption(f"{_status_text(entry, snap)} · {t('train.step_n', step=snap.step)}")
            if snap.latest_grid is not None:
                st.image(grid_png(entry, snap.frames[-1][0], snap.latest_grid), width="stretch", output_format="PNG")


def _quality(entries: list[R.RunEntry], snaps: list[Snapshot], series: list[Series],
             selected: int, key: tuple) -> None:
    labels = figure_labels()
    quality = [q for q in snaps[selected].quality if "fid" in q]
    failed = [q for q in snaps[selected].quality if "unavailable" in q]
    st.subheader(t("train.quality"))
    if entries[selected].config.dataset != "mnist":  # the digit classifier cannot score clothes
        st.info(t("train.quality_not_digits"), icon=":material/info:")
        return
    if not quality:
        st.caption(t("train.quality_unavailable", error=failed[-1]["unavailable"]) if failed
                   else t("train.quality_pending", every=quality_every(entries[selected].config)))
        return
    latest = quality[-1]
    if latest["coverage"] < MIN_COVERED:
        st.warning(t("train.collapse_warning", covered=latest["coverage"], min=MIN_COVERED),
                   icon=":material/warning:")
    left, right = st.columns(2)
    fid = memo_figure("fid", key, lambda: fid_figure(series, labels).update_layout(separators=plotly_separators()))
    cov = memo_figure("coverage", key, lambda: coverage_figure(latest["class_hist"], labels, min_share=MIN_SHARE)
                      .update_layout(separators=plotly_separators()))
    left.plotly_chart(fid, key="train_fig_fid", width="stretch")
    right.plotly_chart(cov, key="train_fig_cov", width="stretch")
    st.caption(t("train.quality_help", n=QUALITY_N))


def draw_live() -> None:
    """Everything that changes while a run trains (the body of the polling fragment)."""
    runs = R.session_runs()
    entry = selected_entry()
    if entry is None:
        st.info(t("train.no_runs"), icon=":material/info:")
        return
    # what the figures show: each run's version (read before its snapshot: never newer than what is
    # drawn), the order (colours), the selected run and the language
    key = (tuple((e.number, e.run.version) for e in runs), runs.index(entry), current_lang())
    snaps = [e.run.snapshot() for e in runs]  # reading also tells the run a page still watches
    selected = runs.index(entry)
    series = [Series(label=run_label(e), history=s.history, quality=s.quality,
                     colour=COLOURS[i % len(COLOURS)]) for i, (e, s) in enumerate(zip(runs, snaps))]

    def curves() -> None:
        if snaps[selected].history["step"]:
            figure = memo_figure("curves", key, lambda: training_figure(series, figure_labels())
                                 .update_layout(separators=plotly_separators()))
            st.plotly_chart(figure, key="train_fig_curves", width="stretch")

    if len(runs) == 1:  # the grid on the left of the first screen, numbers and curves beside it
        grid, right = st.columns([2, 3], gap="medium")
        with grid:
            _live_grid(entry, snaps[0])
        with right:
            _stats_row(entry, snaps[0])
            curves()
    else:
        _stats_row(entry, snaps[selected])
        _grids(runs, snaps)
        curves()
    band, stop = st.columns(2)
    band.markdown(t("train.explain_band"))
    stop.markdown(t("train.explain_stop"))
    _quality(runs, snaps, series, selected, key)
    keep_section(entry)


def render_page() -> None:
    C.init_state()
    st.title(t("train.title"))
    st.caption(t("train.intro"))  # one short paragraph: the grid must start on the first screen
    C.settings_sidebar()
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(text)
    runs = R.session_runs()
    run_picker(runs)
    entry = selected_entry()
    snap = entry.run.snapshot() if entry else None
    toolbar(entry, snap)
    R.live_fragment(draw_live, key="train_live")
    why_panel(snap.steps_per_s if snap is not None else None)

