"""The deepfake page's detector table: trained on one generator, tested on every shipped one; average
precision next to accuracy at a threshold the student moves; Wang et al.'s published table beside it."""
from __future__ import annotations

import numpy as np
import streamlit as st

from gan_core import checkpoints
from gan_core.deepfake_facts import DETECTOR_BASELINES, SOURCES
from gan_core.detection import accuracy_curve, detector_table
from gan_core.training.detector_step import DetectorTrainer, trained_on
from gan_core.training.family import DETECTS_FAKES
from ui import deepfake_data as dd
from ui.i18n import num, pct, t
from ui.layout import show_code

NS = "society_deepfakes"
THRESHOLD_KEY = "df_threshold"
CURVE_T = np.round(np.linspace(0.01, 0.99, 99), 2)


def _table_frame(rows: list[dict], seen: str, same: dict[str, bool]):
    import pandas as pd

    cols = {"generator": t(f"{NS}.col_generator"), "seen": t(f"{NS}.col_seen"), "ap": t(f"{NS}.col_ap"),
            "accuracy": t(f"{NS}.col_accuracy"), "real_accuracy": t(f"{NS}.col_real_ok"),
            "fake_accuracy": t(f"{NS}.col_fake_caught"), "best_accuracy": t(f"{NS}.col_best")}
    out = []
    for r in rows:
        name = str(r["generator"])
        mark = "—"
        if name == seen:
            mark = t(f"{NS}.seen_yes") if same.get(name, True) else t(f"{NS}.seen_retrained")
        out.append({cols["generator"]: name, cols["seen"]: mark, cols["ap"]: pct(float(r["ap"]), 1),
                    cols["accuracy"]: pct(float(r["accuracy"]), 1),
                    cols["real_accuracy"]: pct(float(r["real_accuracy"]), 1),
                    cols["fake_accuracy"]: pct(float(r["fake_accuracy"]), 1),
                    cols["best_accuracy"]: pct(float(r["best_accuracy"]), 1)})
    return pd.DataFrame(out, columns=list(cols.values()))


def _curve_chart(curves: dict[str, np.ndarray], threshold: float) -> dict:
    values = [{"t": float(x), "acc": round(100 * float(a), 2), "gen": name}
              for name, acc in curves.items() for x, a in zip(CURVE_T, acc)]
    return {
        "layer": [
            {"data": {"values": values}, "mark": {"type": "line", "strokeWidth": 3},
             "encoding": {"x": {"field": "t", "type": "quantitative", "title": t(f"{NS}.chart_threshold")},
                          "y": {"field": "acc", "type": "quantitative", "title": t(f"{NS}.chart_accuracy"),
                                "scale": {"domain": [0, 100]}},
                          "color": {"field": "gen", "type": "nominal", "title": None}}},
            {"data": {"values": [{"t": threshold}]}, "mark": {"type": "rule", "strokeDash": [6, 4], "size": 2},
             "encoding": {"x": {"field": "t", "type": "quantitative"}}},
        ],
        "height": 320,
    }


def _published_frame():
    import pandas as pd

    return pd.DataFrame([{t(f"{NS}.col_tested_on"): b.tested_on, t(f"{NS}.col_ap"): pct(b.ap / 100, 1),
                          t(f"{NS}.col_accuracy_half"): pct(b.accuracy / 100, 1)} for b in DETECTOR_BASELINES])


def section_detector() -> None:
    st.subheader(t(f"{NS}.detector_header"))
    st.markdown(t(f"{NS}.detector_intro"))
    info = dd.picker("df_detector", DETECTS_FAKES, label=t(f"{NS}.detector_pick"))
    gens = dd.generators()
    if info is None:
        return
    if not gens:
        st.info(t(f"{NS}.no_generator"))
        return
    try:
        model, meta = dd.detector(info)
    except (checkpoints.CheckpointError, OSError) as exc:
        st.error(t(f"{NS}.load_error", name=info.path.name, error=exc))
        return
    seen = trained_on(info.train_config)
    st.markdown(t(f"{NS}.detector_recipe", seen=seen or "?", steps=int(info.step)))
    st.code(info.recipe, language="bash")
    threshold = float(st.slider(t(f"{NS}.threshold"), 0.01, 0.99, 0.5, 0.01, key=THRESHOLD_KEY,
                                help=t(f"{NS}.threshold_help")))
    real = dd.real_pool()[: dd.TABLE_N]
    real_s = dd.scores(model, meta, real)
    fake_s = {g.name: dd.scores(model, meta, dd.fake_samples(g, dd.TABLE_N, dd.TABLE_SEED)) for g in gens}
    same = {g.name: g.sha256 in str(meta.get("data_source", "")) for g in gens}
    rows = detector_table(real_s, fake_s, threshold)
    st.dataframe(_table_frame(rows, seen, same), hide_index=True, width="stretch")
    st.caption(t(f"{NS}.table_caption", n=dd.TABLE_N, t=num(threshold, 2)))
    if seen in same and not same[seen]:
        st.warning(t(f"{NS}.seen_retrained_note", seen=seen))
    curves = {}
    for name, fs in fake_s.items():
        y = np.concatenate([np.zeros(len(real_s)), np.ones(len(fs))])
        curves[name] = accuracy_curve(y, np.concatenate([real_s, fs]), CURVE_T)["accuracy"]
    st.vega_lite_chart(_curve_chart(curves, threshold), width="stretch")
    st.markdown(t(f"{NS}.detector_lesson"))
    st.markdown("#### " + t(f"{NS}.published_header"))
    st.dataframe(_published_frame(), hide_index=True)
    src = SOURCES["wang2020"]
    st.caption(t(f"{NS}.published_caption", title=src.title, where=src.publisher, url=SOURCES["cnndetection"].url))
    st.markdown(t(f"{NS}.detector_why"))
    show_code(DetectorTrainer.step)
