"""Society / Social GAN: where will these pedestrians walk next? Observed paths, the truth, k sampled
futures per pedestrian; pooling on/off; a sandbox; ADE/FDE and why best-of-k flatters; the training log.

All maths lives in gan_core (trajectory_scenes, trajectory_eval, trajectory_metrics); checkpoints and
cached generators in ui/society; figures in ui/society_plots.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st
import torch

from gan_core.data.trajectories import FRAME_SECONDS, SPLITS
from gan_core.models.social_pooling import SocialPooling
from gan_core.training.social_gan_step import SocialGANTrainer
from gan_core.trajectory_eval import PAPER_TABLE1, default_eth_ucy
from gan_core.trajectory_metrics import best_of_k, constant_velocity, displacement_errors, summarize
from gan_core.trajectory_scenes import (
    MAX_SANDBOX,
    SANDBOX_LIMIT,
    SandboxError,
    Scene,
    best_of_k_curve,
    browse_windows,
    mixture_possible,
    sandbox_scene,
    spray,
)
from ui import society as S
from ui.explore_widgets import MAX_SEED
from ui.i18n import num, t
from ui.layout import show_code
from ui.society_plots import curve_figure, scene_figure, spray_figure, variety_figure

NS = "society_trajectories"
FOLDER_KEY, SOURCE_KEY, WINDOW_KEY = "sg_folder", "sg_source", "sg_window"
K_KEY, SEED_KEY, POOL_KEY, CV_KEY, TIME_KEY = "sg_k", "sg_seed", "sg_pooling", "sg_cv", "sg_time"
WALLS_KEY, TABLE_KEY, TABLE_VERSION = "sg_walls", "sg_table", "sg_table_version"
DEFAULT_SANDBOX = [[-6.0, 0.0, 8.0, 0.0], [6.0, 0.3, -8.0, 0.3], [0.0, -6.0, 0.0, 8.0], [-6.5, 1.0, 7.5, 1.0]]
LAB = {"all": (0.654, 1.121), "linear": (0.944, 1.618), "nonlinear": (2.128, 3.648)}  # the course lab's log
SPRAY_K = (1, 2, 5, 10, 20, 50, 100)
MAX_K = 20
QUESTIONS = {"spray": ("up", "same", "down"), "paths": ("linear", "same", "nonlinear"), "lab": ("yes", "no")}
ANSWERS = {"spray": "down", "paths": "nonlinear", "lab": "no"}


def _seconds(frame: int, t_obs: int) -> str:
    return t(f"{NS}.time_fmt", s=(frame - t_obs) * FRAME_SECONDS)


def _scene_name(source: str) -> str:
    kind, _, name = source.partition(":")
    return t(f"{NS}.scene_{name}") if kind == "synthetic" else (t(f"{NS}.scene_sandbox") if kind == S.SANDBOX
                                                                   else t(f"{NS}.scene_eth_ucy", split=name))


def data_folder() -> str | None:
    """The ETH/UCY folder box; returns a folder with at least one split, or None (message shown)."""
    if FOLDER_KEY not in st.session_state:
        st.session_state[FOLDER_KEY] = str(default_eth_ucy() or "")
    with st.popover(t(f"{NS}.folder_header"), icon=":material/folder_open:", width="stretch"):
        folder = st.text_input(t(f"{NS}.folder"), key=FOLDER_KEY, help=t(f"{NS}.folder_help")).strip()
        if not folder:
            st.caption(t(f"{NS}.folder_none"))
            return None
        splits = S.folder_splits(folder)
        if not splits:
            st.error(t(f"{NS}.folder_bad", folder=folder, splits=", ".join(SPLITS)),
                     icon=":material/folder_off:")
            return None
        st.caption(t(f"{NS}.folder_ok", splits=", ".join(splits)))
        return folder


def sandbox() -> Scene | None:
    """The student's layout (start and goal of each pedestrian), simulated; None with a message."""
    st.markdown(t(f"{NS}.sandbox_intro", n=MAX_SANDBOX, limit=SANDBOX_LIMIT))
    walls = st.selectbox(t(f"{NS}.walls"), ("open", "corridor"), key=WALLS_KEY,
                         format_func=lambda w: t(f"{NS}.walls_{w}"))
    version = int(st.session_state.get(TABLE_VERSION, 0))
    cols = {c: st.column_config.NumberColumn(t(f"{NS}.col_{c}"), min_value=-SANDBOX_LIMIT,
                                             max_value=SANDBOX_LIMIT, step=0.5, format="%.1f")
            for c in ("x0", "y0", "x1", "y1")}
    base = pd.DataFrame(DEFAULT_SANDBOX, columns=list(cols))
    edited = st.data_editor(base, key=f"{TABLE_KEY}_{version}", num_rows="dynamic", hide_index=True,
                            column_config=cols, width="stretch")
    if st.button(t(f"{NS}.sandbox_reset"), key="sg_sandbox_reset", icon=":material/restart_alt:"):
        st.session_state[TABLE_VERSION] = version + 1
        st.rerun()
    try:
        scene, left = sandbox_scene(edited[list(cols)].to_numpy(dtype=object).tolist(), walls=walls)
    except SandboxError as err:
        st.error(t(f"{NS}.sandbox_{err.code}", **err.params), icon=":material/error:")
        return None
    if left:
        st.warning(t(f"{NS}.sandbox_left", n=left), icon=":material/directions_walk:")
    return scene


