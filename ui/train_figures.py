"""Plotly figures of the Train page as pure functions of snapshots (no Streamlit here).

The bench (``bench/ui_latency.py``) times exactly these builders, so the page and the bench draw
the same figures. All visible text arrives already translated in ``labels`` (a dict of strings).
Curves are bucket-averaged down to at most ``MAX_POINTS`` points: a 10,000-step run stays cheap
to send every second, and per-step GAN losses are too noisy to read on a projector anyway.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ui.charts import OKABE_ITO, end_labels, figure

MAX_POINTS = 400
# Okabe-Ito colours: distinguishable for colour-blind students and on washed-out projectors
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
# one run: a colour per curve, D's curves blue, G's orange, real green, fake purple (named at their ends)
CURVE_COLOURS = {"d_loss": OKABE_ITO[0], "g_loss": OKABE_ITO[1], "d_real": OKABE_ITO[2], "d_fake": OKABE_ITO[3],
                 "d_grad_norm": OKABE_ITO[0], "g_grad_norm": OKABE_ITO[1]}
FONT = {"size": 16}


@dataclass(frozen=True)
class Series:
    """One run's curves as they go into a figure."""

    label: str  # e.g. "#2 beta1=0.9"
    history: Mapping[str, Sequence[float]]  # Snapshot.history: "step" + STAT_KEYS
    quality: Sequence[Mapping] = ()  # Snapshot.quality
    colour: str = COLOURS[0]


def bucket_mean(x: Sequence[float], y: Sequence[float], *, max_points: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Average consecutive points in equal buckets so at most ``max_points`` remain (NaNs ignored)."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    n = len(xs)
    if n <= max_points:
        return xs, ys
    size = -(-n // max_points)  # ceil: points per bucket
    pad = (-n) % size
    xb = np.concatenate([xs, np.full(pad, np.nan)]).reshape(-1, size)
    yb = np.concatenate([ys, np.full(pad, np.nan)]).reshape(-1, size)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN bucket: single G-only steps
        xm = np.nanmax(xb, axis=1)  # label a bucket by its last step
        ym = np.nanmean(yb, axis=1)
    return xm, ym


def _line(series: Series, key: str, name: str, *, dash: str, row: int, legend: bool,
          colour: str | None = None) -> dict:
    x, y = bucket_mean(series.history.get("step", []), series.history.get(key, []))
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name,
            "line": {"color": colour or series.colour, "dash": dash, "width": 2.5},
            "legendgroup": series.label, "showlegend": legend,
            "xaxis": "x" if row == 1 else f"x{row}", "yaxis": "y" if row == 1 else f"y{row}",
            "hovertemplate": "%{y:.3f}<extra>" + name + "</extra>"}


def training_figure(runs: Sequence[Series], labels: Mapping[str, str]) -> go.Figure:
    """Three stacked panels sharing the step axis: losses, mean D outputs, gradient norms.

    Solid = discriminator, dashed/dotted = generator or fakes. One run: a colour per curve, each
    named at its right end (no legend to decode); several runs: one colour per run, in the legend.
    Labels used: loss, d_out, grad_norm, step, d_loss, g_loss, d_real, d_fake, d_grad, g_grad,
    equilibrium.
    """
    data = []
    single = len(runs) == 1
    for s in runs:
        # several runs: one legend entry per run (its colour), the line styles as with one run
        def name(key: str, label: str = s.label) -> str:
            return labels[key] if single else f"{label}: {labels[key]}"

        def colour(key: str) -> str | None:
            return CURVE_COLOURS[key] if single else None

        data += [
            _line(s, "d_loss", name("d_loss") if single else s.label, dash="solid", row=1, legend=not single,
                  colour=colour("d_loss")),
            _line(s, "g_loss", name("g_loss"), dash="dash", row=1, legend=False, colour=colour("g_loss")),
            _line(s, "d_real", name("d_real"), dash="solid", row=2, legend=False, colour=colour("d_real")),
            _line(s, "d_fake", name("d_fake"), dash="dot", row=2, legend=False, colour=colour("d_fake")),
            _line(s, "d_grad_norm", name("d_grad"), dash="solid", row=3, legend=False,
                  colour=colour("d_grad_norm")),
            _line(s, "g_grad_norm", name("g_grad"), dash="dash", row=3, legend=False,
                  colour=colour("g_grad_norm")),
        ]
    steps = [x for s in runs for x in s.history.get("step", [])[-1:]]
    if steps:  # the 0.5 line, named at its end like the curves
        data.append({"type": "scatter", "mode": "lines", "x": [0, max(steps)], "y": [0.5, 0.5],
                     "name": labels["equilibrium"], "hoverinfo": "skip", "xaxis": "x2", "yaxis": "y2",
                     "showlegend": False, "line": {"color": "#777", "dash": "dash", "width": 1.5}})
    notes = end_labels(data if single else data[-1:], size=14, log_axes=("y3",))
    layout = {
        "height": 640, "margin": {"l": 70, "r": 165, "t": 10, "b": 50}, "font": FONT,
        "annotations": notes, "showlegend": not single,
        "hovermode": "x unified",
        # traceorder normal: one row of entries (grouped legends stack each run's group in a column)
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 14},
                   "traceorder": "normal"},
        # three rows, one shared x axis (the step): zooming one panel zooms all
        "yaxis": {"domain": [0.68, 0.94], "title": {"text": labels["loss"]}},
        "yaxis2": {"domain": [0.35, 0.61], "title": {"text": labels["d_out"]}, "range": [-0.02, 1.02]},
        # log axis labelled at powers of ten only ("D2" wrote a small 2 and 5 between them, and the
        # 5 under the 1 read as 5 when it meant 0.5)
        "yaxis3": {"domain": [0.0, 0.28], "title": {"text": labels["grad_norm"]}, "type": "log", "dtick": 1},
        "xaxis": {"anchor": "y", "matches": "x3", "showticklabels": False},
        "xaxis2": {"anchor": "y2", "matches": "x3", "showticklabels": False},
        "xaxis3": {"anchor": "y3", "title": {"text": labels["step"]}},
    }
    return figure(data, layout)


