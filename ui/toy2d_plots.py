"""Plotly figures for the 2-D playground, built from a ToySnapshot.

Cheap by construction: one heatmap (60 x 60), one line trace for the whole manifold (polylines
joined by gaps), one trace for all arrow shafts and one for their heads. Colours follow GAN Lab:
green = real / "D says real", purple = fake / "D says fake"; strong contrast for projectors.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gan_core.data.toy2d import BOX
from ui.charts import figure
from ui.i18n import plotly_separators, t

REAL = "#1b7837"
FAKE = "#762a83"
# purple (fake side) -> white (undecided) -> green (real side)
SURFACE_SCALE = [[0.0, "#9970ab"], [0.25, "#c2a5cf"], [0.5, "#f7f7f7"], [0.75, "#a6dba0"], [1.0, "#5aae61"]]
FONT = {"size": 16}


def _polylines(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(L, P, 2) -> x, y with a NaN gap after each polyline (one trace draws them all)."""
    gap = np.full((lines.shape[0], 1, 2), np.nan)
    flat = np.concatenate([lines, gap], axis=1).reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


def arrow_segments(origin: np.ndarray, vec: np.ndarray, *, max_len: float = 0.45,
                   ref_norm: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shaft coordinates (with gaps), tip positions (k, 2) and tip angles (degrees clockwise
    from "up", as plotly's marker.angle wants). Lengths are scaled so the longest (or a gradient
    of norm `ref_norm`, to share one scale between figures) is max_len; relative lengths are
    kept, so a vanishing gradient shows as a vanishing arrow."""
    norms = np.linalg.norm(vec, axis=1)
    top = float(norms.max()) if len(norms) else 0.0
    top = top if ref_norm is None else ref_norm
    scale = max_len / top if top > 1e-12 else 0.0
    tips = origin + vec * scale
    seg = np.stack([origin, tips, np.full_like(origin, np.nan)], axis=1).reshape(-1, 2)
    angles = np.degrees(np.arctan2(vec[:, 0], vec[:, 1]))
    return seg, tips, angles


def playfield(snap, *, show: dict[str, bool], height: int = 560, arrow_ref: float | None = None) -> go.Figure:
    """The plane: D heatmap, G's manifold, real and fake samples, gradient arrows, slow-mo batch."""
    traces: list[dict] = []
    n = snap.surface.shape[0]
    axis = np.linspace(-BOX, BOX, n)
    if show.get("heatmap", True):
        if snap.surface_is_prob:
            zmin, zmax, title = 0.0, 1.0, t("learn_playground.cbar_prob")
        else:
            half = float(np.max(np.abs(snap.surface))) or 1.0
            zmin, zmax, title = -half, half, t("learn_playground.cbar_score")
        traces.append({"type": "heatmap", "x": axis, "y": axis, "z": snap.surface, "zmin": zmin, "zmax": zmax,
                           "colorscale": SURFACE_SCALE, "opacity": 0.85, "hoverinfo": "skip", "zsmooth": "best",
                           "colorbar": {"title": {"text": title, "side": "right"}, "thickness": 14, "len": 0.8}})
    if show.get("manifold", True):
        x, y = _polylines(snap.manifold)
        traces.append({"type": "scatter", "mode": "lines", "x": x, "y": y, "name": t("learn_playground.legend_manifold"),
                           "line": {"color": "rgba(60,60,60,0.55)", "width": 1.3}, "hoverinfo": "skip"})
    if show.get("real", True):
        traces.append({"type": "scatter", "mode": "markers", "x": snap.real[:, 0], "y": snap.real[:, 1],
                           "name": t("learn_playground.legend_real"), "hoverinfo": "skip",
                           "marker": {"color": REAL, "size": 6, "opacity": 0.8}})
    if show.get("fake", True):
        traces.append({"type": "scatter", "mode": "markers", "x": snap.fake[:, 0], "y": snap.fake[:, 1],
                           "name": t("learn_playground.legend_fake"), "hoverinfo": "skip",
                           "marker": {"color": FAKE, "size": 6, "opacity": 0.85, "line": {"color": "white", "width": 0.5}}})
    if snap.highlight_real is not None:
        traces.append({"type": "scatter", "mode": "markers", "x": snap.highlight_real[:, 0], "y": snap.highlight_real[:, 1],
                           "name": t("learn_playground.legend_batch_real"), "hoverinfo": "skip",
                           "marker": {"color": REAL, "size": 12, "symbol": "circle-open", "line": {"width": 2.5}}})
        traces.append({"type": "scatter", "mode": "markers", "x": snap.highlight_fake[:, 0], "y": snap.highlight_fake[:, 1],
                           "name": t("learn_playground.legend_batch_fake"), "hoverinfo": "skip",
                           "marker": {"color": FAKE, "size": 12, "symbol": "diamond-open", "line": {"width": 2.5}}})
    if show.get("arrows", True) and len(snap.arrow_from):
        seg, tips, angles = arrow_segments(snap.arrow_from, snap.arrow_vec, ref_norm=arrow_ref)
        traces.append({"type": "scatter", "mode": "lines", "x": seg[:, 0], "y": seg[:, 1], "hoverinfo": "skip",
                           "name": t("learn_playground.legend_arrows"), "legendgroup": "arrows",
                           "line": {"color": "#d6604d", "width": 2.2}})
        traces.append({"type": "scatter", "mode": "markers", "x": tips[:, 0], "y": tips[:, 1], "hoverinfo": "skip",
                           "showlegend": False, "legendgroup": "arrows",
                           "marker": {"symbol": "triangle-up", "angle": angles, "size": 9, "color": "#d6604d"}})
    rng = [-BOX, BOX]
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "font": FONT, "uirevision": "playfield",
        "separators": plotly_separators(),
        "xaxis": {"range": rng, "showgrid": False, "zeroline": False, "constrain": "domain"},
        "yaxis": {"range": rng, "showgrid": False, "zeroline": False, "scaleanchor": "x", "scaleratio": 1},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "font": {"size": 14}},
        "plot_bgcolor": "white",
    }
    return figure(traces, layout, skip_invalid=False)