def first_busy(ts, choices: np.ndarray, *, lo: int = 3, hi: int = 8) -> int:
    """Index into ``choices`` of the first window with lo..hi pedestrians (a readable default), else 0."""
    sizes = ts.seq_start_end[choices, 1] - ts.seq_start_end[choices, 0]
    good = np.flatnonzero((sizes >= lo) & (sizes <= hi))
    return int(good[0]) if len(good) else 0


def pick_model(models: list[S.TrajModel], source: str) -> S.TrajModel | None:
    if not models:
        st.info(t(f"{NS}.no_model"))
        return None
    names = [m.name for m in models]
    fitting = [m.name for m in models if S.fits(m, source)]
    key = f"sg_model_{source.partition(':')[0]}_{source.partition(':')[2]}"
    default = names.index(fitting[0]) if fitting else 0
    name = st.selectbox(t(f"{NS}.model"), names, index=default, key=key, help=t(f"{NS}.model_help"))
    return models[names.index(name)]


def social_switch(models: list[S.TrajModel], model: S.TrajModel) -> tuple[S.TrajModel, bool, str]:
    """(model to use, forecast everyone alone?, caption key) for the pooling toggle. Off: the same kind
    of model trained without pooling when there is one, else this model with every pedestrian alone."""
    if not model.pooling:
        st.toggle(t(f"{NS}.pooling"), value=False, disabled=True, key=f"{POOL_KEY}_none",
                  help=t(f"{NS}.pooling_help"))
        return model, False, "pool_none_trained"
    if st.toggle(t(f"{NS}.pooling"), value=True, key=POOL_KEY, help=t(f"{NS}.pooling_help")):
        return model, False, "pool_as_trained"
    other = S.partner(models, model)
    return (other, False, "pool_partner_off") if other is not None else (model, True, "pool_alone")


