"""Learn: the objective lab -- V(D, G), D*, the three generator costs, LSGAN / WGAN / hinge, and why
GAN losses level off. Thin page: numbers from gan_core.objectives, figures from ui/objective_plots."""
from __future__ import annotations

import re

import numpy as np
import streamlit as st

from gan_core.objectives import (
    LOG4,
    earth_mover_vs_js,
    equilibrium_levels,
    gaussian_game,
    generator_cost_curves,
    score_losses,
)
from gan_core.training.toy2d_presets import ready_meta
from ui.i18n import num, t
from ui.layout import show_code
from ui.objective_plots import (
    earth_mover_figure,
    equilibrium_figure,
    generator_costs_figure,
    optimal_d_figure,
    score_losses_figure,
)

NS = "learn_objectives"
CFG = {"displaylogo": False}


def tex_text(text: str) -> str:
    """Translated words inside a formula: ``\\text{...}`` with LaTeX's special characters escaped."""
    return "\\text{" + re.sub(r"([\\{}$&#^_%~])", r"\\\1", text) + "}"


# Fixed numbers, computed once per server (st.cache_data): the cost curves are 597 one-sample autograd
# calls (~30 ms), the score losses 484 (~11 ms), the earth-mover sweep 81 shifts (~9 ms); every slider
# move on this page reran all three.
@st.cache_data(show_spinner=False, max_entries=1)
def cost_curves() -> tuple[np.ndarray, dict]:
    d = np.linspace(0.005, 0.995, 199)
    return d, generator_cost_curves(d)


@st.cache_data(show_spinner=False, max_entries=1)
def score_curves() -> tuple[np.ndarray, dict]:
    s = np.linspace(-3.0, 3.0, 121)
    return s, score_losses(s)


@st.cache_data(show_spinner=False, max_entries=128)  # the shift slider has 81 positions
def earth_mover(shift: float) -> dict:
    return earth_mover_vs_js(shift)


def section_value() -> None:
    st.header(t(f"{NS}.h_value"))
    st.markdown(t(f"{NS}.value_intro"))
    st.latex(r"\min_G \max_D V(D,G) = \mathbb{E}_{x\sim p_{data}}[\log D(x)]"
             r" + \mathbb{E}_{z\sim p_z}[\log(1 - D(G(z)))]")
    st.markdown(t(f"{NS}.cost_d"))
    st.latex(r"J^{(D)} = -\tfrac12\,\mathbb{E}_{x}\log D(x) - \tfrac12\,\mathbb{E}_{z}\log(1 - D(G(z)))")
    st.markdown(t(f"{NS}.cost_g"))
    st.latex(r"J^{(G)} = -J^{(D)} \;\Rightarrow\; \min_G\ \tfrac12\,\mathbb{E}_{z}\log(1 - D(G(z)))")


def section_optimal_d() -> None:
    st.header(t(f"{NS}.h_dstar"))
    st.markdown(t(f"{NS}.dstar_intro"))
    st.latex(r"D^*(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)}")
    c1, c2 = st.columns(2)
    mu = c1.slider(t(f"{NS}.mu"), -4.0, 4.0, 2.0, 0.1, key="ob_mu")
    sigma = c2.slider(t(f"{NS}.sigma"), 0.2, 3.0, 0.7, 0.1, key="ob_sigma")
    game = gaussian_game(mu, sigma)
    st.plotly_chart(optimal_d_figure(game), key="ob_dstar_fig", config=CFG)
    c = st.columns(3)
    c[0].metric(t(f"{NS}.metric_v"), num(game["v"], 3))
    c[1].metric(t(f"{NS}.metric_min"), num(-LOG4, 3))
    c[2].metric(t(f"{NS}.metric_js"), num(game["js_nats"], 3))  # nats, like V: the identity below adds up
    st.markdown(t(f"{NS}.dstar_after"))
    st.latex(r"V(D^*, G) = -\log 4 + 2\,\mathrm{JS}(p_{data}\,\|\,p_g)")
    st.caption(t(f"{NS}.identity_check", log4=-LOG4, js=game["js_nats"], total=game["v_from_js"],
                 bits=game["js_bits"]))


