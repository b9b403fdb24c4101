"""Learn: the 2-D GAN playground (GAN Lab-class). Widgets -> Toy2DConfig -> a Run of the toy2d family
in the server's JobPool (its light lane) -> snapshot -> plotly figures in a fragment. All maths lives
in gan_core; figures in ui/toy2d_plots; the pool and owner id in ui/runs.

Drawing your own data: plotly selection events can only select *existing* points, so the pad shows
a faint lattice of candidate dots; clicking one (or box / lasso over many) adds those lattice points
to your distribution. Uploaded or pasted CSV rows are centred and scaled into the plane.
"""
from __future__ import annotations

import time

import numpy as np
import streamlit as st

from gan_core.classroom import MB, limits
from gan_core.data.toy2d import (
    DISTRIBUTIONS,
    MAX_CSV_BYTES,
    MAX_CSV_ROWS,
    MIN_POINTS,
    ToyDataError,
    fit_to_box,
    parse_points_csv,
)
from gan_core.losses import LOSSES
from gan_core.models.toy2d import Toy2DModelConfig
from gan_core.training.run import Run
from gan_core.training.toy2d import OPTIMIZERS, STAGES, Toy2DConfig
from gan_core.training.toy2d_presets import PRESETS, load_ready
from gan_core.training.toy2d_view import with_history
from ui import runs as R
from ui.i18n import fmt, t
from ui.toy2d_plots import candidate_grid, curves, draw_canvas, playfield

NS = "learn_playground"
RUN_KEY, RUN_SIG = "pg_run", "pg_run_sig"
DRAWN, UPLOADED = "pg_drawn_idx", "pg_uploaded"
WIDTHS = [2, 4, 8, 16, 32, 64, 128]
LRS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
BATCHES = [16, 32, 64, 128, 256, 512, 1024]
VIEWS = ("real", "fake", "heatmap", "manifold", "arrows", "curves", "divergence")
# Material icons before the run's state (symbol characters such as "⏸" need a font projectors lack)
STATUS_ICONS = {"paused": ":material/pause:", "running": ":material/play_arrow:", "stopped": ":material/stop:",
                "idle": ":material/stop:", "finished": ":material/check_circle:", "error": ":material/error:",
                "queued": ":material/hourglass_top:", "starting": ":material/hourglass_top:", "new": ":material/pause:"}
D_AHEAD = "pg_d_ahead"  # D updates made with "Step D" since G last moved (the iteration count is G's)


def widgets_from_config(cfg: Toy2DConfig) -> None:
    """Write a config into the widgets' session state (used by presets)."""
    m = cfg.model
    st.session_state.update({
        "pg_dist": cfg.dist, "pg_loss": cfg.loss, "pg_noise_dim": m.noise_dim, "pg_noise": m.noise,
        "pg_g_layers": m.g_layers, "pg_g_width": m.g_width, "pg_d_layers": m.d_layers, "pg_d_width": m.d_width,
        "pg_opt_g": cfg.opt_g, "pg_opt_d": cfg.opt_d, "pg_lr_g": cfg.lr_g, "pg_lr_d": cfg.lr_d,
        "pg_d_steps": cfg.d_steps, "pg_batch": cfg.batch_size, "pg_seed": cfg.seed,
    })


def apply_preset() -> None:
    name = st.session_state.get("pg_preset")
    if name in PRESETS:
        widgets_from_config(PRESETS[name].config)


def config_from_widgets() -> Toy2DConfig:
    s = st.session_state
    model = Toy2DModelConfig(noise_dim=s.pg_noise_dim, noise=s.pg_noise, g_layers=s.pg_g_layers,
                             g_width=s.pg_g_width, d_layers=s.pg_d_layers, d_width=s.pg_d_width)
    return Toy2DConfig(model=model, dist=s.pg_dist, loss=s.pg_loss, opt_g=s.pg_opt_g, opt_d=s.pg_opt_d,
                       lr_g=s.pg_lr_g, lr_d=s.pg_lr_d, d_steps=s.pg_d_steps, batch_size=s.pg_batch,
                       seed=int(s.pg_seed))


def custom_points() -> np.ndarray:
    grid = candidate_grid()
    drawn = grid[sorted(st.session_state.get(DRAWN, set()))]
    up = st.session_state.get(UPLOADED)
    return drawn if up is None else np.concatenate([drawn, up])


def show_data_error(err: ToyDataError) -> None:
    st.error(t(f"{NS}.err_{err.code}", **err.params))


def csv_max_bytes() -> int:
    """The CSV cap: the reader's own 1 MiB, or the classroom's upload_mb when a lecturer set it lower."""
    return min(MAX_CSV_BYTES, limits().upload_bytes)