def section_scene(models: list[S.TrajModel]) -> tuple[Scene, S.TrajModel | None, torch.Tensor | None]:
    st.header(t(f"{NS}.scene_header"))
    controls, plot = st.columns([1, 2])
    with controls:
        folder = data_folder()
        keys = S.sources(folder)
        if st.session_state.get(SOURCE_KEY) not in keys:
            st.session_state[SOURCE_KEY] = keys[0]
        source = st.selectbox(t(f"{NS}.source"), keys, key=SOURCE_KEY, format_func=_scene_name)
        scene = sandbox() if source == S.SANDBOX else S.scene_of(source, folder)
        if scene is None:
            return None, None, None
        choices = browse_windows(scene.windows)
        pick = 0
        if len(choices) > 1:
            wkey = f"{WINDOW_KEY}_{source}"
            if not 1 <= int(st.session_state.get(wkey, 0)) <= len(choices):  # first visit or odd state
                st.session_state[wkey] = first_busy(scene.windows, choices) + 1
            pick = st.slider(t(f"{NS}.window"), 1, len(choices), key=wkey, help=t(f"{NS}.window_help")) - 1
        windows = choices[pick:pick + 1]
        model = pick_model(models, source)
        k = st.slider(t(f"{NS}.k"), 1, MAX_K, value=MAX_K, key=K_KEY, help=t(f"{NS}.k_help"))
        seed = int(st.number_input(t(f"{NS}.seed"), 0, MAX_SEED, value=0, step=1, key=SEED_KEY))
        samples, use = None, model
        if model is not None:
            use, alone, note = social_switch(models, model)
            st.caption(t(f"{NS}.{note}", name=use.name))
            if S.saw_scene(use, source):
                st.warning(t(f"{NS}.saw_scene", name=use.name), icon=":material/visibility:")
            # always 20 draws, the first k shown: a larger k adds futures, it never redraws the others
            samples = S.forecast(use, scene, windows, k=MAX_K, seed=seed, alone=alone)[:k]
            if use.noise_dim == 0:
                st.caption(t(f"{NS}.deterministic"))
        show_cv = st.checkbox(t(f"{NS}.show_cv"), value=False, key=CV_KEY)
    ts = scene.windows.subset(windows)
    t_obs, t_len = ts.config.obs_len, ts.config.seq_len
    with plot:
        frame = st.select_slider(t(f"{NS}.time"), options=list(range(1, t_len + 1)), value=t_len,
                                 key=TIME_KEY, format_func=lambda f: _seconds(f, t_obs),
                                 help=t(f"{NS}.time_help"))
        obs = torch.from_numpy(ts.obs.copy())
        cv = constant_velocity(obs, ts.config.pred_len).numpy() if show_cv else None
        fig = scene_figure(ts.obs, ts.pred, None if samples is None else samples.numpy(), frame=frame,
                           walls=scene.walls, cv=cv)
        st.plotly_chart(fig, key="sg_scene_plot", config={"displaylogo": False})
        st.caption(t(f"{NS}.plot_caption", n=ts.num_peds, k=k if samples is not None else 0))
        scene_metrics(ts, samples, k)
    return scene, use, samples


def scene_metrics(ts, samples: torch.Tensor | None, k: int) -> None:
    st.caption(t(f"{NS}.m_caption"))
    truth = torch.from_numpy(ts.pred.copy())
    obs = torch.from_numpy(ts.obs.copy())
    cv_a, cv_f = displacement_errors(constant_velocity(obs, truth.shape[1]), truth)
    cols = st.columns(3)
    if samples is not None:
        sse = torch.from_numpy(ts.seq_start_end.copy())
        ba, bf = best_of_k(samples, truth, seq_start_end=sse)
        oa, of = displacement_errors(samples[0], truth)
        cols[0].metric(t(f"{NS}.m_best", k=k), f"{num(float(ba.mean()), 2)} / {num(float(bf.mean()), 2)}",
                       help=t(f"{NS}.m_help"))
        cols[1].metric(t(f"{NS}.m_one"), f"{num(float(oa.mean()), 2)} / {num(float(of.mean()), 2)}",
                       help=t(f"{NS}.m_help"))
    cols[2].metric(t(f"{NS}.m_cv"), f"{num(float(cv_a.mean()), 2)} / {num(float(cv_f.mean()), 2)}",
                   help=t(f"{NS}.m_help"))