def section_generator_costs() -> None:
    st.header(t(f"{NS}.h_costs"))
    st.markdown(t(f"{NS}.costs_intro"))
    # one cost per line, named in the reader's language (one long line was cut off on the right)
    name = {k: tex_text(t(f"{NS}.cost_{k}")) for k in ("minimax", "nonsaturating", "maxlik")}
    st.latex(r"\begin{aligned}" + name["minimax"] + r":&\quad \mathbb{E}_z\log(1 - D(G(z)))\\"
             + name["nonsaturating"] + r":&\quad -\mathbb{E}_z\log D(G(z))\\"
             + name["maxlik"] + r":&\quad -\mathbb{E}_z\,\frac{D(G(z))}{1 - D(G(z))}\end{aligned}")
    d, curves = cost_curves()
    which = st.radio(t(f"{NS}.show"), ["cost", "dlogit"], key="ob_cost_view", horizontal=True,
                     format_func=lambda k: t(f"{NS}.show_{k}"))
    st.plotly_chart(generator_costs_figure(d, curves, which=which), key="ob_costs_fig", config=CFG)
    st.markdown(t(f"{NS}.costs_why"))
    show_code(generator_cost_curves)


def section_other_losses() -> None:
    st.header(t(f"{NS}.h_other"))
    st.markdown(t(f"{NS}.other_intro"))
    st.latex(r"\begin{aligned}\text{LSGAN:}\quad J^{(D)} &= \tfrac12\mathbb{E}_x(s(x)-1)^2"
             r" + \tfrac12\mathbb{E}_z s(G(z))^2\\ J^{(G)} &= \tfrac12\mathbb{E}_z(s(G(z))-1)^2\end{aligned}")
    st.latex(r"\begin{aligned}\text{hinge:}\quad J^{(D)} &= \mathbb{E}_x\max(0, 1-s(x))"
             r" + \mathbb{E}_z\max(0, 1+s(G(z)))\\ J^{(G)} &= -\mathbb{E}_z s(G(z))\end{aligned}")
    s, losses = score_curves()
    st.plotly_chart(score_losses_figure(s, losses), key="ob_score_fig", config=CFG)
    st.subheader(t(f"{NS}.h_wgan"))
    st.markdown(t(f"{NS}.wgan_intro"))
    st.latex(r"\begin{aligned}W(p_{data}, p_g) &= \inf_{\gamma\in\Pi(p_{data}, p_g)}"
             r" \mathbb{E}_{(x,y)\sim\gamma}\|x - y\|\\ &= \sup_{\|f\|_L\le 1}"
             r" \mathbb{E}_{p_{data}} f - \mathbb{E}_{p_g} f\end{aligned}")
    shift = st.slider(t(f"{NS}.shift"), -4.0, 4.0, 2.5, 0.1, key="ob_shift")
    em = earth_mover(shift)
    st.plotly_chart(earth_mover_figure(em), key="ob_em_fig", config=CFG)
    c = st.columns(2)
    c[0].metric(t(f"{NS}.js_bits"), num(em["js"], 3))
    c[1].metric(t(f"{NS}.w1"), num(em["w1"], 2))
    st.markdown(t(f"{NS}.wgan_after"))


@st.cache_data(show_spinner=False)
def recorded_history(name: str) -> dict | None:
    """Loss curves recorded when the shipped ready state was trained (see toy2d_presets)."""
    try:
        meta = ready_meta(name)
    except (FileNotFoundError, ValueError):  # missing or unreadable sidecar: the section says so
        return None
    return meta["metrics"].get("history")


def section_equilibrium() -> None:
    st.header(t(f"{NS}.h_eq"))
    st.markdown(t(f"{NS}.eq_intro"))
    levels = equilibrium_levels()
    hist = recorded_history("ring_balanced")
    if hist is None:
        st.info(t(f"{NS}.eq_missing"))
    else:
        st.plotly_chart(equilibrium_figure(hist, levels), key="ob_eq_fig", config=CFG)
        tail = slice(len(hist["d_loss"]) * 3 // 4, None)
        st.caption(t(f"{NS}.eq_tail", d=float(np.mean(hist["d_loss"][tail])),
                     g=float(np.mean(hist["g_loss"][tail])), log2=levels["d_loss"]))
    st.markdown(t(f"{NS}.eq_nash"))
    with st.expander(t(f"{NS}.eq_when_stop")):
        st.markdown(t(f"{NS}.eq_when_stop_body"))


def main() -> None:
    st.title(t(f"{NS}.title"))
    st.markdown(t(f"{NS}.intro"))
    section_value()
    section_optimal_d()
    section_generator_costs()
    section_other_losses()
    section_equilibrium()


main()
