"""Plotly figures for the receptive-field and checkerboard lessons (numbers come from gan_core).

Every text a figure shows is passed in already translated (``t(...)`` at the call site), so one helper
serves both pages' namespaces.
"""
from __future__ import annotations

import base64
import re

import numpy as np
import plotly.graph_objects as go

from gan_core.images import png_bytes
from ui.i18n import plotly_separators
from ui.svg_text import text_width

FONT = {"size": 15}
FIELD = "#d62728"  # the judged patch
PADDING = "#ff7f0e"  # the part of the field that falls outside the picture (zero padding)


def _layout(height: int, title: str, x_title: str, y_title: str, **extra) -> dict:
    return {"height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "font": FONT,
            "title": {"text": title, "font": {"size": 15}}, "separators": plotly_separators(),
            "xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}}, **extra}


def _png_source(image: np.ndarray) -> str:
    """A data URI: the picture travels as one PNG, not as a JSON list of every pixel."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(image, nrow=None)).decode("ascii")


def overlay_figure(image: np.ndarray, box: tuple[int, int, int, int], full: tuple[int, int, int, int], *,
                   title: str, x_title: str, y_title: str, height: int = 460) -> go.Figure:
    """``image`` (H, W[, 3]) uint8 with the judged patch ``box`` (clipped, solid) and the whole field
    ``full`` (dashed; the part outside the picture is padding). Boxes are (top, left, bottom, right)."""
    h, w = image.shape[:2]
    top, left, bottom, right = full
    shapes = [
        {"type": "rect", "x0": left - 0.5, "x1": right + 0.5, "y0": top - 0.5, "y1": bottom + 0.5,
         "line": {"color": PADDING, "width": 2, "dash": "dash"}},
        {"type": "rect", "x0": box[1] - 0.5, "x1": box[3] + 0.5, "y0": box[0] - 0.5, "y1": box[2] + 0.5,
         "line": {"color": FIELD, "width": 3}, "fillcolor": "rgba(214,39,40,0.18)"},
    ]
    lo_x, hi_x = min(-0.5, left - 1.5), max(w - 0.5, right + 1.5)
    lo_y, hi_y = min(-0.5, top - 1.5), max(h - 0.5, bottom + 1.5)
    fig = go.Figure(go.Image(source=_png_source(image), x0=0, y0=0, dx=1, dy=1, hoverinfo="skip"))
    fig.update_layout(**_layout(height, title, x_title, y_title), shapes=shapes)
    fig.update_xaxes(range=[lo_x, hi_x], showgrid=False, zeroline=False)
    fig.update_yaxes(range=[hi_y, lo_y], showgrid=False, zeroline=False, scaleanchor="x")  # row 0 on top
    return fig


def count_heatmap(counts: np.ndarray, *, title: str, x_title: str, y_title: str, colorbar: str,
                  height: int = 400) -> go.Figure:
    """An integer map (how often each pixel is seen / written) with the numbers in the cells."""
    small = max(counts.shape) <= 24
    trace = go.Heatmap(z=counts, colorscale="Viridis", zmin=0, colorbar={"title": {"text": colorbar}},
                       text=counts if small else None, texttemplate="%{text}" if small else None,
                       hovertemplate="x=%{x}, y=%{y}: %{z}<extra></extra>")
    fig = go.Figure(trace, layout=_layout(height, title, x_title, y_title))
    fig.update_yaxes(autorange="reversed", scaleanchor="x")
    return fig


def spectra_figure(specs: list[np.ndarray], titles: list[str], peaks: list[tuple[int, int]], *, x_title: str,
                   y_title: str, colorbar: str, height: int = 400) -> go.Figure:
    """log(1 + |F|) of centred spectra side by side (one colour scale, axes in cycles per image), the
    ``peaks`` (fy, fx) circled in each."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=len(specs), subplot_titles=titles, horizontal_spacing=0.06)
    top = max(float(np.log1p(s).max()) for s in specs)
    for i, spec in enumerate(specs, start=1):
        h, w = spec.shape
        fig.add_trace(go.Heatmap(z=np.log1p(spec), x=np.arange(w) - w // 2, y=np.arange(h) - h // 2,
                                 coloraxis="coloraxis", hovertemplate="fx=%{x}, fy=%{y}: %{z:.2f}<extra></extra>"),
                      row=1, col=i)
        fig.add_trace(go.Scatter(x=[p[1] for p in peaks], y=[p[0] for p in peaks], mode="markers",
                                 marker={"symbol": "circle-open", "size": 14, "color": "#00d5ff",
                                         "line": {"width": 3}}, hoverinfo="skip", showlegend=False), row=1, col=i)
        fig.update_xaxes(title_text=x_title if i == (len(specs) + 1) // 2 else None, constrain="domain",
                         row=1, col=i)  # one x title, under the middle plot: three would overlap
        fig.update_yaxes(scaleanchor=f"x{i if i > 1 else ''}", constrain="domain", row=1, col=i)
    fig.update_yaxes(title_text=y_title, row=1, col=1)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, font=FONT,
                      separators=plotly_separators(),
                      coloraxis={"colorscale": "Magma", "cmin": 0.0, "cmax": top,
                                 "colorbar": {"title": {"text": colorbar}}})
    return fig


