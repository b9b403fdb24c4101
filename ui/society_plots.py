"""Plotly figures of the Social GAN page: a scene with observed paths, truth and sampled fans (metres,
equal aspect ratio), the training curves against 2 ln 2 / ln 2, and the best-of-k spray experiment."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from ui.i18n import num, plotly_separators, t

NS = "society_trajectories"
FONT = {"size": 15}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22")
LN2 = math.log(2.0)


def _log_ticks(values) -> dict:
    """Ticks at 1, 2, 5 x 10^n within the range of ``values`` for a log axis, written the reader's way
    (plotly's own minor labels read "5" for 0.5)."""
    v = np.asarray([x for x in values if x is not None and x > 0], dtype=float)
    if not len(v):
        return {}
    lo, hi = v.min(), v.max()
    if hi < 4 * lo:  # less than a factor 4: plotly's own labels are plain numbers there
        return {}
    # ticks beyond the axis range are simply not drawn
    ticks = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
             for m in (1, 2, 5)]
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [num(x) for x in ticks]}


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
    # every line at every time (the view stays put while the time slider moves, and no fan is cut off)
    drawn = [obs, truth] + [a for a in (samples, cv) if a is not None]
    both = np.concatenate([a.reshape(-1, 2) for a in drawn])
    lo, hi = both.min(axis=0), both.max(axis=0)
    pad = np.maximum(1.0, 0.08 * (hi - lo).max())
    lo, hi = lo - pad, hi + pad
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "font": FONT,
        "plot_bgcolor": "white", "separators": plotly_separators(), "uirevision": "scene",
        "xaxis": {"title": {"text": t(f"{NS}.axis_x")}, "range": [lo[0], hi[0]], "zeroline": False,
                  "gridcolor": "#eeeeee", "constrain": "range"},
        # scaleanchor: one metre is as long on y as on x; plotly widens whichever range is too short for
        # the plot's shape ("constrain": "range"), so the box fills the plot at any width, centred
        "yaxis": {"title": {"text": t(f"{NS}.axis_y")}, "range": [lo[1], hi[1]], "zeroline": False,
                  "gridcolor": "#eeeeee", "scaleanchor": "x", "scaleratio": 1, "constrain": "range"},
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


def variety_figure(curve: dict, *, height: int = 340) -> go.Figure:
    """The variety loss (mean squared error of the closest sample, m^2) over training, log scale."""
    traces = [_lines(curve.get("step", []), curve.get("g_variety", []), name=t(f"{NS}.curve_variety"),
                     line={"color": "#1b7837", "width": 3})]
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
              "separators": plotly_separators(), "showlegend": True,
              "xaxis": {"title": {"text": t(f"{NS}.axis_step")}},
              "yaxis": {"title": {"text": t(f"{NS}.axis_variety")}, "type": "log",
                        **_log_ticks(curve.get("g_variety", []))},
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
    # constant velocity: labelled at the right, above its line; the model: at the left, below its line
    # (the random curves are high at the left), so the two labels never overlap when the levels are close
    levels = [(cv, t(f"{NS}.spray_cv"), "#2166ac", "dot", 1.0, "right", "bottom")]
    if model_best is not None:
        levels.append((model_best, t(f"{NS}.spray_model"), "#1b7837", "dash", 0.0, "left", "top"))
    for level, label, color, dash, x, xanchor, yanchor in levels:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": level, "y1": level,
                       "line": {"color": color, "width": 2, "dash": dash}})
        notes.append({"xref": "paper", "x": x, "y": level, "xanchor": xanchor, "yanchor": yanchor,
                      "showarrow": False, "text": label, "font": {"size": 13, "color": color}})
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
              "separators": plotly_separators(), "shapes": shapes, "annotations": notes,
              "xaxis": {"title": {"text": t(f"{NS}.axis_k")}, "type": "log", "tickmode": "array",
                        # log10 units, a little wider than 1..100 so both end ticks are drawn
                        "range": [math.log10(min(ks)) - 0.03, math.log10(max(ks)) + 0.03],
                        "tickvals": [int(k) for k in ks], "ticktext": [num(int(k)) for k in ks]},
              "yaxis": {"title": {"text": t(f"{NS}.axis_ade")}, "rangemode": "tozero"},
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0}}
    return go.Figure(data=traces, layout=layout)
