"""Plotly figures for the Check-yourself reveals (numbers come from gan_core; text from learn_check)."""
from __future__ import annotations

import plotly.graph_objects as go

from ui.charts import figure
from ui.i18n import plotly_separators, t
from ui.toy2d_plots import FAKE, REAL

NS = "learn_check"
FONT = {"size": 15}
RUN_COLOURS = ("#2166ac", "#d6604d", "#1b7837", "#762a83")


def _layout(height: int, **extra) -> dict:
    return {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
            "separators": plotly_separators(),
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0}, **extra}


def g_loss_vs_js_figure(history: dict, trace: dict, low: dict, *, height: int = 340) -> go.Figure:
    """G's recorded loss (left axis) and the divergence JS of its samples (right axis) over the run,
    with a marker where G's loss is lowest."""
    data = [
        {"type": "scatter", "x": history["step"], "y": history["g_loss"], "name": t(f"{NS}.fig_g_loss"),
         "line": {"color": FAKE, "width": 2}},
        {"type": "scatter", "x": trace["step"], "y": trace["js"], "name": t(f"{NS}.fig_js"), "yaxis": "y2",
         "line": {"color": REAL, "width": 3}},
        {"type": "scatter", "x": [low["step"]], "y": [low["g_loss"]], "name": t(f"{NS}.fig_lowest"),
         "mode": "markers", "marker": {"size": 14, "color": "black", "symbol": "star"}},
    ]
    layout = _layout(height, xaxis={"title": {"text": t(f"{NS}.fig_step")}},
                     yaxis={"title": {"text": t(f"{NS}.fig_g_loss")}},
                     yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero",
                             "title": {"text": t(f"{NS}.fig_js")}})
    return figure(data, layout)



def curves_figure(runs: dict[str, dict], *, height: int = 340) -> go.Figure:
    """D's and G's recorded losses of several runs ({label: history}); D solid, G dotted."""
    data = []
    for (label, hist), colour in zip(runs.items(), RUN_COLOURS):
        for key, dash in (("d_loss", "solid"), ("g_loss", "dot")):
            data.append({"type": "scatter", "x": hist["step"], "y": hist[key], "line": {"color": colour, "dash": dash},
                         "name": f"{label}: {t(f'{NS}.fig_{key}')}"})
    layout = _layout(height, xaxis={"title": {"text": t(f"{NS}.fig_step")}},
                     yaxis={"title": {"text": t(f"{NS}.fig_loss")}})
    return figure(data, layout)
