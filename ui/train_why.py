"""The Train page's "why these settings?" panel: one tab per idea behind the sliders, each with a few
sentences and, where it helps, a tiny picture drawn from the slider's current value (SVG, no emoji).

Tabs: the model (DCGAN's rules, why MLP samples speckle), LeakyReLU vs ReLU (dead units), Adam's
beta1 as friction (the update formula), the course's real scale against this page's, where the course
defaults come from, and the data (MNIST or Fashion-MNIST).
"""
from __future__ import annotations

import html
import math

import streamlit as st

from gan_core.models.dcgan import DCGANConfig
from gan_core.training.presets import COURSE
from ui.i18n import t

# The course notebook's own log (the TA's PyTorch MNIST demo): 200 epochs of 938 batches of 64
# (60,000 / 64, rounded up) took 13,996 s on the cloud GPU it ran on.
COURSE_EPOCHS, COURSE_STEPS_PER_EPOCH, COURSE_SECONDS = 200, 938, 13_996
INK, GREY, ACCENT, DEAD = "#222", "#9a9a9a", "#2166ac", "#d6604d"
TABS = ("model", "activation", "adam", "scale", "course", "data")


def _svg(w: int, h: int, body: str) -> str:
    return (f'<svg viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">{body}</svg>')


def _text(x: float, y: float, s: str, *, size: int = 14, color: str = INK, anchor: str = "middle") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" text-anchor="{anchor}">{html.escape(s)}</text>'


def activation_svg(slope: float, labels: dict[str, str]) -> str:
    """ReLU (grey, dashed) and LeakyReLU(slope) (blue) on [-2, 2]; the dead side shaded and labelled."""
    w, h, ox, oy, k = 420, 170, 210, 110, 45  # origin (ox, oy), k px per unit
    body = (f'<rect x="10" y="10" width="{ox - 10}" height="{h - 20}" fill="{DEAD}" fill-opacity="0.08"/>'
            f'<line x1="10" y1="{oy}" x2="{w - 10}" y2="{oy}" stroke="{GREY}"/>'
            f'<line x1="{ox}" y1="10" x2="{ox}" y2="{h - 10}" stroke="{GREY}"/>')
    body += (f'<polyline points="{ox - 2 * k},{oy} {ox},{oy} {ox + 2 * k},{oy - 2 * k}" fill="none" '
             f'stroke="{GREY}" stroke-width="4" stroke-dasharray="7,5"/>')
    body += (f'<polyline points="{ox - 2 * k},{oy + 2 * k * slope:.1f} {ox},{oy} {ox + 2 * k},{oy - 2 * k}" '
             f'fill="none" stroke="{ACCENT}" stroke-width="3"/>')
    body += _text((10 + ox) / 2, 32, labels["dead"], size=13, color=DEAD)  # inside the shaded half
    body += _text(w - 8, h - 30, labels["leaky"], size=13, color=ACCENT, anchor="end")  # below the rising line
    body += _text(w - 8, h - 12, labels["relu"], size=13, color=GREY, anchor="end")
    return _svg(w, h, body)


def momentum_svg(beta1: float, label: str) -> str:
    """Bars: the weight (1 - beta1) beta1^k that a gradient from k steps ago still has in Adam's first
    moment (its 'velocity'), k = 0..11."""
    w, h, n = 440, 150, 12
    bar_w, base, top = 280 / n, h - 30, 26
    body = f'<line x1="20" y1="{base}" x2="{24 + n * bar_w}" y2="{base}" stroke="{GREY}"/>'
    weights = [(1 - beta1) * beta1**k for k in range(n)]
    scale = (base - top) / max(max(weights), 1e-9)
    for k, v in enumerate(weights):
        x = 24 + k * bar_w
        body += (f'<rect x="{x:.1f}" y="{base - v * scale:.1f}" width="{bar_w - 4:.1f}" height="{v * scale:.1f}" '
                 f'fill="{ACCENT}"/>') + _text(x + bar_w / 2 - 2, base + 16, str(k), size=11, color=GREY)
    return _svg(w, h, body + _text(20, 14, label, size=13, anchor="start"))