def _wrap(text: str, *, width: float, size: float) -> str:
    """``text`` with ``<br>`` breaks so each line's estimated width stays within ``width`` px (plotly never
    wraps a title): after a comma first, else between words, never inside "k = 3" or "a + b"."""
    def fits(line: str) -> bool:
        return text_width(line, size) <= width

    lines = []
    for part in text.split("<br>"):
        pieces = []
        for clause in re.split(r"(?<=,)\s+|(?<=，)", part):  # natural breaks first (not "0,26")
            pieces += [clause] if fits(clause) else re.findall(r"\S+(?:\s[=+×]\s\S+)*", clause)
        line = ""
        for piece in pieces:
            joined = f"{line}{'' if line.endswith('，') else ' '}{piece}" if line else piece
            if line and not fits(joined):
                lines.append(line)
                joined = piece
            line = joined
        lines.append(line)
    return "<br>".join(lines)


def patterns_figure(patterns: list[np.ndarray], titles: list[str], *, colorbar: str, height: int = 200,
                    title_width: float = 170.0) -> go.Figure:
    """Small signed maps side by side on one symmetric colour scale (0 = white, positive = red), so their
    amplitudes compare. Titles may hold ``<br>``; lines wider than ``title_width`` px (a map's width at a
    1280 px projector) are wrapped, so four titles never run into each other in any language."""
    from plotly.subplots import make_subplots

    size = 14
    titles = [_wrap(title, width=title_width, size=size) for title in titles]
    lines = max(title.count("<br>") + 1 for title in titles)
    top = max(float(np.abs(p).max()) for p in patterns) or 1.0
    fig = make_subplots(rows=1, cols=len(patterns), subplot_titles=titles, horizontal_spacing=0.03)
    for i, pattern in enumerate(patterns, start=1):
        fig.add_trace(go.Heatmap(z=pattern, coloraxis="coloraxis",
                                 hovertemplate="x=%{x}, y=%{y}: %{z:.3f}<extra></extra>"), row=1, col=i)
        fig.update_xaxes(visible=False, constrain="domain", row=1, col=i)
        fig.update_yaxes(visible=False, autorange="reversed", scaleanchor=f"x{i if i > 1 else ''}",
                         constrain="domain", constraintoward="top", row=1, col=i)  # maps hang under their titles
    fig.update_annotations(font={"size": size})
    head = 40 + 18 * lines  # the titles, and a free row above them for plotly's hover toolbar
    fig.update_layout(height=height + head, margin={"l": 10, "r": 10, "t": head, "b": 10},
                      font=FONT, separators=plotly_separators(),
                      coloraxis={"colorscale": "RdBu_r", "cmin": -top, "cmax": top,
                                 "colorbar": {"title": {"text": colorbar, "side": "right"}, "thickness": 14}})
    return fig