def take_csv(data: bytes | str) -> None:
    """Callback-side CSV intake (runs before the script, so the new points train in this very run)."""
    try:
        st.session_state[UPLOADED] = fit_to_box(parse_points_csv(data, max_bytes=csv_max_bytes()))
        st.session_state["pg_csv_msg"] = ("ok", {"n": len(st.session_state[UPLOADED])})
    except ToyDataError as err:
        st.session_state["pg_csv_msg"] = ("err", {"code": err.code, "params": err.params})


def _take_upload() -> None:
    up = st.session_state.get("pg_upload")
    if up is not None:
        take_csv(up.getvalue())


def _take_pasted() -> None:
    take_csv(st.session_state.get("pg_csv_text", ""))


def _clear_points() -> None:
    st.session_state[DRAWN], st.session_state[UPLOADED] = set(), None


def custom_data_panel() -> None:
    st.caption(t(f"{NS}.draw_help"))
    grid = candidate_grid()
    event = st.plotly_chart(draw_canvas(custom_points(), grid), key="pg_draw", on_select="rerun",
                            selection_mode=("points", "box", "lasso"), config={"displaylogo": False})
    picked = {p["point_index"] for p in event.selection.points if p.get("curve_number") == 0}
    if picked - st.session_state.get(DRAWN, set()):
        st.session_state[DRAWN] = st.session_state.get(DRAWN, set()) | picked
        st.rerun()  # the run above was built from the old points
    st.file_uploader(t(f"{NS}.upload"), type=["csv", "txt"], key="pg_upload", on_change=_take_upload,
                     max_upload_size=max(1, csv_max_bytes() // MB),  # whole MB only; parse_points_csv is exact
                     help=t(f"{NS}.upload_help", rows=MAX_CSV_ROWS))
    st.text_area(t(f"{NS}.paste"), key="pg_csv_text", height=90, placeholder=t(f"{NS}.paste_placeholder"))
    c1, c2 = st.columns(2)
    c1.button(t(f"{NS}.use_pasted"), key="pg_use_pasted", on_click=_take_pasted)
    c2.button(t(f"{NS}.clear_points"), key="pg_clear_points", on_click=_clear_points)
    msg = st.session_state.pop("pg_csv_msg", None)
    if msg and msg[0] == "ok":
        st.success(t(f"{NS}.csv_ok", **msg[1]))
    elif msg:
        st.error(t(f"{NS}.err_{msg[1]['code']}", **msg[1]["params"]))
    st.caption(t(f"{NS}.n_points", n=len(custom_points())))


def controls() -> None:
    st.selectbox(t(f"{NS}.preset"), list(PRESETS), key="pg_preset", on_change=apply_preset,
                 format_func=lambda k: t(f"{NS}.preset_{k}"))
    st.selectbox(t(f"{NS}.dist"), DISTRIBUTIONS, key="pg_dist", format_func=lambda k: t(f"{NS}.dist_{k}"))
    with st.expander(t(f"{NS}.nets"), expanded=False):
        c1, c2 = st.columns(2)
        c1.radio(t(f"{NS}.noise_dim"), [1, 2], key="pg_noise_dim", horizontal=True)
        c2.radio(t(f"{NS}.noise"), ["uniform", "gaussian"], key="pg_noise", horizontal=True,
                 format_func=lambda k: t(f"{NS}.noise_{k}"))
        for who in ("g", "d"):
            st.markdown(f"**{t(f'{NS}.net_{who}')}**")
            c1, c2 = st.columns(2)
            c1.slider(t(f"{NS}.layers"), 0, 5, key=f"pg_{who}_layers")
            c2.select_slider(t(f"{NS}.width"), WIDTHS, key=f"pg_{who}_width")
            c1.selectbox(t(f"{NS}.optimizer"), OPTIMIZERS, key=f"pg_opt_{who}")
            c2.select_slider(t(f"{NS}.lr"), LRS, key=f"pg_lr_{who}", format_func=lambda v: fmt(v, "g"))
    with st.expander(t(f"{NS}.training"), expanded=True):
        st.selectbox(t(f"{NS}.loss"), list(LOSSES), key="pg_loss", format_func=lambda k: t(f"{NS}.loss_{k}"))
        c1, c2 = st.columns(2)
        c1.slider(t(f"{NS}.d_steps"), 1, 10, key="pg_d_steps", help=t(f"{NS}.d_steps_help"))
        c2.select_slider(t(f"{NS}.batch"), BATCHES, key="pg_batch")
        st.number_input(t(f"{NS}.seed"), 0, 9999, key="pg_seed")
    with st.expander(t(f"{NS}.views"), expanded=False):
        cols = st.columns(2)
        for i, v in enumerate(VIEWS):
            cols[i % 2].checkbox(t(f"{NS}.view_{v}"), key=f"pg_show_{v}")


def _drop(run: Run | None) -> None:
    if run is not None:
        R.get_pool().cancel(run, owner=R.owner_id())


def new_run(cfg: Toy2DConfig, points: np.ndarray | None) -> Run:
    """A run of ``cfg`` for this tab, built now and paused at step 0 (it holds no thread until played)."""
    return R.get_pool().submit(cfg, owner=R.owner_id(), paused=True, data=points, **R.run_options())


def current_run(cfg: Toy2DConfig, points: np.ndarray | None) -> Run | None:
    """The tab's run; a changed setting (or new custom points) replaces it, stopping the old one."""
    sig = (cfg, None if points is None else points.tobytes())
    run: Run | None = st.session_state.get(RUN_KEY)
    if points is not None and len(points) < MIN_POINTS:  # "My own points" before any are given: a hint
        _drop(run)
        st.session_state[RUN_KEY] = None
        hint = t(f"{NS}.err_need_points") if not len(points) else t(f"{NS}.err_too_few", n=len(points), min=MIN_POINTS)
        st.info(hint, icon=":material/touch_app:")
        return None
    if run is not None and st.session_state.get(RUN_SIG) == sig and run.status != "stopped":
        return run
    _drop(run)
    run = new_run(cfg, points)
    if isinstance(run.exception, ToyDataError):
        show_data_error(run.exception)
        st.session_state[RUN_KEY] = None
        return None
    st.session_state[RUN_KEY], st.session_state[RUN_SIG] = run, sig
    return run


def _play(run: Run) -> None:
    st.session_state["pg_slow"] = False
    st.session_state[D_AHEAD] = 0
    run.resume()


def _step(run: Run, mode: str) -> None:
    run.step_once(mode)
    st.session_state[D_AHEAD] = st.session_state.get(D_AHEAD, 0) + 1 if mode == "d" else 0


def _reset(run: Run) -> None:
    _drop(run)
    st.session_state[RUN_KEY] = None
    st.session_state[D_AHEAD] = 0


def _jump_to_ready() -> None:
    """Callback (runs before the script, so it may set widget values): load a shipped state."""
    name = st.session_state.get("pg_preset")
    try:
        tensors, steps, cfg = load_ready(name)
    except FileNotFoundError as exc:
        st.session_state["pg_msg"] = ("ready_missing", {"detail": str(exc)})
        return
    widgets_from_config(cfg)
    _drop(st.session_state.get(RUN_KEY))
    run = new_run(cfg, None)
    run.load_weights(tensors, steps=steps)
    st.session_state[RUN_KEY], st.session_state[RUN_SIG] = run, (cfg, None)


def transport(run: Run | None) -> None:
    """Play / pause / reset, single steps, slow motion, ready-made states. Buttons sit in rows that
    wrap, each as wide as its label (never cut, in any language); without a run (no points of your
    own yet) they are shown disabled."""
    off = run is None
    row = st.container(horizontal=True)
    row.button(t(f"{NS}.play"), key="pg_play", type="primary", icon=":material/play_arrow:",
               on_click=_play, args=(run,), disabled=off)
    row.button(t(f"{NS}.pause"), key="pg_pause", icon=":material/pause:", on_click=run.pause if run else None,
               disabled=off)
    row.button(t(f"{NS}.reset"), key="pg_reset", icon=":material/restart_alt:", on_click=_reset, args=(run,),
               disabled=off)
    row = st.container(horizontal=True)
    row.button(t(f"{NS}.step_d"), key="pg_step_d", help=t(f"{NS}.step_d_help"), on_click=_step, args=(run, "d"),
               disabled=off)
    row.button(t(f"{NS}.step_g"), key="pg_step_g", help=t(f"{NS}.step_g_help"), on_click=_step, args=(run, "g"),
               disabled=off)
    row.button(t(f"{NS}.step_both"), key="pg_step_both", on_click=_step, args=(run, "both"), disabled=off)
    row = st.container(horizontal=True, vertical_alignment="center")
    row.toggle(t(f"{NS}.slow"), key="pg_slow", help=t(f"{NS}.slow_help"), disabled=off)
    row.button(t(f"{NS}.next_stage"), key="pg_next_stage", on_click=_step, args=(run, "stage"), disabled=off)
    if st.session_state.get("pg_slow"):
        st.slider(t(f"{NS}.slow_secs"), 0.5, 5.0, key="pg_slow_secs", step=0.5)
    ready = PRESETS.get(st.session_state.get("pg_preset"))
    st.button(t(f"{NS}.jump_ready"), key="pg_jump", help=t(f"{NS}.jump_ready_help"), icon=":material/fast_forward:",
              disabled=off or ready is None or not ready.ready, on_click=_jump_to_ready, width="stretch")
    msg = st.session_state.pop("pg_msg", None)
    if msg:
        st.error(t(f"{NS}.{msg[0]}", **msg[1]))


def status_line(run: Run, snap, view) -> str:
    state = "idle" if snap.status == "stopped" and snap.stop_reason == "idle" else snap.status
    if state == "queued":
        text = t(f"{NS}.status_queued", place=R.get_pool().queue_position(run))
    else:
        text = t(f"{NS}.status_{state}")
    parts = [f"{STATUS_ICONS.get(state, '')} {text}".strip(), t(f"{NS}.step_n", n=snap.step)]
    if st.session_state.get(D_AHEAD) and snap.status == "paused":
        parts.append(t(f"{NS}.d_ahead", n=st.session_state[D_AHEAD]))
    if snap.status == "running":
        parts.append(t(f"{NS}.rate", rate=snap.steps_per_s))
    if view is not None and st.session_state.get("pg_show_divergence", True):
        parts.append(t(f"{NS}.div_line", js=view.divergence["js"], kl=view.divergence["kl_pq"]))
    if view is not None and view.coverage:
        parts.append(t(f"{NS}.coverage", **view.coverage))
    return " · ".join(parts)


def draw(run: Run) -> None:
    snap = run.snapshot()
    view = with_history(snap.preview.data, snap.history) if snap.preview is not None else None
    show = {v: st.session_state.get(f"pg_show_{v}", True) for v in VIEWS}
    if view is not None and view.stage >= 0:
        st.info(t(f"{NS}.stage_{STAGES[view.stage]}", k=run.config.d_steps))
    st.markdown(status_line(run, snap, view))
    if snap.error:
        st.error(t(f"{NS}.run_error", detail=snap.error))
    if view is None:
        return
    st.plotly_chart(playfield(view, show=show), key="pg_field", config={"displaylogo": False})
    if show["curves"]:
        st.plotly_chart(curves(view, show_js=show["divergence"]), key="pg_curves", config={"displaylogo": False})


def _training(run: Run) -> bool:
    return run.status in ("queued", "starting", "running")


def live(run: Run) -> None:
    slow = st.session_state.get("pg_slow", False)
    every = 0.2 if (_training(run) or slow) else None

    @st.fragment(run_every=every)
    def _view() -> None:
        if slow:
            now = time.monotonic()
            if now - st.session_state.get("pg_slow_last", 0.0) >= st.session_state.get("pg_slow_secs", 2.0):
                st.session_state["pg_slow_last"] = now
                run.step_once("stage")
        draw(run)
        if every is not None and not slow and not _training(run):
            st.rerun()  # the run ended or paused itself (idle / budget / error): refresh buttons, stop polling

    _view()


def main() -> None:
    defaults = {"pg_preset": "ring_balanced", "pg_slow_secs": 2.0, "pg_slow": False}
    defaults.update({f"pg_show_{v}": True for v in VIEWS})
    for k, v in defaults.items():
        st.session_state.setdefault(k, v)
    if "pg_dist" not in st.session_state:  # first visit, or Streamlit dropped the widget keys on leaving
        kept = st.session_state.get(RUN_KEY)
        widgets_from_config(kept.config if kept is not None else PRESETS["ring_balanced"].config)
    if st.session_state.pop("pg_autoload", False):  # sent here by the story page's "open in playground"
        preset = PRESETS.get(st.session_state.get("pg_preset"))
        if preset is not None and preset.ready:
            _jump_to_ready()
        else:
            apply_preset()
    st.title(t(f"{NS}.title"))
    cfg = config_from_widgets()  # widget values are in session state before the widgets are drawn
    points = custom_points() if cfg.dist == "custom" else None
    left, right = st.columns([2, 3], gap="medium")
    with right:  # the plane first: on a projector it must be on the first screen
        run = current_run(cfg, points)
        if run is not None:
            if st.session_state.get("pg_slow") and _training(run):
                run.pause()
            live(run)
        if st.session_state.pg_dist == "custom":
            custom_data_panel()
        st.caption(t(f"{NS}.intro"))
    with left:
        transport(run)
        controls()

main()
