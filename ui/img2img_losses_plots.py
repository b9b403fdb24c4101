"""Plotly figures of the "GAN vs MAE" page (numbers come from gan_core.pixel_optima)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gan_core import pixel_optima as po
from ui.charts import figure
from ui.i18n import plotly_separators, t

NS = "img2img_losses"
FONT = {"size": 16}
COLORS = {"mse": "#d6604d", "mae": "#2166ac", "gan": "#1a9850", "p": "rgba(120,120,120,0.55)"}


def _layout(height: int, x_title: str, y_title: str, **extra) -> dict:
    return {"height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "font": FONT,
            "separators": plotly_separators(), "bargap": 0.0,
            "xaxis": {"title": {"text": x_title}, "range": [-0.02, 1.02]},
            "yaxis": {"title": {"text": y_title}},
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0}, **extra}


def _vline(x: float, color: str, dash: str = "solid") -> dict:
    return {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
            "line": {"color": color, "width": 4, "dash": dash}}


def pixel_figure(p: np.ndarray, *, gan_value: float, show_answers: bool, height: int = 360) -> go.Figure:
    """How often each true brightness occurs, with (once revealed) the MSE, MAE and GAN answers."""
    v = po.grid(len(p))
    data = [{"type": "bar", "x": v, "y": p, "name": t(f"{NS}.how_often"), "marker": {"color": COLORS["p"]}}]
    shapes = []
    if show_answers:
        lo, hi = po.median_interval(p)
        mean = po.mean(p)
        if hi > lo:  # a flat MAE minimum: every value in [lo, hi] is a median
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": lo, "x1": hi, "y0": 0, "y1": 1,
                           "fillcolor": "rgba(33,102,172,0.12)", "line": {"width": 0}})
        shapes += [_vline(mean, COLORS["mse"]), _vline((lo + hi) / 2, COLORS["mae"], "dash"),
                   _vline(gan_value, COLORS["gan"], "dot")]
        for name, x in (("mse", mean), ("mae", (lo + hi) / 2), ("gan", gan_value)):  # legend entries
            data.append({"type": "scatter", "x": [x], "y": [0], "mode": "markers", "name": t(f"{NS}.answer_{name}"),
                         "marker": {"color": COLORS[name], "size": 12, "symbol": "triangle-up"}})
    return figure(data, _layout(height, t(f"{NS}.brightness"), t(f"{NS}.share"), shapes=shapes))


def loss_curves_figure(p: np.ndarray, *, height: int = 320) -> go.Figure:
    """E (v - c)^2 and E |v - c| against the guess c: where each has its minimum."""
    curves = po.expected_losses(p)
    c = curves["c"]
    data = []
    for name in ("mse", "mae"):
        y = curves[name]
        data.append({"type": "scatter", "x": c, "y": y, "name": t(f"{NS}.curve_{name}"),
                     "line": {"color": COLORS[name], "width": 3}})
        best = int(np.argmin(y))
        data.append({"type": "scatter", "x": [c[best]], "y": [y[best]], "mode": "markers", "showlegend": False,
                     "marker": {"color": COLORS[name], "size": 12}})
    return figure(data, _layout(height, t(f"{NS}.guess_c"), t(f"{NS}.expected_loss")))


def frequency_figure(rows: dict[str, dict], labels: dict[str, str]) -> go.Figure:
    """Grouped horizontal bars per variant (first one on top, names readable without tilting): error of
    the coarse picture vs error of the fine detail."""
    keys = list(rows)
    data = [{"type": "bar", "orientation": "h", "y": [labels[k] for k in keys], "x": [rows[k][m] for k in keys],
             "name": t(f"{NS}.freq_{m}"), "marker": {"color": color}}
            for m, color in (("low_err", "#8c96c6"), ("high_err", "#88419d"))]
    layout = _layout(110 + 56 * len(keys), t(f"{NS}.freq_axis"), "", barmode="group")
    layout["xaxis"] = {"title": {"text": t(f"{NS}.freq_axis")}, "rangemode": "tozero"}
    layout["yaxis"] = {"title": {"text": ""}, "autorange": "reversed", "automargin": True}
    layout["bargap"] = 0.25
    layout["legend"]["traceorder"] = "normal"
    return figure(data, layout)
