"""Home: the forger-and-detective story, a diagram of one training step, links, live samples."""

from __future__ import annotations

import html
import random
import re
from pathlib import Path
from string import Template

import streamlit as st

from app import PAGES
from gan_core import checkpoints
from gan_core import explore as core
from gan_core.training.family import SAMPLES_Z
from gan_core.training.image_gan import dataset_of
from ui import explore_widgets as ew
from ui.i18n import t
from ui.svg_text import fit_size, text_width

DIAGRAM = Path(__file__).resolve().parent.parent / "assets" / "diagrams" / "gan_loop.svg"
PREFER = ("mnist_dcgan",)  # the shipped model a class sees first
SEED_KEY = "home_seed"
N_SAMPLES = 64  # an 8x8 grid


# label -> (font size, room in the diagram's units, bold): each label is drawn small enough to fit
DIAGRAM_ROOM = {"noise": (18, 118, False), "generator": (18, 148, True), "forger": (16, 148, False),
                "fake": (18, 158, False), "real": (18, 158, False), "discriminator": (18, 158, True),
                "detective": (16, 158, False), "verdict": (18, 176, True), "g_signal": (16, 600, False),
                "d_signal": (16, 430, False)}


def diagram_svg() -> str:
    """The SVG template with every label translated (XML-escaped) and sized to fit its box, on one
    line for st.markdown (ui.svg_text estimates the width; Polish and Chinese labels run longer)."""
    labels = {}
    for name, (size, room, bold) in DIAGRAM_ROOM.items():
        text = t(f"home.diag_{name}")
        fs = fit_size(text, size, room, bold=bold)
        squeeze = text_width(text, fs, bold=bold) > room
        labels |= {name: html.escape(text), f"{name}_fs": f"{fs:g}",
                   f"{name}_fit": f'textLength="{room}" lengthAdjust="spacingAndGlyphs"' if squeeze else ""}
    svg = Template(DIAGRAM.read_text(encoding="utf-8")).substitute(labels)
    return re.sub(r"\s*\n\s*", " ", svg)  # blank lines/indents would turn into markdown code blocks


def pick_generator(infos: list[checkpoints.CheckpointInfo],
                   prefer: tuple[str, ...] = PREFER) -> checkpoints.CheckpointInfo | None:
    """The checkpoint to sample from: a preferred name, else a generator trained on MNIST, else any
    checkpoint that samples images from noise (chosen by capability, never by family name)."""
    gans = [i for i in infos if SAMPLES_Z in i.capabilities]
    for name in prefer:
        for info in gans:
            if info.name == name:
                return info
    mnist = [i for i in gans if dataset_of(i.train_config or None) == "mnist"]
    return (mnist or gans or [None])[0]


def _new_seed() -> None:
    old = st.session_state.get(SEED_KEY)
    st.session_state[SEED_KEY] = random.choice([s for s in range(10_000) if s != old])


def live_samples() -> None:
    st.subheader(t("home.sample_header"))
    info = pick_generator(ew.infos())
    if info is None:
        st.info(t("home.no_checkpoint"))
        return
    name = info.name
    try:
        model = ew.load(info.path)
    except (checkpoints.CheckpointError, OSError) as e:
        st.error(t("home.load_error", name=name, error=e))
        return
    st.session_state.setdefault(SEED_KEY, 0)
    button, seed_box = st.columns(2, vertical_alignment="bottom")
    button.button(t("home.new_samples"), icon=":material/casino:", on_click=_new_seed, key="home_new_samples",
                  width="stretch")
    seed_box.number_input(t("home.seed"), min_value=0, max_value=2**31 - 1, step=1, key=SEED_KEY,
                          help=t("home.seed_help"))
    seed = int(st.session_state[SEED_KEY])
    images = core.render(model, core.pool(model, N_SAMPLES, seed=seed))
    ew.show(images, nrow=8, scale=2, caption=t("home.sample_caption", model=name, seed=seed))
    st.caption(t("home.model_info", name=name, family=info.family, step=info.step))


def what_you_can_do() -> None:
    others = [item for item in PAGES if item.path != "pages/home.py"]
    if not others:
        return
    st.subheader(t("home.todo_header"))
    st.markdown(t("home.todo_intro"))
    per_row = 3  # cards, so a dozen pages still fit on one projector screen
    for start in range(0, len(others), per_row):
        for column, item in zip(st.columns(per_row), others[start : start + per_row]):
            with column.container(border=True, height="stretch"):
                st.page_link(item.path, label=t(item.title_key), icon=item.icon)
                st.caption(t(item.blurb_key))


st.title(t("home.title"))
st.markdown(t("home.tagline"))
story, live = st.columns([1, 1], gap="large")
with story:
    st.header(t("home.story_header"))
    st.markdown(t("home.story_body"))
    st.markdown(t("home.blind_forger"))
with live:
    live_samples()
st.markdown(diagram_svg(), unsafe_allow_html=True)
st.caption(t("home.diagram_caption"))
what_you_can_do()
