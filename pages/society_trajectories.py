"""Society / Social GAN: where will these pedestrians walk next? Observed paths, the truth, k sampled
futures per pedestrian; pooling on/off; a sandbox; ADE/FDE and why best-of-k flatters; the training log.

All maths lives in gan_core (trajectory_scenes, trajectory_eval, trajectory_metrics, trajectory_reading);
checkpoints and cached networks in ui/society; the folder box, sandbox and scene reading in ui/society_inputs;
figures in ui/society_plots; the ideas' evidence, the training log and the Table 1 comparison in
ui/society_sections. Sentences that quote a result pick their wording from the measurement.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from gan_core.data.trajectories import FRAME_SECONDS
from gan_core.models.social_pooling import SocialPooling
from gan_core.training.social_gan_step import SocialGANTrainer
from gan_core.trajectory_metrics import best_of_k, constant_velocity, displacement_errors, summarize
from gan_core.trajectory_reading import fan_shape, shift
from gan_core.trajectory_scenes import Scene, best_of_k_curve, browse_windows, mixture_possible, spray
from ui import society as S
from ui.explore_widgets import MAX_SEED
from ui.i18n import num, t
from ui.layout import show_code
from ui.society_inputs import data_folder, read_scene, sandbox, scene_name
from ui.society_plots import scene_figure, spray_figure
from ui.society_sections import fan_kind, ideas_evidence, pair, section_table, section_training

NS = "society_trajectories"
SOURCE_KEY, WINDOW_KEY = "sg_source", "sg_window"
K_KEY, SEED_KEY, POOL_KEY, CV_KEY, TIME_KEY = "sg_k", "sg_seed", "sg_pooling", "sg_cv", "sg_time"
LAB = {"all": (0.654, 1.121), "linear": (0.944, 1.618), "nonlinear": (2.128, 3.648)}  # the course lab's log
SPRAY_K = (1, 2, 5, 10, 20, 50, 100)
MAX_K = 20
QUESTIONS = {"spray": ("up", "same", "down"), "paths": ("linear", "same", "nonlinear"), "lab": ("yes", "no")}
ANSWERS = {"spray": "down", "paths": "nonlinear", "lab": "no"}


def _seconds(frame: int, t_obs: int) -> str:
    return t(f"{NS}.time_fmt", s=(frame - t_obs) * FRAME_SECONDS)


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
    model = models[names.index(name)]
    if not S.fits(model, source) and not S.saw_scene(model, source):  # saw_scene has its own warning
        trained = (t(f"{NS}.trained_synthetic") if model.synthetic
                   else t(f"{NS}.trained_split", split=model.split))
        st.caption(t(f"{NS}.{'not_fit' if fitting else 'no_fit'}", name=model.name, trained=trained))
    return model


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
        source = st.selectbox(t(f"{NS}.source"), keys, key=SOURCE_KEY, format_func=scene_name)
        scene = sandbox() if source == S.SANDBOX else read_scene(source, folder)
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
            if use is not model or alone:  # pooling off: how far the fans' centres move
                base = S.forecast(model, scene, windows, k=MAX_K, seed=seed)[:k]
                mean, final = shift(base.mean(dim=0), samples.mean(dim=0))
                st.caption(t(f"{NS}.pool_shift", mean=mean, final=final))
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
        if samples is not None and k >= 3 and use.noise_dim > 0:
            fan = fan_shape(samples, ts.obs[:, -1])
            st.caption(t(f"{NS}.fan_{fan_kind(fan)}", k=k, along=fan.along, across=fan.across))
        scene_metrics(ts, samples, k)
    return scene, use, samples


def scene_metrics(ts, samples: torch.Tensor | None, k: int) -> None:
    st.caption(t(f"{NS}.m_caption"))
    truth = torch.from_numpy(ts.pred.copy())
    obs = torch.from_numpy(ts.obs.copy())
    cv_a, cv_f = displacement_errors(constant_velocity(obs, truth.shape[1]), truth)
    cols = st.columns(3)
    cols[2].metric(t(f"{NS}.m_cv"), f"{num(float(cv_a.mean()), 2)} / {num(float(cv_f.mean()), 2)}",
                   help=t(f"{NS}.m_help"))
    if samples is None:
        return
    sse = torch.from_numpy(ts.seq_start_end.copy())
    ba, bf = best_of_k(samples, truth, seq_start_end=sse)
    oa, of = displacement_errors(samples[0], truth)
    cols[0].metric(t(f"{NS}.m_best", k=k), f"{num(float(ba.mean()), 2)} / {num(float(bf.mean()), 2)}",
                   help=t(f"{NS}.m_help"))
    cols[1].metric(t(f"{NS}.m_one"), f"{num(float(oa.mean()), 2)} / {num(float(of.mean()), 2)}",
                   help=t(f"{NS}.m_help"))
    best, cv = float(ba.mean()), float(cv_a.mean())
    st.caption(t(f"{NS}.m_{'cv_wins' if cv <= best else 'model_wins'}", k=k, best=best, cv=cv))


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
                               **{t(f"{NS}.col_{g}"): pair(s[g]) for g in ("all", "linear", "nonlinear")}}
                              for name, s in rows.items()])
        st.table(table, hide_index=True)
        st.markdown(t(f"{NS}.paths_after"))
    st.subheader(t(f"{NS}.lab_header"))
    st.markdown(t(f"{NS}.lab_numbers", a=LAB["all"][0], l=LAB["linear"][0], n=LAB["nonlinear"][0],
                  fa=LAB["all"][1], fl=LAB["linear"][1], fn=LAB["nonlinear"][1]))
    if ask("lab"):
        ok = mixture_possible(LAB["all"][0], LAB["linear"][0], LAB["nonlinear"][0])
        st.markdown(t(f"{NS}.lab_{'possible' if ok else 'impossible'}"))


st.title(t(f"{NS}.title"))
st.markdown(t(f"{NS}.intro"))
all_models = S.trajectory_models()
shown_scene, used_model, _ = section_scene(all_models)
st.header(t(f"{NS}.ideas_header"))
st.markdown(t(f"{NS}.ideas"))
if shown_scene is not None:
    ideas_evidence(shown_scene, used_model)
    section_metrics(shown_scene, used_model)
    section_paths(shown_scene, used_model)
section_training(used_model if used_model is not None else next(iter(all_models), None), shown_scene)
section_table(all_models)
st.header(t(f"{NS}.code_header"))
show_code(SocialPooling.forward)
show_code(SocialGANTrainer.generator_losses)
