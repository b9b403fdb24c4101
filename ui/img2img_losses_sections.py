"""The later tabs of the "GAN vs MAE" page: the numbers (and which frequencies each loss gets right),
lambda / patch size / U-Net skips, and super-resolution with a class vote before the PSNR ranking."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from gan_core.data.paired import bicubic_baseline
from gan_core.img2img import table_n
from gan_core.img2img_facts import (
    COURSE_SR_TABLE,
    FCN_COLUMNS,
    PIX2PIX_GROUND_TRUTH,
    PIX2PIX_TABLE1,
    PIX2PIX_TABLE2,
    SRGAN_BSD100,
)
from gan_core.training.pix2pix_step import Pix2PixTrainer, show_input
from ui import explore_widgets as ew
from ui import img2img_losses as il
from ui import img2img_losses_verdicts as verdicts
from ui.i18n import num, pct, t
from ui.img2img_losses_plots import frequency_figure
from ui.layout import show_code

NS = il.NS
CFG = {"displaylogo": False}
COLUMNS = ("l1_err", "sharpness", "ink", "fid", "digit_acc", "psnr", "ssim")  # the metric table's columns
FIRST = ("l1", "cgan", "l1cgan100", "l1cgan10", "l1cgan1", "l1cgan100_dpixel", "l1cgan100_dimage2",
         "l1cgan100_noskip", "srgan")
LAMBDAS = (("cgan", 0.0), ("l1cgan1", 1.0), ("l1cgan10", 10.0), ("l1cgan100", 100.0), ("l1", math.inf))
PATCHES = ("l1cgan100_dpixel", "l1cgan100", "l1cgan100_dimage2")
SR_METHODS = ("bicubic", "l1", "l1cgan100", "srgan")
VOTE_ORDER_SEED = 3  # the anonymous order of the methods in the vote


def ordered(found: dict) -> list[str]:
    """Variant keys in teaching order (the known ones first, then any others by name)."""
    return [k for k in FIRST if k in found] + sorted(k for k in found if k not in FIRST)


def bicubic(inputs: np.ndarray) -> np.ndarray:
    return bicubic_baseline(inputs)[:, 0]


def image_row(name: str, images: np.ndarray, *, scale: int = 3) -> None:
    left, right = st.columns([1, 3])
    left.markdown(f"**{name}**")
    with right:
        ew.show(images, nrow=len(images), scale=scale)


def captioned_grid(images: np.ndarray, captions: list[str], *, per_row: int = 4, scale: int = 4) -> None:
    """Pictures with their captions, ``per_row`` equal columns per row (the last row is not stretched).
    Captions wrap between words but never inside "16 px" ("λ = 10" is kept whole by il.label)."""
    for start in range(0, len(images), per_row):
        for col, img, cap in zip(st.columns(per_row), images[start : start + per_row], captions[start : start + per_row]):
            cap = cap.replace(" px", "\u00a0px")
            col.image(ew.png(img, nrow=1, scale=scale), caption=cap, width=img.shape[-1] * scale, output_format="PNG")


def metric_frame(rows: dict[str, dict], steps: dict[str, int] | None = None, keys: tuple[str, ...] = COLUMNS, *,
                 label: Callable[[str], str] = il.label) -> pd.DataFrame:
    """The metric table (``keys`` as columns, rows named by ``label(key)``), numbers written in the
    reader's style; with ``steps`` (variant key -> training steps) a last column says how long each
    variant trained."""
    def cell(row: dict, key: str) -> str:
        if key not in row:
            return "–"
        value = row[key]
        return pct(value, 1) if key == "digit_acc" else num(value, 2 if key in ("psnr", "fid", "ink") else 3)

    frame = pd.DataFrame([{t(f"{NS}.col_variant"): label(k), **{t(f"{NS}.col_{m}"): cell(r, m) for m in keys}}
                          for k, r in rows.items()])
    if steps is not None:
        frame[t(f"{NS}.col_steps")] = [num(steps[k], 0) if k in steps else "–" for k in rows]
    return frame


def show_table(frame: pd.DataFrame) -> None:
    """A static table: it wraps long headers and names instead of scrolling sideways (a projector
    shows every column)."""
    st.table(frame, hide_index=True)


def paper_frame(table: dict[str, tuple], first: str) -> pd.DataFrame:
    return pd.DataFrame([{t(f"{NS}.{first}"): name, **{t(f"{NS}.fcn_{c}"): num(v, 2) for c, v in zip(FCN_COLUMNS, vals)}}
                         for name, vals in table.items()])


def section_numbers() -> None:
    st.header(t(f"{NS}.h_numbers"))
    st.markdown(t(f"{NS}.numbers_intro"))
    task = st.radio(t(f"{NS}.task"), il.TASKS, key="il_num_task", horizontal=True,
                    format_func=il.names(il.TASKS, "task_").__getitem__)
    found = il.variants(task)
    if not found:
        st.info(t(f"{NS}.missing_models"))
        return
    keys = (["bicubic"] if task == "superres" else []) + ordered(found)
    rows = il.table(task, found, [*keys, "truth"])
    show_table(metric_frame(rows, il.steps(found)))
    st.caption(t(f"{NS}.metrics_help", n=table_n(task)))

    st.subheader(t(f"{NS}.h_freq"))
    guess = st.radio(t(f"{NS}.freq_guess"), ["l1_low", "gan_low"], index=None, key="il_freq_guess",
                     format_func=il.names(["l1_low", "gan_low"], "freq_").__getitem__)
    if guess is None:
        st.caption(t(f"{NS}.answer_first"))
    else:
        shown = {k: rows[k] for k in keys if k in rows}
        st.plotly_chart(frequency_figure(shown, {k: il.label(k) for k in shown}), key="il_freq_fig", config=CFG)
        low = min(shown, key=lambda k: shown[k]["low_err"])
        detail = min(shown, key=lambda k: abs(math.log(max(shown[k]["detail"], 1e-6))))
        st.markdown(t(f"{NS}.freq_verdict", low=il.label(low), detail=il.label(detail),
                      ratio=shown[detail]["detail"]))
        show_table(pd.DataFrame([{t(f"{NS}.col_variant"): il.label(k), t(f"{NS}.freq_low_err"): num(r["low_err"], 3),
                             t(f"{NS}.freq_high_err"): num(r["high_err"], 3), t(f"{NS}.freq_detail"): num(r["detail"], 2),
                             t(f"{NS}.col_ink"): num(r["ink"], 2)} for k, r in shown.items()]))
        st.markdown(t(f"{NS}.freq_paper"))
        verdicts.frequencies(task, shown)
    if task == "completion":
        _table1(rows)
    with st.expander(t(f"{NS}.how_trained")):
        st.markdown(t(f"{NS}.how_trained_body"))
        show_code(Pix2PixTrainer.step)


def _table1(rows: dict[str, dict]) -> None:
    st.subheader(t(f"{NS}.h_table1"))
    left, right = st.columns(2)
    with left:
        st.caption(t(f"{NS}.table1_paper"))
        show_table(paper_frame({**PIX2PIX_TABLE1, t(f"{NS}.v_truth"): PIX2PIX_GROUND_TRUTH}, "col_loss"))
    ours = {k: rows[k] for k in ("l1", "cgan", "l1cgan100") if k in rows}
    with right:
        st.caption(t(f"{NS}.table1_ours"))
        show_table(metric_frame(ours, keys=("l1_err", "fid", "digit_acc")))  # what the sentence below compares
    if len(ours) == 3:
        fid_ok = ours["l1cgan100"]["fid"] < ours["l1"]["fid"]
        l1_ok = ours["l1cgan100"]["l1_err"] < ours["cgan"]["l1_err"]
        key = "table1_agree" if fid_ok and l1_ok else "table1_differ"
        st.markdown(t(f"{NS}.{key}", fid_l1=ours["l1"]["fid"], fid_both=ours["l1cgan100"]["fid"],
                      l1_cgan=ours["cgan"]["l1_err"], l1_both=ours["l1cgan100"]["l1_err"]))


def section_knobs() -> None:
    found = il.variants("completion")
    if not found:
        st.info(t(f"{NS}.missing_models"))
        return
    inputs, targets, _ = il.held("completion", 8, 7)
    rows = il.table("completion", found, [*ordered(found), "truth"])
    steps = il.steps(found)

    st.header(t(f"{NS}.h_lambda"))
    st.markdown(t(f"{NS}.lambda_intro"))
    options = [k for k, _ in LAMBDAS if k in found]
    if options:
        names = {k: (t(f"{NS}.lambda_inf") if math.isinf(lam) else num(lam, 0)) for k, lam in LAMBDAS}
        choice = st.select_slider(t(f"{NS}.lambda"), options=options, key="il_lambda",
                                  value="l1cgan100" if "l1cgan100" in options else options[0],
                                  format_func=names.__getitem__)
        image_row(t(f"{NS}.row_input"), show_input(inputs, "completion"))
        pics = il.outputs(found[choice], inputs)
        if pics is not None:
            image_row(il.label(choice), pics)
        image_row(t(f"{NS}.row_truth"), targets)
        show_table(metric_frame({k: rows[k] for k in options if k in rows}, steps))
        st.markdown(t(f"{NS}.lambda_after"))
        verdicts.lambda_infinite(rows)

    st.header(t(f"{NS}.h_patch"))
    st.markdown(t(f"{NS}.patch_intro"))
    left, right = st.columns([2, 3])
    with left:
        st.caption(t(f"{NS}.table2_paper"))
        show_table(paper_frame(PIX2PIX_TABLE2, "col_patch"))
    patches = [k for k in PATCHES if k in found]
    with right:
        st.caption(t(f"{NS}.table2_ours"))
        show_table(metric_frame({k: rows[k] for k in patches if k in rows}, steps, keys=("l1_err", "ink", "fid", "digit_acc"),
                           label=il.d_label))  # all L1 + cGAN (λ = 100): only their D differs
    for key in patches:
        pics = il.outputs(found[key], inputs)
        if pics is not None:
            image_row(il.label(key), pics)
    st.markdown(t(f"{NS}.patch_after"))
    verdicts.patches(rows, steps)

    st.header(t(f"{NS}.h_unet"))
    st.markdown(t(f"{NS}.unet_intro"))
    if "l1cgan100_noskip" in found and "l1cgan100" in found:
        skips = st.toggle(t(f"{NS}.skips_toggle"), value=True, key="il_skips")
        key = "l1cgan100" if skips else "l1cgan100_noskip"
        pics = il.outputs(found[key], inputs)
        if pics is not None:
            image_row(il.label(key), pics)
        image_row(t(f"{NS}.row_truth"), targets)
        show_table(metric_frame({k: rows[k] for k in ("l1cgan100", "l1cgan100_noskip")}, steps))
        st.markdown(t(f"{NS}.unet_after"))
        verdicts.skips(il.outputs(found["l1cgan100"], inputs), il.outputs(found["l1cgan100_noskip"], inputs), targets)
    else:
        st.info(t(f"{NS}.missing_models"))


def _add_votes(methods: list[str]) -> None:
    votes = st.session_state.setdefault("il_votes", [])
    votes.append({m: int(st.session_state.get(f"il_vote_{i}", 3)) for i, m in enumerate(methods)})


def section_superres() -> None:
    st.header(t(f"{NS}.h_sr"))
    st.markdown(t(f"{NS}.sr_intro"))
    found = il.variants("superres")
    methods = [m for m in SR_METHODS if m == "bicubic" or m in found]
    if len(methods) < 3:
        st.info(t(f"{NS}.missing_models"))
        return
    methods = [methods[i] for i in np.random.default_rng(VOTE_ORDER_SEED).permutation(len(methods))]
    inputs, targets, _ = il.held("superres", 6, 500)
    image_row(t(f"{NS}.row_input"), show_input(inputs, "superres"), scale=4)
    for i, m in enumerate(methods):
        pics = bicubic(inputs) if m == "bicubic" else il.outputs(found[m], inputs)
        left, right = st.columns([1, 3])
        left.slider(t(f"{NS}.vote_label", i=i + 1), 1, 5, 3, key=f"il_vote_{i}")
        if pics is not None:
            with right:
                ew.show(pics, nrow=len(pics), scale=4)
    image_row(t(f"{NS}.row_truth"), targets, scale=4)
    c = st.columns(3)
    c[0].button(t(f"{NS}.vote_add"), key="il_vote_add", icon=":material/how_to_vote:", on_click=_add_votes,
                args=(methods,))
    if c[1].button(t(f"{NS}.vote_reset"), key="il_vote_reset", icon=":material/restart_alt:"):
        st.session_state["il_votes"] = []
    votes = st.session_state.get("il_votes", [])
    c[2].metric(t(f"{NS}.votes_n"), len(votes))
    names = {m: t(f"{NS}.method_n", i=i + 1) for i, m in enumerate(methods)}
    psnr_guess = st.radio(t(f"{NS}.sr_psnr_guess"), methods, index=None, key="il_sr_psnr_guess", horizontal=True,
                          format_func=names.__getitem__)
    sharp_guess = st.radio(t(f"{NS}.sr_sharp_guess"), methods, index=None, key="il_sr_sharp_guess", horizontal=True,
                           format_func=names.__getitem__)
    if not votes or psnr_guess is None or sharp_guess is None:
        st.caption(t(f"{NS}.sr_reveal_when"))
        return
    rows = il.table("superres", found, list(SR_METHODS))
    mos = {m: float(np.mean([v[m] for v in votes if m in v])) for m in methods}
    frame = metric_frame({m: rows[m] for m in methods}, keys=("psnr", "ssim", "sharpness", "fid", "digit_acc"))
    frame.insert(0, t(f"{NS}.col_method"), [names[m] for m in methods])
    frame.insert(2, t(f"{NS}.col_mos"), [num(mos[m], 2) for m in methods])
    show_table(frame)
    best_psnr = max(methods, key=lambda m: rows[m]["psnr"])
    top = max(mos.values())
    best_mos = ", ".join(il.label(m) for m in methods if mos[m] == top)  # a tie names every one at the top
    st.markdown(t(f"{NS}.sr_reveal", psnr=il.label(best_psnr), mos=best_mos,
                  guess=t(f"{NS}.guess_right" if psnr_guess == best_psnr else f"{NS}.guess_wrong")))
    st.markdown(t(f"{NS}.sr_paper"))
    verdicts.superres(rows)
    left, right = st.columns(2)
    with left:
        st.caption(t(f"{NS}.course_table"))
        show_table(pd.DataFrame([{t(f"{NS}.col_method"): k, t(f"{NS}.col_psnr"): num(p, 2),
                             t(f"{NS}.col_ssim"): num(s, 4)} for k, (p, s) in COURSE_SR_TABLE.items()]))
    with right:
        st.caption(t(f"{NS}.bsd100_table"))
        show_table(pd.DataFrame([{t(f"{NS}.col_method"): t(f"{NS}.v_truth") if k == "original" else k,
                             t(f"{NS}.col_psnr"): "–" if p is None else num(p, 2),
                             t(f"{NS}.col_paper_mos"): num(m, 2)} for k, (p, m) in SRGAN_BSD100.items()]))
    verdicts.srgan(rows)

