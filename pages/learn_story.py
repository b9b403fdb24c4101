"""Learn: the forger and the detective -- the GAN idea told as a short story, one picture per step,
ending at the two training steps; then "predict, then reveal" questions answered with trained 2-D
playground states (gan_core.training.toy2d_presets)."""
from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from gan_core.training.toy2d_presets import PRESETS, ready_meta, ready_trainer
from ui.i18n import t
from ui.story_diagrams import diagram
from ui.toy2d_plots import playfield

NS = "learn_story"
N_STEPS = 6
LABELS = ("noise", "g", "d", "forger", "detective", "fake", "real", "verdict", "counterfeiter", "police",
          "banknotes", "round", "inspiration", "creator", "work", "critic", "good", "bad", "blind", "wall",
          "mona_lisa", "score", "frozen", "learns", "real_is_1", "fake_is_0", "one_net", "target_1", "gradient")
# question -> (preset to reveal, the baseline it is compared with, number of answer options, right answer)
QUESTIONS = {
    "q_fast_d": ("ring_fast_d", "ring_balanced", 3, 1),
    "q_strong_d": ("ring_strong_d", "ring_balanced", 3, 2),
    "q_minimax": ("ring_minimax", "", 3, 0),  # revealed by saturation_views(), not by two presets
}
SATURATION_PRESET = "ring_d_wins_early"  # a fresh G and a D trained alone: "early training, D wins easily"
# the strong-D question's follow-up: the same strong D, collapse or stall depending only on G's cost
SEPARATE = {"q_strong_d": ("ring_strong_d_collapse", "ring_strong_d_stall")}
SHOW = {"heatmap": True, "manifold": False, "real": True, "fake": True, "arrows": False}


@st.cache_data(show_spinner=False, max_entries=8)
def trained_snapshot(name: str):
    """The view of a shipped ready state (nothing is trained: the state is loaded and drawn)."""
    return ready_trainer(name).view()


@st.cache_data(show_spinner=False, max_entries=2)
def saturation_views():
    """Early training (the shipped "D wins early" state: a fresh G, D trained alone): the push the
    minimax cost and -log D give G against the same D. {loss: view with that loss's arrows}."""
    trainer = ready_trainer(SATURATION_PRESET)
    view = trainer.view()
    d_fake = ready_meta(SATURATION_PRESET)["metrics"]["history"]["d_fake"][-1]
    out = {}
    for loss in ("minimax", "nonsaturating"):
        x, v = trainer.g_arrows(n=64, loss_name=loss)
        out[loss] = dataclasses.replace(view, arrow_from=x, arrow_vec=v, history={"d_fake": [d_fake]})
    return out


def reveal_saturation() -> None:
    views = saturation_views()
    ref = max(float(np.linalg.norm(s.arrow_vec, axis=1).max()) for s in views.values())
    for col, (loss, snap) in zip(st.columns(2), views.items()):
        with col:
            st.markdown(f"**{t(f'{NS}.sat_{loss}')}**")
            st.plotly_chart(playfield(snap, show=SHOW | {"arrows": True}, height=380, arrow_ref=ref),
                            key=f"story_fig_sat_{loss}", config={"displaylogo": False, "staticPlot": True})
            st.caption(t(f"{NS}.sat_result", g=float(np.linalg.norm(snap.arrow_vec, axis=1).mean()),
                         d=float(snap.history["d_fake"][-1])))


STEP_KEY = "story_step"  # also the URL parameter ?story_step=4: a reload (F5) or a shared link keeps the step


def _go(delta: int) -> None:
    st.session_state[STEP_KEY] = min(N_STEPS, max(1, st.session_state.get(STEP_KEY, 1) + delta))


def story() -> None:
    labels = {k: t(f"{NS}.lbl_{k}") for k in LABELS}
    st.session_state.setdefault(STEP_KEY, 1)
    row = st.container(horizontal=True, vertical_alignment="center")
    back = row.empty()  # drawn after the step picker, whose value (from the URL on a reload) decides it
    step = row.segmented_control(t(f"{NS}.step_picker"), list(range(1, N_STEPS + 1)), key=STEP_KEY,
                                 required=True, bind="query-params", label_visibility="collapsed")
    back.button(t(f"{NS}.prev"), key="story_prev", disabled=step == 1, icon=":material/arrow_back:",
                on_click=_go, args=(-1,))
    row.button(t(f"{NS}.next"), key="story_next", disabled=step == N_STEPS, icon=":material/arrow_forward:",
               on_click=_go, args=(1,))
    row.caption(t(f"{NS}.progress", i=step, n=N_STEPS))
    st.subheader(t(f"{NS}.s{step}_title"))
    # a full-width picture: on a projector the labels must stay readable
    st.markdown(diagram(step, labels | {"title": t(f"{NS}.s{step}_title")}), unsafe_allow_html=True)
    st.markdown(t(f"{NS}.s{step}_body"))
    if step == N_STEPS:
        st.success(t(f"{NS}.summary"))


def _open_in_playground(preset: str) -> None:
    st.session_state["pg_preset"] = preset
    st.session_state["pg_autoload"] = True


def question(qid: str) -> None:
    preset, baseline, n_options, right = QUESTIONS[qid]
    st.subheader(t(f"{NS}.{qid}"))
    choice = st.radio(t(f"{NS}.your_prediction"), list(range(n_options)), key=f"story_{qid}", index=None,
                      format_func=lambda i: t(f"{NS}.{qid}_a{i}"))
    revealed = st.session_state.get(f"story_{qid}_shown", False)
    if st.button(t(f"{NS}.reveal"), key=f"story_reveal_{qid}", disabled=choice is None and not revealed):
        st.session_state[f"story_{qid}_shown"] = revealed = True
    if not revealed:
        return
    if choice is not None:
        (st.success if choice == right else st.warning)(t(f"{NS}.right" if choice == right else f"{NS}.not_quite"))
    if not baseline:
        reveal_saturation()
    for col, name in zip(st.columns(2) if baseline else [], (baseline, preset)):
        try:
            snap = trained_snapshot(name)
        except FileNotFoundError as exc:
            col.error(t(f"{NS}.ready_missing", detail=str(exc)))
            continue
        with col:
            st.markdown(f"**{t(f'{NS}.preset_{name}')}**")
            st.plotly_chart(playfield(snap, show=SHOW, height=380), key=f"story_fig_{qid}_{name}",
                            config={"displaylogo": False, "staticPlot": True})
            if snap.coverage:
                st.caption(t(f"{NS}.result", steps=snap.step, js=snap.divergence["js"], **snap.coverage))
    st.markdown(t(f"{NS}.{qid}_explain"))
    if st.button(t(f"{NS}.open_playground"), key=f"story_open_{qid}", on_click=_open_in_playground, args=(preset,)):
        st.switch_page("pages/learn_playground.py")
    for col, name in zip(st.columns(2), SEPARATE.get(qid, ())):
        if col.button(t(f"{NS}.open_{name}"), key=f"story_open_{name}", on_click=_open_in_playground, args=(name,)):
            st.switch_page("pages/learn_playground.py")


def main() -> None:
    st.title(t(f"{NS}.title"))
    st.markdown(t(f"{NS}.intro"))
    story()
    st.divider()
    st.header(t(f"{NS}.h_predict"))
    st.markdown(t(f"{NS}.predict_intro"))
    for qid in QUESTIONS:
        question(qid)
    missing = [p for p, *_ in QUESTIONS.values() if p not in PRESETS]
    missing += [p for pair in SEPARATE.values() for p in pair if p not in PRESETS]
    assert not missing, missing  # a renamed preset must fail loudly in tests


main()