def dcgan_svg(labels: dict[str, str]) -> str:
    """G's shapes for 28-px images, from DCGANConfig: z -> stem x stem -> ... -> 28 x 28, tanh."""
    cfg = DCGANConfig()
    sides = [cfg.stem * 2**i for i in range(cfg.n_up + 1)]  # 7, 14, 28
    w, h = 150 + 130 * len(sides), 150
    body = ('<defs><marker id="tw-head" markerWidth="10" markerHeight="10" refX="8" refY="3" orient="auto">'
            f'<path d="M0,0 L8,3 L0,6 z" fill="{INK}"/></marker></defs>')
    body += f'<rect x="10" y="50" width="70" height="50" rx="8" fill="{GREY}" fill-opacity="0.2" stroke="{GREY}"/>'
    body += _text(45, 80, "z", size=18)
    x_prev = 80
    for i, side in enumerate(sides):
        size = 24 + 2 * side  # a square that grows with the feature map
        x = 130 + 130 * i
        y = 75 - size / 2
        body += (f'<line x1="{x_prev + 4}" y1="75" x2="{x - 8}" y2="75" stroke="{INK}" stroke-width="2" '
                 'marker-end="url(#tw-head)"/>')
        body += (f'<rect x="{x}" y="{y:.1f}" width="{size}" height="{size}" fill="{ACCENT}" fill-opacity="0.15" '
                 f'stroke="{ACCENT}" stroke-width="2"/>') + _text(x + size / 2, y + size + 16, f"{side}×{side}", size=13)
        x_prev = x + size
    body += _text(w / 2, 16, labels["up"], size=13) + _text(w - 40, 80, "tanh", size=13, color=ACCENT)
    return _svg(w, h, body)


def _course_scale(steps_per_s: float | None) -> None:
    total = COURSE_EPOCHS * COURSE_STEPS_PER_EPOCH
    st.markdown(t("train.why_scale", epochs=COURSE_EPOCHS, per_epoch=COURSE_STEPS_PER_EPOCH, total=total,
                  secs=COURSE_SECONDS, hours=COURSE_SECONDS / 3600))
    st.caption(t("train.why_scale_epoch"))
    if steps_per_s and math.isfinite(steps_per_s) and steps_per_s > 0:
        per_min = round(60 * steps_per_s)
        st.markdown(t("train.why_scale_here", rate=steps_per_s, per_min=per_min,
                      hours=total / steps_per_s / 3600))
        st.markdown(t("train.why_scale_why"))
    else:
        st.caption(t("train.why_scale_none"))


def why_panel(steps_per_s: float | None = None) -> None:
    """The collapsed panel under the toolbar; pictures follow the sidebar's current values."""
    s = st.session_state
    with st.expander(t("train.why"), icon=":material/lightbulb:"):
        tabs = st.tabs([t(f"train.why_tab_{k}") for k in TABS])
        with tabs[0]:
            st.markdown(t("train.why_model"))
            st.markdown(dcgan_svg({"up": t("train.why_svg_up")}), unsafe_allow_html=True)
        with tabs[1]:
            slope = float(s.get("train_slope", COURSE.leaky_slope))
            st.markdown(t("train.why_activation", slope=slope))
            st.markdown(activation_svg(slope, {k: t(f"train.why_svg_{k}") for k in ("dead", "leaky", "relu")}),
                        unsafe_allow_html=True)
        with tabs[2]:
            beta1 = float(s.get("train_beta1", COURSE.beta1))
            st.markdown(t("train.why_adam"))
            st.latex(r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2,"
                     r"\quad \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}")
            st.markdown(momentum_svg(beta1, t("train.why_svg_momentum", b=beta1)), unsafe_allow_html=True)
            if 0 < beta1 < 1:  # the weight of an old gradient halves every h steps: beta1^h = 1/2
                st.caption(t("train.why_adam_half", b=beta1, h=math.log(0.5) / math.log(beta1)))
        with tabs[3]:
            _course_scale(steps_per_s)
        with tabs[4]:
            st.markdown(t("train.why_course", lr=COURSE.lr_g, beta1=COURSE.beta1, beta2=COURSE.beta2,
                          batch_size=COURSE.batch_size, steps=COURSE.steps))
        with tabs[5]:
            st.markdown(t("train.why_data"))