def ask(name: str) -> bool:
    """A predict-then-reveal question: the answer shows only after a guess and a click."""
    options = QUESTIONS[name]
    st.radio(t(f"{NS}.q_{name}"), options, index=None, key=f"sg_q_{name}",
             format_func=lambda o: t(f"{NS}.q_{name}_{o}"))
    guess = st.session_state.get(f"sg_q_{name}")
    if st.button(t(f"{NS}.reveal"), key=f"sg_reveal_{name}", disabled=guess is None,
                 help=t(f"{NS}.reveal_help")):
        st.session_state[f"sg_shown_{name}"] = True
    if not st.session_state.get(f"sg_shown_{name}") or guess is None:
        return False
    right = guess == ANSWERS[name]
    (st.success if right else st.warning)(t(f"{NS}.{'right' if right else 'wrong'}"))
    return True


def section_metrics(scene: Scene, model: S.TrajModel | None) -> None:
    st.header(t(f"{NS}.ade_header"))
    st.markdown(t(f"{NS}.ade_body"))
    st.subheader(t(f"{NS}.spray_header"))
    if not ask("spray"):
        return
    shown = browse_windows(scene.windows)  # the slider's windows: the whole of univ would take seconds
    ts = scene.windows.subset(shown)
    obs = torch.from_numpy(ts.obs.copy())
    truth, sse = torch.from_numpy(ts.pred.copy()), torch.from_numpy(ts.seq_start_end.copy())
    guesses = spray(obs, max(SPRAY_K), ts.config.pred_len, seed=0)
    per_ped = np.array([float(best_of_k(guesses[:k], truth)[0].mean()) for k in SPRAY_K])
    per_window = np.array([float(best_of_k(guesses[:k], truth, seq_start_end=sse)[0].mean())
                           for k in SPRAY_K])
    cv = float(displacement_errors(constant_velocity(obs, truth.shape[1]), truth)[0].mean())
    model_best = None
    if model is not None:
        model_best = float(best_of_k_curve(S.forecast(model, scene, shown, k=MAX_K, seed=0), ts)[-1])
    st.plotly_chart(spray_figure(np.array(SPRAY_K), per_ped, per_window, model_best=model_best, cv=cv),
                    key="sg_spray_plot", config={"displaylogo": False})
    st.markdown(t(f"{NS}.spray_body", ped20=per_ped[SPRAY_K.index(20)], ped100=per_ped[-1],
                  win20=per_window[SPRAY_K.index(20)], cv=cv))


def section_paths(scene: Scene, model: S.TrajModel | None) -> None:
    st.header(t(f"{NS}.paths_header"))
    shown = browse_windows(scene.windows)
    ts = scene.windows.subset(shown)
    st.markdown(t(f"{NS}.paths_share", share=float(ts.nonlinear.mean()), n=ts.num_peds))
    st.markdown(t(f"{NS}.paths_real_shares"))
    if ask("paths"):
        truth = torch.from_numpy(ts.pred.copy())
        cv = constant_velocity(torch.from_numpy(ts.obs.copy()), truth.shape[1])
        nl = torch.from_numpy(ts.nonlinear.copy())
        rows = {t(f"{NS}.row_cv"): summarize(*displacement_errors(cv, truth), nl)}
        if model is not None:
            samples = S.forecast(model, scene, shown, k=MAX_K, seed=0)
            sse = torch.from_numpy(ts.seq_start_end.copy())
            rows[t(f"{NS}.row_best")] = summarize(*best_of_k(samples, truth, seq_start_end=sse), nl)
            rows[t(f"{NS}.row_one")] = summarize(*displacement_errors(samples[0], truth), nl)
        table = pd.DataFrame([{t(f"{NS}.col_what"): name,
                               **{t(f"{NS}.col_{g}"): _pair(s[g]) for g in ("all", "linear", "nonlinear")}}
                              for name, s in rows.items()])
        st.dataframe(table, hide_index=True, width="stretch")
        st.markdown(t(f"{NS}.paths_after"))
    st.subheader(t(f"{NS}.lab_header"))
    st.markdown(t(f"{NS}.lab_numbers", a=LAB["all"][0], l=LAB["linear"][0], n=LAB["nonlinear"][0],
                  fa=LAB["all"][1], fl=LAB["linear"][1], fn=LAB["nonlinear"][1]))
    if ask("lab"):
        ok = mixture_possible(LAB["all"][0], LAB["linear"][0], LAB["nonlinear"][0])
        st.markdown(t(f"{NS}.lab_{'possible' if ok else 'impossible'}"))


