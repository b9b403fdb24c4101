"""Plotly figures of the Social GAN page: a scene with observed paths, truth and sampled fans (metres,
equal aspect ratio), the training curves against 2 ln 2 / ln 2, and the best-of-k spray experiment."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from ui.i18n import plotly_separators, t

NS = "society_trajectories"
FONT = {"size": 15}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22")
LN2 = math.log(2.0)
ASPECT = 1.6  # width / height of the scene's plot area on a projector-sized page


def _fill_box(lo: np.ndarray, hi: np.ndarray, *, aspect: float) -> tuple[np.ndarray, np.ndarray]:
    """Widen the shorter side of the box [lo, hi] (metres) about its centre so that width / height is
    ``aspect``: with one metre equally long on both axes, the plot then fills its area."""
    centre, span = (lo + hi) / 2, hi - lo
    span = np.array([max(span[0], aspect * span[1]), max(span[1], span[0] / aspect)])
    return centre - span / 2, centre + span / 2


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _joined(paths: list[np.ndarray]) -> tuple[list, list]:
    """Polylines (each (T, 2)) as one trace's x / y with None gaps between them."""
    xs, ys = [], []
    for p in paths:
        xs += [*p[:, 0].tolist(), None]
        ys += [*p[:, 1].tolist(), None]
    return xs, ys


def _lines(x, y, **kw) -> dict:
    """A plotly line trace without hover text (the plots are read, not probed)."""
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, "hoverinfo": "skip", **kw}


def scene_figure(obs: np.ndarray, truth: np.ndarray, samples: np.ndarray | None, *, frame: int,
                 walls: np.ndarray | None = None, cv: np.ndarray | None = None,
                 height: int = 560) -> go.Figure:
    """obs (N, T_obs, 2), truth (N, T_pred, 2), samples (k, N, T_pred, 2) [m]; ``frame`` = how many of
    the T_obs + T_pred positions are drawn (the time slider). Observed solid, truth dashed, the k samples
    as a fan in the pedestrian's colour, constant velocity dotted; a dot marks where each one is now."""
    n, t_obs = obs.shape[:2]
    shown_obs, shown_pred = min(frame, t_obs), max(0, frame - t_obs)
    traces: list[dict] = []
    for wall in (walls if walls is not None else np.zeros((0, 2, 2))):
        traces.append(_lines(wall[:, 0], wall[:, 1], showlegend=False, line={"color": "#555555", "width": 6}))
    for i in range(n):
        color = PALETTE[i % len(PALETTE)]
        first = i == 0  # one legend entry per kind of line
        if samples is not None and shown_pred:
            fan = [np.vstack([obs[i, -1:], samples[j, i, :shown_pred]]) for j in range(samples.shape[0])]
            x, y = _joined(fan)
            traces.append(_lines(x, y, name=t(f"{NS}.legend_samples"), legendgroup="samples",
                                 showlegend=first, line={"color": _rgba(color, 0.35), "width": 1.5}))
        if cv is not None and shown_pred:
            line = np.vstack([obs[i, -1:], cv[i, :shown_pred]])
            traces.append(_lines(line[:, 0], line[:, 1], name=t(f"{NS}.legend_cv"), legendgroup="cv",
                                 showlegend=first, line={"color": "#333333", "width": 2, "dash": "dot"}))
        if shown_pred:
            line = np.vstack([obs[i, -1:], truth[i, :shown_pred]])
            traces.append(_lines(line[:, 0], line[:, 1], name=t(f"{NS}.legend_truth"), legendgroup="truth",
                                 showlegend=first, line={"color": color, "width": 3, "dash": "dash"}))
        path = obs[i, :shown_obs]
        traces.append(_lines(path[:, 0], path[:, 1], name=t(f"{NS}.legend_observed"), legendgroup="observed",
                             showlegend=first, line={"color": color, "width": 4}))
        now = truth[i, shown_pred - 1] if shown_pred else obs[i, max(shown_obs, 1) - 1]
        hover = t(f"{NS}.hover_ped", i=i + 1) + "<extra></extra>"
        traces.append({"type": "scatter", "mode": "markers", "x": [now[0]], "y": [now[1]],
                       "showlegend": False, "hovertemplate": hover,
                       "marker": {"color": color, "size": 12, "line": {"color": "white", "width": 1.5}}})
    both = np.concatenate([obs.reshape(-1, 2), truth.reshape(-1, 2)])
    lo, hi = both.min(axis=0), both.max(axis=0)
    pad = np.maximum(1.0, 0.12 * (hi - lo).max())
    lo, hi = _fill_box(lo - pad, hi + pad, aspect=ASPECT)
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "font": FONT,
        "plot_bgcolor": "white", "separators": plotly_separators(), "uirevision": "scene",
        "xaxis": {"title": {"text": t(f"{NS}.axis_x")}, "range": [lo[0], hi[0]], "zeroline": False,
                  "gridcolor": "#eeeeee", "constrain": "domain"},
        # scaleanchor: one metre is as long on y as on x
        "yaxis": {"title": {"text": t(f"{NS}.axis_y")}, "range": [lo[1], hi[1]], "zeroline": False,
                  "gridcolor": "#eeeeee", "scaleanchor": "x", "scaleratio": 1},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
    }
    return go.Figure(data=traces, layout=layout)


