"""Latent explorer widgets: the "automatic concepts" tab (thickness, slant, digit class)."""
from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from gan_core import explore as core
from gan_core import latent
from gan_core.metrics import CLASSIFIER_STEM
from ui import explore_widgets as ew
from ui.i18n import num, pct, t

MEASURED = 256  # samples measured to find each concept
STRENGTHS = [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]


@st.cache_data(show_spinner=False, max_entries=8)
def _measured(stem: str, seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    model = ew.load(stem)
    z = core.pool(model, MEASURED, seed=10_000 + seed)
    return z.numpy(), core.measure_pool(model, z)


def _label(concept: str, scores: dict[str, np.ndarray], i: int) -> str:
    if concept == "thickness":
        return t("explore_latent.value_thickness", v=num(scores["thickness"][i], 1))
    if concept == "slant":
        return t("explore_latent.value_slant", v=num(scores["slant"][i], 2, signed=True))
    return t("explore_latent.value_class", d=int(scores["class"][i]), p=pct(scores["confidence"][i]))


def auto_concepts(model: core.Model, z_pool: torch.Tensor, pool_images: np.ndarray, *, seed: int) -> None:
    if not model.is_digits or not CLASSIFIER_STEM.with_suffix(".json").is_file():
        st.info(t("explore_latent.auto_digits_only"))
        return
    st.markdown(t("explore_latent.auto_intro"))
    concept = st.segmented_control(t("explore_latent.concept"), ["thickness", "slant", "class"], default="thickness",
                                   format_func=lambda c: t(f"explore_latent.concept_{c}"), key="latent_concept")
    concept = concept or "thickness"
    cols = st.columns(3)
    with cols[0]:
        k = st.slider(t("explore_latent.k"), 3, 32, 12, key="latent_k")
    digits = (0, 1)
    if concept == "class":
        with cols[1]:
            d_from = st.selectbox(t("explore_latent.digit_from"), list(range(10)), index=7, key="latent_from")
        with cols[2]:
            d_to = st.selectbox(t("explore_latent.digit_to"), list(range(10)), index=1, key="latent_to")
        digits = (int(d_from), int(d_to))
    base_idx = st.pills(t("explore_latent.base"), list(range(len(z_pool))), default=0, key="latent_base") or 0
    z_np, scores = _measured(model.stem, seed)
    z = torch.from_numpy(z_np)
    a, b = core.auto_direction(z, scores, concept, k=k, digits=digits)
    if len(a) < 3 or len(b) < 3:
        st.warning(t("explore_latent.auto_too_few", n=MEASURED))
        return
    direction = latent.concept_vector(z[a]) - latent.concept_vector(z[b])  # A - B
    ex_a, ex_b = core.render(model, z[a[:8]]), core.render(model, z[b[:8]])
    left, right = st.columns(2)
    with left:
        ew.show(ex_a, nrow=8, scale=2, caption=t(f"explore_latent.auto_a_{concept}", k=len(a)))
    with right:
        ew.show(ex_b, nrow=8, scale=2, caption=t(f"explore_latent.auto_b_{concept}", k=len(b)))
    base = z_pool[int(base_idx)]
    dial = core.concept_dial(model, base, direction, STRENGTHS)
    from gan_core import concepts as measures

    dial_scores = {"thickness": measures.stroke_thickness(dial), "slant": measures.slant(dial)}
    if concept == "class":
        dial_scores["class"], dial_scores["confidence"] = core.classify(dial)
    st.markdown(t("explore_latent.dial_header"))
    ew.row_with_captions(dial, [t("explore_latent.strength", s=num(s, 1, signed=True)) + " · "
                                + _label(concept, dial_scores, i) for i, s in enumerate(STRENGTHS)], scale=3)
    grid = core.render(model, latent.neighbourhood(base + direction, 9, sigma=0.3, seed=seed))
    ew.show(grid, nrow=3, scale=3, caption=t("explore_latent.auto_result_caption"))
