"""Explore / conditional GAN: ask for a digit, keep the style; the classifier checks every answer."""
from __future__ import annotations

import streamlit as st
import torch

from gan_core import explore as core
from gan_core.models import cgan
from gan_core.training.cgan_step import CGANTrainer
from gan_core.training.family import SAMPLES_CLASS
from ui import explore_widgets as ew
from ui.explore_cgan import diagram_dot, verdicts
from ui.i18n import pct, t
from ui.layout import show_code

DIGIT_KEY = "cgan_digit"
SEED_KEY = "cgan_seed"
STYLES = 6  # rows of the style x digit grid


def _pick(d: int) -> None:
    st.session_state[DIGIT_KEY] = d


def _new_style() -> None:
    st.session_state[SEED_KEY] = (int(st.session_state.get(SEED_KEY, 0)) + 1) % (ew.MAX_SEED + 1)


st.title(t("explore_cgan.title"))
st.markdown(t("explore_cgan.intro"))
model = ew.model_picker("cgan_model", needs=SAMPLES_CLASS, prefer=("mnist_cgan",))
if model is None:
    st.stop()
accuracy = model.meta.get("metrics", {}).get("label_accuracy")
if isinstance(accuracy, (int, float)):
    st.metric(t("explore_cgan.accuracy"), pct(accuracy, 1), help=t("explore_cgan.accuracy_help"))

st.header(t("explore_cgan.pick_header"))
for d, col in enumerate(st.columns(10)):
    col.button(str(d), key=f"cgan_btn_{d}", on_click=_pick, args=(d,), width="stretch",
               type="primary" if st.session_state.get(DIGIT_KEY, 7) == d else "secondary")
digit = int(st.session_state.get(DIGIT_KEY, 7))
controls, big = st.columns([1, 2])
with controls:
    seed = ew.seed_box(SEED_KEY, label=t("explore_cgan.style_seed"))
    st.button(t("explore_cgan.new_style"), icon=":material/casino:", on_click=_new_style, key="cgan_new_style")
z = core.pool(model, 1, seed=seed)  # (1, z_dim): the style noise
row = core.render(model, z.expand(10, -1), torch.arange(10))  # same style, digits 0..9
labels = verdicts(row)
with big:
    ew.show(row[digit][None], nrow=1, scale=8,
            caption=t("explore_cgan.big_caption", digit=digit, seed=seed, verdict=labels[digit]))

st.subheader(t("explore_cgan.row_header"))
ew.row_with_captions(row, labels, scale=3)
st.caption(t("explore_cgan.row_note"))

st.subheader(t("explore_cgan.grid_header"))
styles = core.pool(model, STYLES, seed=seed + 1)
grid = core.render(model, styles.repeat_interleave(10, dim=0), torch.arange(10).repeat(STYLES))
ew.show(grid, nrow=10, scale=3, caption=t("explore_cgan.grid_caption"))

st.header(t("explore_cgan.how_header"))
st.markdown(t("explore_cgan.how"))
st.graphviz_chart(diagram_dot(), width="content")  # natural size: the labels stay readable
show_code(cgan.Discriminator.forward_aux)
show_code(CGANTrainer._update_g)
