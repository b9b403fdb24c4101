"""Image-to-image / GAN vs MAE: what a pixel loss draws where several answers are right (the paper's
blur; our shipped L1-only model leaves the hidden half empty instead), and what L1, cGAN and L1 + cGAN
each draw (pix2pix on 28-px digits, SRGAN's PSNR-versus-eyes point on 4x super-resolution). Thin page:
the maths is in gan_core.img2img / pixel_optima, the later tabs in ui/img2img_losses_sections.py, the
sentences that depend on what our models show in ui/img2img_losses_verdicts.py."""
from __future__ import annotations

import numpy as np
import streamlit as st

from gan_core import img2img as core
from gan_core import pixel_optima as po
from gan_core.data.paired import canvas_to_ink, drawing_to_input
from gan_core.training.pix2pix_step import show_input
from ui import explore_widgets as ew
from ui import img2img_losses as il
from ui import img2img_losses_sections as sections
from ui import img2img_losses_verdicts as verdicts
from ui.i18n import num, pct, t
from ui.img2img_losses_plots import loss_curves_figure, pixel_figure

NS = il.NS
MAIN = ("l1", "cgan", "l1cgan100")  # the three losses of the quiz and the first rows
CFG = {"displaylogo": False}
MAX_TYPED = 64  # bins a typed distribution may have


def _new_quiz() -> None:
    st.session_state["il_quiz_seed"] = int(st.session_state.get("il_quiz_seed", 0)) + 1
    for letter in "ABC":
        st.session_state.pop(f"il_quiz_{letter}", None)
    st.session_state.pop("il_quiz_checked", None)


def section_quiz() -> None:
    st.header(t(f"{NS}.h_quiz"))
    st.markdown(t(f"{NS}.quiz_intro"))
    found = il.variants("completion")
    if not all(k in found for k in MAIN):
        st.info(t(f"{NS}.missing_models"))
        return
    seed = int(st.session_state.get("il_quiz_seed", 0))
    inputs, targets, _ = il.held("completion", 8, 1000 + seed)
    order = [MAIN[i] for i in np.random.default_rng(seed).permutation(len(MAIN))]  # who is A, B, C
    sections.image_row(t(f"{NS}.row_input"), show_input(inputs, "completion"))
    checked = st.session_state.get("il_quiz_checked") == seed
    score, l1_ink = 0, 1.0
    for letter, key in zip("ABC", order):
        pics = il.outputs(found[key], inputs)
        if key == "l1" and pics is not None:
            l1_ink = core.ink_share(pics, targets, "completion")
        left, right = st.columns([1, 3])
        guess = left.selectbox(t(f"{NS}.quiz_pick", letter=letter), MAIN, index=None, key=f"il_quiz_{letter}",
                               placeholder=t(f"{NS}.quiz_unsure"), format_func=il.names(MAIN).__getitem__)
        if pics is not None:
            with right:
                ew.show(pics, nrow=8, scale=3)
        if checked:
            score += guess == key
            verdict = "quiz_right" if guess == key else "quiz_wrong"
            left.markdown(t(f"{NS}.{verdict}", name=il.label(key)))
    sections.image_row(t(f"{NS}.row_truth"), targets)
    c1, c2 = st.columns(2)
    if c1.button(t(f"{NS}.quiz_check"), key="il_quiz_check", icon=":material/fact_check:"):
        st.session_state["il_quiz_checked"] = seed
        st.rerun()
    c2.button(t(f"{NS}.quiz_new"), key="il_quiz_new", icon=":material/casino:", on_click=_new_quiz)
    if checked:
        st.success(t(f"{NS}.quiz_score", score=score))
        # what L1 only drew on these digits: the paper's grey hedge, or (our shipped model) hardly any ink
        st.markdown(t(f"{NS}.quiz_explain_{'empty' if l1_ink < verdicts.EMPTY else 'blur'}", ink=pct(l1_ink)))


def _typed_weights(text: str) -> np.ndarray | None:
    """Comma- or space-separated non-negative numbers -> probabilities, or None (message shown)."""
    parts = [p for p in text.replace(";", ",").replace(",", " ").split() if p]
    try:
        values = np.array([float(p) for p in parts])
        if not 2 <= len(values) <= MAX_TYPED:
            raise ValueError("count")
        return po.normalise(values)
    except ValueError:
        st.error(t(f"{NS}.typed_bad", n=MAX_TYPED))
        return None


def _distribution() -> np.ndarray:
    options = [*po.PRESETS, "typed", "draw"]
    source = st.radio(t(f"{NS}.dist_source"), options, key="il_dist_source", horizontal=True,
                      format_func=il.names(options, "dist_").__getitem__)
    if source == "typed":
        p = _typed_weights(st.text_input(t(f"{NS}.typed_label"), "1, 0, 0, 0, 0, 0, 0, 1", key="il_weights"))
        return p if p is not None else po.preset("two_equal")
    if source == "draw":
        st.caption(t(f"{NS}.draw_dist_help"))
        drawn = il.canvas("il_dist_canvas", task=None, size=448, height=180, stroke=6)
        if drawn is not None:
            try:
                return po.from_drawing(canvas_to_ink(drawn))
            except ValueError:
                pass
        st.info(t(f"{NS}.draw_dist_empty"))
        return po.preset("two_equal")
    return po.preset(source)


