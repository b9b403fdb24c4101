"""The later sections of the Social GAN page: what the shipped models show about the course's three ideas,
the training log read from the curve, and our checkpoints beside the paper's Table 1. Every sentence
that quotes a number picks its wording from a measurement (gan_core.trajectory_reading), never the
other way round.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from gan_core.data.trajectories import SPLITS
from gan_core.trajectory_eval import PAPER_TABLE1
from gan_core.trajectory_reading import (
    CLOSE,
    SPLIT_GAP,
    FanShape,
    close_pairs,
    fan_shape,
    probe_discriminator,
    read_curve,
)
from gan_core.trajectory_scenes import Scene, browse_windows
from ui import society as S
from ui.i18n import num, t
from ui.society_plots import curve_figure, variety_figure

NS = "society_trajectories"
MAX_K = 20
MOSTLY = 0.5  # a fan differs "mostly in pace" when its spread across is under half its spread along
SPLITS_SEEN = 0.1  # fans "split into routes" when at least this share of them breaks into two groups
SAME = 0.05  # D's answers to true, generated and frozen futures closer than this: it hardly tells them apart


def pair(v: tuple[float, float]) -> str:
    return "—" if math.isnan(v[0]) else f"{num(v[0], 2)} / {num(v[1], 2)}"


def fan_kind(fan: FanShape) -> str:
    """"pace", "direction" or "both": what the sampled futures of a pedestrian mostly differ in."""
    if fan.across < MOSTLY * fan.along:
        return "pace"
    return "direction" if fan.along < MOSTLY * fan.across else "both"


def ideas_evidence(scene: Scene, model: S.TrajModel | None) -> None:
    """The ideas, measured on the slider's windows: do forecasts keep apart, do fans split?"""
    if model is None or model.noise_dim == 0:
        return
    shown = browse_windows(scene.windows)
    ts = scene.windows.subset(shown)
    samples = S.forecast(model, scene, shown, k=MAX_K, seed=0)
    near, pairs = close_pairs(samples[0].numpy(), ts.seq_start_end)
    real, _ = close_pairs(ts.pred, ts.seq_start_end)
    fan = fan_shape(samples, ts.obs[:, -1])
    if pairs:
        st.markdown(t(f"{NS}.ideas_close", name=model.name, model=near / pairs, truth=real / pairs,
                      pairs=pairs, close=CLOSE))
    st.markdown(t(f"{NS}.ideas_fan", along=fan.along, across=fan.across, split=fan.split, gap=SPLIT_GAP) + " "
                + t(f"{NS}.ideas_fan_{'split' if fan.split >= SPLITS_SEEN else 'one'}"))


def section_training(model: S.TrajModel | None, scene: Scene | None) -> None:
    st.header(t(f"{NS}.log_header"))
    st.markdown(t(f"{NS}.log_course"))
    st.page_link("pages/learn_objectives.py", label=t(f"{NS}.log_link"), icon=":material/functions:")
    curve = (model.metrics.get("train_curve") if model is not None else None) or {}
    if not curve.get("step"):
        st.info(t(f"{NS}.log_none"))
        return
    if not any(v is not None for v in curve.get("d_loss", [])):  # the LSTM baseline: no adversary at all
        st.info(t(f"{NS}.log_no_adversary", name=model.name))
        st.plotly_chart(variety_figure(curve), key="sg_variety_plot", config={"displaylogo": False})
        return
    st.caption(t(f"{NS}.log_ours", name=model.name, steps=curve["step"][-1]))
    left, right = st.columns(2)
    left.plotly_chart(curve_figure(curve), key="sg_curve_plot", config={"displaylogo": False})
    right.plotly_chart(variety_figure(curve), key="sg_variety_plot", config={"displaylogo": False})
    r = read_curve(curve)
    if r is None:  # too short a log to read
        st.markdown(t(f"{NS}.log_lab"))
        return
    if r.left is None:
        st.markdown(t(f"{NS}.log_d_never", last=r.last))
    elif r.settled is not None:
        st.markdown(t(f"{NS}.log_d_settled", left=r.left, low=r.low, low_step=r.low_step, settled=r.settled,
                      last=r.last, real=r.d_real, fake=r.d_fake))
    else:
        st.markdown(t(f"{NS}.log_d_{'near' if r.ends_near_level else 'moving'}", left=r.left, low=r.low,
                      low_step=r.low_step, lo=r.end_lo, hi=r.end_hi))
    st.markdown(t(f"{NS}.log_variety_{'falls' if r.variety_falls else 'flat'}", start=r.variety_start,
                  end=r.variety_end, step=r.variety_from))
    probe(model, scene)
    st.markdown(t(f"{NS}.log_lab"))


def probe(model: S.TrajModel, scene: Scene | None) -> None:
    """Fooled or asleep? D's answers to true, generated and frozen futures on the slider's windows."""
    D = S.discriminator(model)
    if D is None or scene is None:
        return
    ts = scene.windows.subset(browse_windows(scene.windows))
    b = ts.batch()
    p = probe_discriminator(D, S.generator(model), b.obs, b.pred, b.seq_start_end)
    gap = max(p.values()) - min(p.values())
    verdict = t(f"{NS}.log_probe_{'same' if gap < SAME else 'apart'}", gap=gap)
    st.markdown(t(f"{NS}.log_probe", **p) + " " + verdict)


def section_table(models: list[S.TrajModel]) -> None:
    st.header(t(f"{NS}.table_header"))
    by_name = {m.name: m for m in models}
    rows, cv_wins, sgan_wins = [], [], []
    for split in SPLITS:
        ours = by_name.get(f"social_gan_{split}")
        lstm = by_name.get(f"social_lstm_{split}")
        m = ours.metrics if ours else {}
        either = m or (lstm.metrics if lstm else {})  # both sidecars hold constant velocity on the same scene
        rows.append({t(f"{NS}.col_split"): split,
                     t(f"{NS}.col_paper_linear"): pair(PAPER_TABLE1["linear"][split]),
                     t(f"{NS}.col_ours_cv"): _metric_pair(either, "cv"),
                     t(f"{NS}.col_paper_lstm"): pair(PAPER_TABLE1["lstm"][split]),
                     t(f"{NS}.col_ours_lstm"): _metric_pair(lstm.metrics if lstm else {}, "det"),
                     t(f"{NS}.col_paper_sgan"): pair(PAPER_TABLE1["sgan20"][split]),
                     t(f"{NS}.col_ours_sgan"): _metric_pair(m, "best20")})
        a, c = _number(m, "best20_ade"), _number(m, "cv_ade")
        if a is not None and c is not None:
            (sgan_wins if a < c else cv_wins).append(f"{split} ({num(a, 2)} / {num(c, 2)})")
    st.table(pd.DataFrame(rows), hide_index=True)  # static: every column visible at 1280 px, no scrolling
    st.caption(t(f"{NS}.table_note"))
    if sgan_wins:
        st.markdown(t(f"{NS}.table_sgan_wins", splits=", ".join(sgan_wins)))
    if cv_wins:
        st.markdown(t(f"{NS}.table_cv_wins", splits=", ".join(cv_wins)))


def _number(metrics: dict, key: str) -> float | None:
    v = metrics.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _metric_pair(metrics: dict, prefix: str) -> str:
    a, f = _number(metrics, f"{prefix}_ade"), _number(metrics, f"{prefix}_fde")
    return pair((a, f)) if a is not None and f is not None else "—"