def _pair(v: tuple[float, float]) -> str:
    return "—" if math.isnan(v[0]) else f"{num(v[0], 2)} / {num(v[1], 2)}"


def section_training(model: S.TrajModel | None) -> None:
    st.header(t(f"{NS}.log_header"))
    st.markdown(t(f"{NS}.log_course"))
    st.page_link("pages/learn_objectives.py", label=t(f"{NS}.log_link"), icon=":material/functions:")
    curve = (model.metrics.get("train_curve") if model is not None else None) or {}
    if not curve.get("step"):
        st.info(t(f"{NS}.log_none"))
        return
    if not any(v is not None for v in curve.get("d_loss", [])):  # the LSTM baseline: no adversary at all
        st.info(t(f"{NS}.log_no_adversary", name=model.name))
        st.plotly_chart(variety_figure(curve), key="sg_variety_plot", config={"displaylogo": False})
        return
    st.caption(t(f"{NS}.log_ours", name=model.name, steps=curve["step"][-1]))
    left, right = st.columns(2)
    left.plotly_chart(curve_figure(curve), key="sg_curve_plot", config={"displaylogo": False})
    right.plotly_chart(variety_figure(curve), key="sg_variety_plot", config={"displaylogo": False})
    st.markdown(t(f"{NS}.log_read"))


def section_table(models: list[S.TrajModel]) -> None:
    st.header(t(f"{NS}.table_header"))
    by_name = {m.name: m for m in models}
    rows = []
    for split in SPLITS:
        ours = by_name.get(f"social_gan_{split}")
        lstm = by_name.get(f"social_lstm_{split}")
        m = ours.metrics if ours else {}
        rows.append({t(f"{NS}.col_split"): split,
                     t(f"{NS}.col_paper_linear"): _pair(PAPER_TABLE1["linear"][split]),
                     t(f"{NS}.col_ours_cv"): _metric_pair(m, "cv"),
                     t(f"{NS}.col_paper_lstm"): _pair(PAPER_TABLE1["lstm"][split]),
                     t(f"{NS}.col_ours_lstm"): _metric_pair(lstm.metrics if lstm else {}, "det"),
                     t(f"{NS}.col_paper_sgan"): _pair(PAPER_TABLE1["sgan20"][split]),
                     t(f"{NS}.col_ours_sgan"): _metric_pair(m, "best20")})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t(f"{NS}.table_note"))


def _metric_pair(metrics: dict, prefix: str) -> str:
    a, f = metrics.get(f"{prefix}_ade"), metrics.get(f"{prefix}_fde")
    return _pair((float(a), float(f))) if isinstance(a, (int, float)) and isinstance(f, (int, float)) else "—"


st.title(t(f"{NS}.title"))
st.markdown(t(f"{NS}.intro"))
all_models = S.trajectory_models()
shown_scene, used_model, _ = section_scene(all_models)
st.header(t(f"{NS}.ideas_header"))
st.markdown(t(f"{NS}.ideas"))
if shown_scene is not None:
    section_metrics(shown_scene, used_model)
    section_paths(shown_scene, used_model)
section_training(used_model if used_model is not None else next(iter(all_models), None))
section_table(all_models)
st.header(t(f"{NS}.code_header"))
show_code(SocialPooling.forward)
show_code(SocialGANTrainer.generator_losses)