def curves(snap, *, height: int = 300, show_js: bool = True) -> go.Figure:
    """Left: D and G losses per iteration. Right (if show_js): JS divergence (bits), real vs fake."""
    h, dv = snap.history, snap.div_history
    traces = [
        {"type": "scatter", "mode": "lines", "x": h["step"], "y": h["d_loss"], "name": t("learn_playground.curve_d_loss"),
             "line": {"color": REAL, "width": 2}},
        {"type": "scatter", "mode": "lines", "x": h["step"], "y": h["g_loss"], "name": t("learn_playground.curve_g_loss"),
             "line": {"color": FAKE, "width": 2}},
        {"type": "scatter", "mode": "lines+markers", "x": dv["step"], "y": dv["js"], "name": t("learn_playground.curve_js"),
             "xaxis": "x2", "yaxis": "y2", "line": {"color": "#2166ac", "width": 2}, "marker": {"size": 4}},
    ]
    if not show_js:
        traces = traces[:2]
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT, "uirevision": "curves",
        "separators": plotly_separators(),
        "xaxis": {"domain": [0, 0.46], "title": {"text": t("learn_playground.axis_step")}},
        "yaxis": {"title": {"text": t("learn_playground.axis_loss")}},
        "xaxis2": {"domain": [0.56, 1], "anchor": "y2", "title": {"text": t("learn_playground.axis_step")}},
        "yaxis2": {"anchor": "x2", "range": [0, 1], "title": {"text": t("learn_playground.axis_js")}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0},
    }
    if not show_js:
        layout["xaxis"]["domain"] = [0, 1]
        for k in ("xaxis2", "yaxis2"):
            layout.pop(k)
    return figure(traces, layout)


def draw_canvas(points: np.ndarray, candidates: np.ndarray, *, height: int = 520) -> go.Figure:
    """Drawing pad: faint candidate dots to click / box / lasso, and the points chosen so far.

    The candidate trace is trace 0 so selections are read as indices into `candidates`."""
    traces = [
        {"type": "scatter", "mode": "markers", "x": candidates[:, 0], "y": candidates[:, 1],
             "name": t("learn_playground.legend_candidates"), "hoverinfo": "none",
             "marker": {"color": "rgba(120,120,120,0.25)", "size": 7}},
        {"type": "scatter", "mode": "markers", "x": points[:, 0] if len(points) else [],
             "y": points[:, 1] if len(points) else [], "name": t("learn_playground.legend_drawn"),
             "hoverinfo": "skip", "marker": {"color": REAL, "size": 9}},
    ]
    rng = [-BOX, BOX]
    # no dragmode here: Streamlit then starts in "pan", where a click selects the dot under the cursor;
    # the toolbar's box / lasso tools select many (and a click there no longer selects).
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
                  "xaxis": {"range": rng, "showgrid": False, "zeroline": False, "constrain": "domain"},
                  "yaxis": {"range": rng, "showgrid": False, "zeroline": False, "scaleanchor": "x", "scaleratio": 1},
                  "legend": {"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0.0}, "plot_bgcolor": "white",
                  "uirevision": "draw", "separators": plotly_separators()}
    return figure(traces, layout)


def candidate_grid(step: float = 0.2, half: float = 2.6) -> np.ndarray:
    """The clickable dots of the drawing pad: a square lattice (27 x 27)."""
    g = np.arange(-half, half + 1e-9, step)
    xx, yy = np.meshgrid(g, g)
    return np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