def curve_figure(curve: dict, *, height: int = 340) -> go.Figure:
    """D loss and G's adversarial loss over training, with the 'D cannot tell' levels 2 ln 2 and ln 2."""
    steps = curve.get("step", [])
    traces = [
        _lines(steps, curve.get("d_loss", []), name=t(f"{NS}.curve_d"),
               line={"color": "#2166ac", "width": 3}),
        _lines(steps, curve.get("g_adv", []), name=t(f"{NS}.curve_g"),
               line={"color": "#d6604d", "width": 3}),
    ]
    shapes, notes = [], []
    for level, key in ((2 * LN2, "level_d"), (LN2, "level_g")):
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": level, "y1": level,
                       "line": {"color": "#444444", "width": 1.5, "dash": "dot"}})
        notes.append({"xref": "paper", "x": 1.0, "y": level, "xanchor": "right", "yanchor": "bottom",
                      "showarrow": False, "text": t(f"{NS}.{key}"), "font": {"size": 13}})
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
              "separators": plotly_separators(), "shapes": shapes, "annotations": notes,
              "xaxis": {"title": {"text": t(f"{NS}.axis_step")}},
              "yaxis": {"title": {"text": t(f"{NS}.axis_loss")}},
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0}}
    return go.Figure(data=traces, layout=layout)


def variety_figure(curve: dict, *, height: int = 300) -> go.Figure:
    """The variety loss (mean squared error of the closest sample, m^2) over training, log scale."""
    traces = [_lines(curve.get("step", []), curve.get("g_variety", []), name=t(f"{NS}.curve_variety"),
                     line={"color": "#1b7837", "width": 3})]
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
              "separators": plotly_separators(), "showlegend": True,
              "xaxis": {"title": {"text": t(f"{NS}.axis_step")}},
              "yaxis": {"title": {"text": t(f"{NS}.axis_variety")}, "type": "log"},
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0}}
    return go.Figure(data=traces, layout=layout)


def spray_figure(ks: np.ndarray, per_ped: np.ndarray, per_window: np.ndarray, *, model_best: float | None,
                 cv: float, height: int = 380) -> go.Figure:
    """Best-of-k ADE of random guesses against k (log axis), beside the model's best of 20 and constant
    velocity."""
    traces = [
        {"type": "scatter", "mode": "lines", "x": ks, "y": per_ped, "name": t(f"{NS}.spray_ped"),
         "line": {"color": "#d6604d", "width": 3}},
        {"type": "scatter", "mode": "lines", "x": ks, "y": per_window, "name": t(f"{NS}.spray_window"),
         "line": {"color": "#8c510a", "width": 3, "dash": "dash"}},
    ]
    shapes, notes = [], []
    levels = [(cv, t(f"{NS}.spray_cv"))]
    if model_best is not None:
        levels.append((model_best, t(f"{NS}.spray_model")))
    for level, label in levels:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": level, "y1": level,
                       "line": {"color": "#2166ac", "width": 1.5, "dash": "dot"}})
        notes.append({"xref": "paper", "x": 1.0, "y": level, "xanchor": "right", "yanchor": "bottom",
                      "showarrow": False, "text": label, "font": {"size": 13}})
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
              "separators": plotly_separators(), "shapes": shapes, "annotations": notes,
              "xaxis": {"title": {"text": t(f"{NS}.axis_k")}, "type": "log"},
              "yaxis": {"title": {"text": t(f"{NS}.axis_ade")}, "rangemode": "tozero"},
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0}}
    return go.Figure(data=traces, layout=layout)