def fid_figure(runs: Sequence[Series], labels: Mapping[str, str]) -> go.Figure:
    """Classifier-FID over steps, one line per run (lower = closer to real digits)."""
    data = []
    for s in runs:
        points = [q for q in s.quality if "fid" in q]
        data.append({"type": "scatter", "mode": "lines+markers", "name": s.label,
                     "x": [q["step"] for q in points], "y": [float(q["fid"]) for q in points],
                     "line": {"color": s.colour, "width": 2.5}, "showlegend": len(runs) > 1})
    layout = {"height": 300, "margin": {"l": 70, "r": 20, "t": 40, "b": 50}, "font": FONT,
              "title": {"text": labels["fid"], "font": {"size": 16}},
              "xaxis": {"title": {"text": labels["step"]}}, "yaxis": {"rangemode": "tozero"}}
    return figure(data, layout)


def coverage_figure(class_hist: Sequence[float], labels: Mapping[str, str], *,
                    min_share: float = 0.05, class_names: Sequence[str] | None = None) -> go.Figure:
    """Share of samples the classifier reads as each digit; digits under ``min_share`` are missing."""
    names = list(class_names or [str(i) for i in range(len(class_hist))])
    shares = [float(v) for v in class_hist]
    colours = [COLOURS[2] if v >= min_share else "#BBBBBB" for v in shares]
    data = [{"type": "bar", "x": names, "y": shares, "marker": {"color": colours},
             "hovertemplate": "%{x}: %{y:.0%}<extra></extra>"}]
    layout = {"height": 300, "margin": {"l": 70, "r": 20, "t": 40, "b": 50}, "font": FONT,
              "title": {"text": labels["coverage"], "font": {"size": 16}},
              "xaxis": {"type": "category", "title": {"text": labels["digit"]}},
              "yaxis": {"tickformat": ".0%", "rangemode": "tozero"},
              "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": min_share,
                          "y1": min_share, "line": {"color": "#D55E00", "dash": "dash", "width": 1.5}}]}
    return figure(data, layout)


def page_figures(runs: Sequence[Series], labels: Mapping[str, str], *, selected: int = 0) -> list[go.Figure]:
    """Every figure the live view draws for these runs (what the bench times)."""
    figures = [training_figure(runs, labels)]
    if any(any("fid" in q for q in s.quality) for s in runs):
        figures.append(fid_figure(runs, labels))
    latest = [q for q in runs[selected].quality if "class_hist" in q] if runs else []
    if latest:
        figures.append(coverage_figure(latest[-1]["class_hist"], labels))
    return figures
