"""The deepfake page's swap demo: pick a handwritten or typeset digit, see its reconstruction and its
swap, with and without the adversarial term when both models are there."""
from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from gan_core import checkpoints
from gan_core.images import make_grid, to_uint8
from gan_core.training.family import SWAPS
from gan_core.training.swap_step import SwapTrainer, swap_rows, to_input
from ui import deepfake_data as dd
from ui import explore_widgets as ew
from ui.i18n import fmt, pct, t
from ui.layout import show_code

NS = "society_deepfakes"
EXAMPLES = 12  # numbered examples per identity
IDENTITY_KEY, PICK_KEY, SEED_KEY = "df_swap_identity", "df_swap_pick", "df_swap_seed"
TRAIN_PAGE = "pages/train_mnist.py"


def _adversarial(info: checkpoints.CheckpointInfo) -> bool:
    return float((info.train_config or {}).get("adv_weight", 0.0) or 0.0) > 0


def _kind_label(info: checkpoints.CheckpointInfo) -> str:
    return t(f"{NS}.swap_with_adv" if _adversarial(info) else f"{NS}.swap_plain")


def _new_examples() -> None:
    st.session_state[SEED_KEY] = (int(st.session_state.get(SEED_KEY, 0)) + 1) % (ew.MAX_SEED + 1)


@torch.no_grad()
def _trio(model, x: np.ndarray, identity: str) -> np.ndarray:
    """uint8 (3, 28, 28): input, reconstruction, swap of one picture."""
    inp = to_input(x[None])
    other = "B" if identity == "A" else "A"
    return to_uint8(torch.cat([inp, model(inp, identity), model.swap(inp, to=other)]))  # (3, 28, 28)


def _metrics(info: checkpoints.CheckpointInfo) -> None:
    m = info.metrics
    cols = st.columns(4)
    for col, key, label, help_key in (
        (cols[0], "digit_kept_A_to_B", "m_digit_kept", "m_digit_kept_help"),
        (cols[1], "typeset_score", "m_typeset", "m_typeset_help"),
        (cols[2], "handwritten_score", "m_handwritten", "m_handwritten_help"),
    ):
        value = m.get(key)
        col.metric(t(f"{NS}.{label}"), pct(value) if isinstance(value, (int, float)) else "—",
                   help=t(f"{NS}.{help_key}", real=pct(m.get("digit_read_real_B", float("nan"))),
                          judge=pct(m.get("identity_real_accuracy", float("nan"))),
                          recon=pct(m.get("identity_recon_kept", float("nan")))))
    minutes = float(m.get("train_seconds", 0.0) or 0.0) / 60
    cols[3].metric(t(f"{NS}.m_steps"), fmt(int(info.step), ","), help=t(f"{NS}.m_steps_help", minutes=minutes))


def section_swap() -> None:
    st.subheader(t(f"{NS}.swap_header"))
    st.markdown(t(f"{NS}.swap_intro"))
    infos = dd.infos_with(SWAPS)
    if not infos:
        st.info(t(f"{NS}.no_swap_model"))
        st.page_link(TRAIN_PAGE, label=t(f"{NS}.train_link"), icon=":material/model_training:")
        return
    plain = [i for i in infos if not _adversarial(i)]
    adv = [i for i in infos if _adversarial(i)]
    shown = (plain[:1] + adv[:1]) or infos[:1]
    controls, big = st.columns([2, 3])
    with controls:
        names = {k: t(f"{NS}.identity_{k}") for k in ("A", "B")}
        identity = dd.choice(st.radio, t(f"{NS}.swap_identity"), ["A", "B"], key=IDENTITY_KEY, names=names,
                             horizontal=True)
        seed = ew.seed_box(SEED_KEY, label=t(f"{NS}.swap_seed"))
        st.button(t(f"{NS}.swap_new"), icon=":material/casino:", on_click=_new_examples, key="df_swap_new")
        pool = dd.held_out(EXAMPLES, seed)[identity]
        st.image(ew.numbered_grid(pool[0], nrow=6, scale=2), width="content", output_format="PNG")
        pick = int(st.number_input(t(f"{NS}.swap_pick"), min_value=0, max_value=EXAMPLES - 1, value=0, step=1,
                                   key=PICK_KEY))
    with big:
        for info in shown:
            try:
                model, _ = dd.swap_model(info)
            except (checkpoints.CheckpointError, OSError) as exc:
                st.error(t(f"{NS}.load_error", name=info.path.name, error=exc))
                continue
            trio = _trio(model, pool[0][pick], identity)
            st.markdown(f"**{_kind_label(info)}** · `{info.path.name}`")
            ew.row_with_captions(trio, [t(f"{NS}.lbl_input_{identity}"), t(f"{NS}.lbl_recon"),
                                        t(f"{NS}.lbl_swap_{identity}")], scale=5)
    st.caption(t(f"{NS}.swap_caption"))
    with st.expander(t(f"{NS}.swap_all_header", n=EXAMPLES)):
        for info in shown:
            model, _ = dd.swap_model(info)
            both = {k: to_input(dd.held_out(EXAMPLES, seed)[k][0][:6]) for k in ("A", "B")}
            ew.show(make_grid(swap_rows(model, both), nrow=6), nrow=1, scale=2,
                    caption=t(f"{NS}.swap_all_caption", kind=_kind_label(info)))
    n_eval = shown[0].metrics.get("n", 1000)
    st.markdown("#### " + t(f"{NS}.swap_scores_header", n=n_eval if isinstance(n_eval, int) else 1000))
    for info in shown:
        st.markdown(f"**{_kind_label(info)}**")
        _metrics(info)
    st.markdown(t(f"{NS}.swap_how"))
    st.graphviz_chart(diagram_dot(), width="content")
    st.markdown(t(f"{NS}.swap_gan_route"))
    st.page_link(TRAIN_PAGE, label=t(f"{NS}.train_link"), icon=":material/model_training:")
    show_code(SwapTrainer.step)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def diagram_dot() -> str:
    """Graphviz DOT: one shared encoder, two decoders; the swap crosses over."""
    lab = {k: _q(t(f"{NS}.diag_{k}")) for k in ("xa", "xb", "enc", "code", "deca", "decb", "ra", "rb", "swap")}
    return f"""digraph swap {{
  rankdir=LR; bgcolor="transparent"; nodesep=0.25; ranksep=0.45;
  node [shape=box, style="rounded,filled", fillcolor="#f1f5f9", fontname="sans-serif", fontsize=18];
  xa [label={lab['xa']}]; xb [label={lab['xb']}];
  E [label={lab['enc']}, fillcolor="#bfdbfe"]; code [label={lab['code']}, shape=ellipse];
  DA [label={lab['deca']}, fillcolor="#fde68a"]; DB [label={lab['decb']}, fillcolor="#bbf7d0"];
  ra [label={lab['ra']}]; rb [label={lab['rb']}]; sw [label={lab['swap']}, fillcolor="#fecaca"];
  xa -> E; xb -> E; E -> code; code -> DA -> ra; code -> DB -> rb; DB -> sw [style=dashed, color="#dc2626"];
}}"""
