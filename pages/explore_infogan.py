"""Explore / InfoGAN: a categorical code and two continuous codes, next to an unconditional GAN's
latent dimensions swept the same way (the InfoGAN paper's figure 2)."""
from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from gan_core import explore as core
from gan_core.training.family import SAMPLES_CODES
from gan_core.training.infogan_step import InfoGANTrainer, info_loss
from ui import explore_widgets as ew
from ui.i18n import t
from ui.layout import show_code

SWEEP = np.linspace(-2.0, 2.0, 7)  # the paper varies continuous codes from -2 to 2
ROWS = 10

st.title(t("explore_infogan.title"))
st.markdown(t("explore_infogan.intro"))
model = ew.model_picker("infogan_model", needs=SAMPLES_CODES, prefer=("mnist_infogan",))
if model is None:
    st.stop()
cfg = model.config

# -- the codes, by hand ---------------------------------------------------------------------------
st.header(t("explore_infogan.codes_header"))
controls, picture = st.columns([2, 1])
with controls:
    c1 = st.segmented_control(t("explore_infogan.c1"), list(range(cfg.n_cat)), default=0, key="infogan_c1",
                              help=t("explore_infogan.c1_help"))
    c1 = 0 if c1 is None else int(c1)
    cont = [st.slider(t(f"explore_infogan.c{j + 2}"), -2.0, 2.0, 0.0, 0.1, key=f"infogan_c{j + 2}")
            for j in range(min(cfg.n_cont, 2))] + [0.0] * max(0, cfg.n_cont - 2)
    seed = ew.seed_box("infogan_seed", label=t("explore_infogan.noise_seed"))
noise = torch.randn(1, cfg.noise_dim, generator=torch.Generator().manual_seed(seed))  # (1, noise_dim)
one = core.render(model, core.infogan_latent(model, noise, torch.tensor([c1]), torch.tensor([cont])))
with picture:
    ew.show(one, nrow=1, scale=8, caption=t("explore_infogan.one_caption", c1=c1,
                                              c2=f"{cont[0]:+.1f}" if cont else "-", c3=f"{cont[1]:+.1f}" if len(cont) > 1 else "-"))
cats = core.render(model, core.infogan_latent(model, noise.expand(cfg.n_cat, -1), torch.arange(cfg.n_cat),
                                              torch.tensor([cont] * cfg.n_cat)))
ew.show(cats, nrow=cfg.n_cat, scale=3, caption=t("explore_infogan.c1_row_caption"))

# -- sweeps side by side -----------------------------------------------------------------------------
st.header(t("explore_infogan.sweep_header"))
st.markdown(t("explore_infogan.sweep_intro"))
cats_rows = list(range(min(cfg.n_cat, ROWS)))
tabs = st.tabs([t(f"explore_infogan.tab_c{j + 2}") for j in range(min(cfg.n_cont, 2))] + [t("explore_infogan.tab_c1")])
for j, tab in enumerate(tabs[:-1]):
    with tab:
        left, right = st.columns(2)
        with left:
            sweep = core.infogan_sweep(model, noise, which=j, values=SWEEP, fixed_cont=np.zeros(cfg.n_cont),
                                       cats=cats_rows)  # other codes at 0, as in the paper
            ew.show(sweep, nrow=len(SWEEP), scale=2, caption=t(f"explore_infogan.sweep_c{j + 2}_caption"))
        with right:
            ew.unconditional_sweep(key=f"infogan_dim_{j}", default_dim=j, values=SWEEP, rows=ROWS, seed=seed)
with tabs[-1]:
    left, right = st.columns(2)
    with left:
        noises = torch.randn(5, cfg.noise_dim, generator=torch.Generator().manual_seed(seed + 1))
        grid = core.render(model, core.infogan_latent(
            model, noises.repeat_interleave(cfg.n_cat, 0), torch.arange(cfg.n_cat).repeat(5),
            torch.zeros(5 * cfg.n_cat, cfg.n_cont)))
        ew.show(grid, nrow=cfg.n_cat, scale=2, caption=t("explore_infogan.c1_grid_caption"))
    with right:
        ew.unconditional_sweep(key="infogan_dim_cat", default_dim=2, values=np.linspace(-2.5, 2.5, 10),
                               rows=5, seed=seed)
st.caption(t("explore_infogan.note"))
show_code(info_loss)
show_code(InfoGANTrainer._update_g)