def section_pixel() -> None:
    st.header(t(f"{NS}.h_pixel"))
    st.markdown(t(f"{NS}.pixel_intro"))
    p = _distribution()
    options = ["mean", "median", "mode", "anything"]
    guess = st.radio(t(f"{NS}.mae_guess"), options, index=None, key="il_mae_guess", horizontal=True,
                     format_func=il.names(options, "guess_").__getitem__)
    gan_seed = int(st.session_state.get("il_gan_seed", 0))
    gan_value = po.adversarial_pick(p, seed=gan_seed)
    st.plotly_chart(pixel_figure(p, gan_value=gan_value, show_answers=guess is not None), key="il_pixel_fig",
                    config=CFG)
    if guess is None:
        st.caption(t(f"{NS}.answer_first"))
        return
    st.markdown(t(f"{NS}.mae_right" if guess == "median" else f"{NS}.mae_not", guess=t(f"{NS}.guess_{guess}")))
    lo, hi = po.median_interval(p)
    mean = po.mean(p)
    cols = st.columns(3)
    cols[0].metric(t(f"{NS}.answer_mse"), num(mean, 2), help=t(f"{NS}.realism_help"),
                   delta=t(f"{NS}.realism", r=pct(po.realism(p, mean))), delta_color="off", delta_arrow="off")
    median_text = num(lo, 2) if hi == lo else f"{num(lo, 2)} – {num(hi, 2)}"
    cols[1].metric(t(f"{NS}.answer_mae"), median_text, help=t(f"{NS}.realism_help"),
                   delta=t(f"{NS}.realism", r=pct(po.realism(p, (lo + hi) / 2))), delta_color="off", delta_arrow="off")
    cols[2].metric(t(f"{NS}.answer_gan"), num(gan_value, 2), help=t(f"{NS}.realism_help"),
                   delta=t(f"{NS}.realism", r=pct(po.realism(p, gan_value))), delta_color="off", delta_arrow="off")
    if st.button(t(f"{NS}.gan_again"), key="il_gan_again", icon=":material/casino:"):
        st.session_state["il_gan_seed"] = gan_seed + 1
        st.rerun()
    st.plotly_chart(loss_curves_figure(p), key="il_curves_fig", config=CFG)
    st.markdown(t(f"{NS}.pixel_after"))
    if hi > lo:
        st.caption(t(f"{NS}.flat_median", lo=lo, hi=hi))


def section_gallery() -> None:
    st.header(t(f"{NS}.h_gallery"))
    st.markdown(t(f"{NS}.gallery_intro"))
    task = st.radio(t(f"{NS}.task"), il.TASKS, key="il_task", horizontal=True,
                    format_func=il.names(il.TASKS, "task_").__getitem__)
    found = il.variants(task)
    if not found:
        st.info(t(f"{NS}.missing_models"))
        return
    seed = ew.seed_box("il_seed", label=t(f"{NS}.digits_seed"))
    inputs, targets, _ = il.held(task, 8, seed)
    keys = sections.ordered(found)
    sections.image_row(t(f"{NS}.row_input"), show_input(inputs, task))
    if task == "superres":
        sections.image_row(il.label("bicubic"), sections.bicubic(inputs))
    for key in keys:
        pics = il.outputs(found[key], inputs)
        if pics is not None:
            sections.image_row(il.label(key), pics)
    sections.image_row(t(f"{NS}.row_truth"), targets)

    st.subheader(t(f"{NS}.h_draw"))
    st.markdown(t(f"{NS}.draw_help_{task}"))
    st.write("")  # room for the canvas' floating toolbar, which would cover the last line of help
    left, right = st.columns([1, 2])
    with left:
        drawn = il.canvas(f"il_canvas_{task}", task=task, size=224, stroke=18 if task == "completion" else 30)
    x = inputs[:1]
    if drawn is None:
        right.caption(t(f"{NS}.draw_fallback"))
    elif canvas_to_ink(drawn).max() < 0.05:
        right.warning(t(f"{NS}.draw_empty"))
    else:
        x = drawing_to_input(drawn, task)[None]
    pics = [show_input(x, task)] + ([sections.bicubic(x)] if task == "superres" else [])
    names = [t(f"{NS}.row_input")] + ([il.label("bicubic")] if task == "superres" else [])
    for key in keys:
        out = il.outputs(found[key], x)
        if out is not None:
            pics.append(out)
            names.append(il.label(key))
    with right:
        sections.captioned_grid(np.concatenate(pics), names)


def main() -> None:
    st.title(t(f"{NS}.title"))
    st.markdown(t(f"{NS}.intro"))
    tabs = st.tabs([t(f"{NS}.tab_{k}") for k in ("quiz", "pixel", "gallery", "numbers", "knobs", "superres")])
    with tabs[0]:
        section_quiz()
    with tabs[1]:
        section_pixel()
    with tabs[2]:
        section_gallery()
    with tabs[3]:
        sections.section_numbers()
    with tabs[4]:
        sections.section_knobs()
    with tabs[5]:
        sections.section_superres()


main()
