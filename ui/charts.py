"""Charts readable from the back row: colour-blind-safe colours, dark ticks, direct labels.

Pure plotly (no Streamlit), so figure builders and benchmarks can use it. Streamlit's own chart
theme draws tick labels in 12 px light grey unless a figure sets them itself, and a plotly
template cannot override that; ``readable_layout`` therefore writes the fonts into every axis of the
figure. Builders return ``figure(data, layout)``, which writes them into the layout dict.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency and in greyscale
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
TEXT = "#1e293b"  # slate 800: 13:1 on white
TICK_SIZE = 15
TITLE_SIZE = 16


def readable_layout(layout: Mapping, *, tick_size: int = TICK_SIZE, title_size: int = TITLE_SIZE) -> dict:
    """A copy of a layout dict with dark, larger tick labels and axis titles on every axis (and the
    default x and y axes), legend and hover text to match."""
    out = dict(layout)
    tick = {"size": tick_size, "color": TEXT}
    for name in {"xaxis", "yaxis"} | {k for k in out if k.startswith(("xaxis", "yaxis"))}:
        axis = dict(out.get(name) or {})
        title = axis.get("title")
        title = {"text": title} if isinstance(title, str) else dict(title or {})
        title["font"] = {**title.get("font", {}), "size": title_size, "color": TEXT}
        axis.update(tickfont=tick, title=title, linecolor="#94a3b8", gridcolor="#e2e8f0")
        out[name] = axis
    out["legend"] = {**dict(out.get("legend") or {}), "font": {"size": tick_size, "color": TEXT}}
    out["hoverlabel"] = {**dict(out.get("hoverlabel") or {}), "font": {"size": tick_size}}
    return out


# Validate every figure against plotly's schema: on under the tests (tests/conftest.py), so a misspelt
# property fails there; off in the app, where validating cost the Train page's live refresh half its time
# (figures built here are handed to st.plotly_chart as figures, which Streamlit does not validate again).
CHECK_ENV = "GAN_CLASSROOM_CHECK_FIGURES"


def figure(data: Sequence | None, layout: Mapping, **kwargs) -> go.Figure:
    """``go.Figure`` with ``readable_layout`` applied before it is built (restyling a built figure with
    ``update_xaxes`` validated it 3-4 times over), validated only when ``$GAN_CLASSROOM_CHECK_FIGURES`` is 1."""
    layout = readable_layout(layout)
    if os.environ.get(CHECK_ENV) != "1":
        try:
            return go.Figure(data=data, layout=layout, _validate=False, **kwargs)
        except (TypeError, ValueError):  # a plotly without the private switch: build it validated
            pass
    return go.Figure(data=data, layout=layout, **kwargs)


def end_labels(traces: Sequence[dict], *, size: int = TICK_SIZE, log_axes: Sequence[str] = ()) -> list[dict]:
    """Annotations naming each line at its last point, in its colour (a legend made unnecessary).

    ``traces``: plotly trace dicts with ``x``, ``y``, ``name``, ``line.color`` and optional
    ``xaxis`` / ``yaxis`` ("x2", "y3"...); ``log_axes``: the y axes of type "log" (annotations sit
    at log10(y) there). Labels whose end points are close on the same axis are stacked."""
    notes = []
    placed: dict[str, list[float]] = {}
    for trace in traces:
        points = [(x, y) for x, y in zip(trace.get("x", []), trace.get("y", []))
                  if y is not None and math.isfinite(y) and (trace.get("yaxis", "y") not in log_axes or y > 0)]
        if not points:
            continue
        x, y = points[-1]
        yaxis = trace.get("yaxis", "y")
        at = math.log10(y) if yaxis in log_axes else y
        near = [other for other in placed.get(yaxis, []) if abs(other - at) <= 0.06 * max(abs(at), abs(other), 0.1)]
        placed.setdefault(yaxis, []).append(at)
        shift = -(size + 3) * len(near)
        notes.append({"x": x, "y": at, "xref": trace.get("xaxis", "x"), "yref": yaxis, "text": trace["name"],
                      "showarrow": False, "xanchor": "left", "xshift": 6, "yshift": shift,
                      "font": {"size": size, "color": trace.get("line", {}).get("color", TEXT)}})
    return notes
