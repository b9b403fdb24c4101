"""Home: the forger-and-detective story, a diagram of one training step, links, live samples."""

from __future__ import annotations

import html
import os
import random
import re
from pathlib import Path
from string import Template

import streamlit as st
import torch

from app import PAGES
from gan_core import checkpoints
from ui.i18n import t
from ui.images import show_grid

DIAGRAM = Path(__file__).resolve().parent.parent / "assets" / "diagrams" / "gan_loop.svg"
CHECKPOINTS_ENV = "GAN_CLASSROOM_CHECKPOINTS"  # a folder: show only generators found there (tests use it)
SEED_KEY = "home_seed"
N_SAMPLES = 64  # an 8x8 grid


def diagram_svg() -> str:
    """The SVG template with every label translated (XML-escaped), on one line for st.markdown."""
    names = ("noise", "generator", "forger", "fake", "real", "discriminator", "detective", "verdict",
             "g_signal", "d_signal")
    labels = {name: html.escape(t(f"home.diag_{name}")) for name in names}
    svg = Template(DIAGRAM.read_text(encoding="utf-8")).substitute(labels)
    return re.sub(r"\s*\n\s*", " ", svg)  # blank lines/indents would turn into markdown code blocks


def _dataset(info: checkpoints.CheckpointInfo) -> str:
    train_config = info.metrics.get("train_config") or {}
    return str(train_config.get("dataset") or info.data_source.split(":")[0]).lower()


def pick_generator(infos: list[checkpoints.CheckpointInfo]) -> checkpoints.CheckpointInfo | None:
    """Prefer an MNIST DCGAN, then an MNIST MLP, then any other generator checkpoint."""
    family_rank = {"dcgan": 0, "mlp": 1}
    gans = [i for i in infos if i.family != checkpoints.CLASSIFIER_FAMILY]
    if not gans:
        return None
    return min(gans, key=lambda i: (_dataset(i) != "mnist", family_rank.get(i.family, 2), -i.step))


@st.cache_resource(show_spinner=False, max_entries=4)
def load_generator(path: str, mtime: float) -> tuple[torch.nn.Module, object]:
    """Load once per file version; shared by every session, so never train or mutate the result."""
    G, config = checkpoints.load_generator(path)
    return G.eval(), config


@torch.no_grad()
def sample(G: torch.nn.Module, config: object, *, seed: int, n: int = N_SAMPLES) -> torch.Tensor:
    """n images (n, C, H, W) in [-1, 1] from seeded Gaussian noise (labels 0..9 cycled if conditional)."""
    z = torch.randn(n, config.z_dim, generator=torch.Generator().manual_seed(seed))  # (n, z_dim)
    n_classes = getattr(config, "n_classes", None)
    y = torch.arange(n) % n_classes if n_classes else None
    return G(z, y)


def _new_seed() -> None:
    old = st.session_state.get(SEED_KEY)
    st.session_state[SEED_KEY] = random.choice([s for s in range(10_000) if s != old])


def live_samples() -> None:
    st.subheader(t("home.sample_header"))
    folder = os.environ.get(CHECKPOINTS_ENV)
    info = pick_generator(checkpoints.list_checkpoints(*([folder] if folder else [])))
    if info is None:
        st.info(t("home.no_checkpoint"))
        return
    name = info.path.name
    try:
        G, config = load_generator(str(info.path), checkpoints.files_of(info.path)[0].stat().st_mtime)
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
    show_grid(sample(G, config, seed=seed), scale=2, caption=t("home.sample_caption", model=name, seed=seed))
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
