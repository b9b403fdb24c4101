"""Plotly figures for the objective lab (numbers come from gan_core.objectives)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.charts import figure
from ui.i18n import plotly_separators, t
from ui.toy2d_plots import FAKE, REAL

NS = "learn_objectives"
FONT = {"size": 16}
COST_COLORS = {"minimax": "#d6604d", "nonsaturating": "#2166ac", "maxlik": "#8c510a"}


def _layout(height: int, x_title: str, y_title: str, **extra) -> dict:
    return {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": FONT,
            "separators": plotly_separators(),  # ticks as the text writes numbers: 0,5 in Polish
            "xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}},
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0}, **extra}


def optimal_d_figure(game: dict, *, height: int = 380) -> go.Figure:
    x = game["x"]
    data = [
        {"type": "scatter", "x": x, "y": game["p_data"], "name": t(f"{NS}.p_data"), "fill": "tozeroy",
         "line": {"color": REAL, "width": 2}},
        {"type": "scatter", "x": x, "y": game["p_g"], "name": t(f"{NS}.p_g"), "fill": "tozeroy",
         "line": {"color": FAKE, "width": 2}},
        {"type": "scatter", "x": x, "y": game["d_star"], "name": t(f"{NS}.d_star"), "yaxis": "y2",
         "line": {"color": "black", "width": 3, "dash": "dash"}},
    ]
    layout = _layout(height, "x", t(f"{NS}.density"),
                     yaxis2={"overlaying": "y", "side": "right", "range": [0, 1.02],
                             "title": {"text": t(f"{NS}.d_star")}})
    return figure(data, layout)


def generator_costs_figure(d: np.ndarray, curves: dict, *, which: str, height: int = 380) -> go.Figure:
    """which="cost": J(G) vs D(G(z)); which="dlogit": the gradient G receives vs D(G(z))."""
    data = [{"type": "scatter", "x": d, "y": curves[name][which], "name": t(f"{NS}.cost_{name}"),
             "line": {"color": COST_COLORS[name], "width": 3}} for name in curves]
    y_title = t(f"{NS}.axis_cost") if which == "cost" else t(f"{NS}.axis_grad")
    layout = _layout(height, t(f"{NS}.axis_dgz"), y_title)
    if which == "cost":
        layout["yaxis"]["range"] = [-5, 5]
    layout["shapes"] = [{"type": "rect", "xref": "x", "yref": "paper", "x0": 0, "x1": 0.1, "y0": 0, "y1": 1,
                         "fillcolor": "rgba(214,96,77,0.12)", "line": {"width": 0}}]
    layout["annotations"] = [{"x": 0.05, "y": 1.0, "xref": "x", "yref": "paper", "showarrow": False,
                              "text": t(f"{NS}.early_zone"), "font": {"size": 13}}]
    return figure(data, layout)


def score_losses_figure(s: np.ndarray, losses: dict, *, height: int = 360) -> go.Figure:
    styles = {"lsgan_g": ("#2166ac", "solid"), "hinge_d_real": (REAL, "solid"),
              "hinge_d_fake": (FAKE, "solid"), "hinge_g": ("#d6604d", "dot")}
    data = [{"type": "scatter", "x": s, "y": losses[k], "name": t(f"{NS}.score_{k}"),
             "line": {"color": c, "width": 3, "dash": dash}} for k, (c, dash) in styles.items()]
    return figure(data, _layout(height, t(f"{NS}.axis_score"), t(f"{NS}.axis_cost")))


def earth_mover_figure(em: dict, *, height: int = 320) -> go.Figure:
    """Left: the two piles of earth. Right: JS (bits) and W1 as the fake pile slides."""
    x = em["x"]
    data = [
        {"type": "scatter", "x": x, "y": em["p_data"], "name": t(f"{NS}.p_data"), "fill": "tozeroy",
         "line": {"color": REAL}},
        {"type": "scatter", "x": x, "y": em["p_g"], "name": t(f"{NS}.p_g"), "fill": "tozeroy",
         "line": {"color": FAKE}},
        {"type": "scatter", "x": em["shifts"], "y": em["js_curve"], "name": t(f"{NS}.js_bits"),
         "xaxis": "x2", "yaxis": "y2", "line": {"color": "#d6604d", "width": 3}},
        {"type": "scatter", "x": em["shifts"], "y": em["w1_curve"], "name": t(f"{NS}.w1"),
         "xaxis": "x2", "yaxis": "y2", "line": {"color": "#2166ac", "width": 3}},
    ]
    shift = float(x[np.argmax(em["p_g"])])
    layout = _layout(height, "x", t(f"{NS}.density"))
    layout.update({
        "xaxis": {"domain": [0, 0.46], "range": [-4.5, 4.5], "title": {"text": "x"}},
        "xaxis2": {"domain": [0.56, 1], "anchor": "y2", "title": {"text": t(f"{NS}.axis_shift")}},
        "yaxis2": {"anchor": "x2", "title": {"text": t(f"{NS}.axis_distance")}},
        "shapes": [{"type": "line", "xref": "x2", "yref": "y2", "x0": shift, "x1": shift, "y0": 0,
                    "y1": float(max(em["w1_curve"].max(), 1.0)), "line": {"dash": "dot", "color": "grey"}}],
        "annotations": [{"x": shift / 2, "y": float(em["p_data"].max()) * 0.6, "xref": "x", "yref": "y",
                         "ax": -shift * 20, "ay": 0, "showarrow": abs(shift) > 0.3, "arrowhead": 3,
                         "arrowwidth": 2, "text": ""}],
    })
    return figure(data, layout)


def equilibrium_figure(history: dict, levels: dict, *, height: int = 320) -> go.Figure:
    data = [
        {"type": "scatter", "x": history["step"], "y": history["d_loss"], "name": t(f"{NS}.eq_d_loss"),
         "line": {"color": REAL, "width": 2}},
        {"type": "scatter", "x": history["step"], "y": history["g_loss"], "name": t(f"{NS}.eq_g_loss"),
         "line": {"color": FAKE, "width": 2}},
    ]
    layout = _layout(height, t(f"{NS}.axis_step"), t(f"{NS}.axis_cost"))
    layout["shapes"] = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": levels["d_loss"],
                         "y1": levels["d_loss"], "line": {"dash": "dash", "color": "black"}}]
    layout["annotations"] = [{"xref": "paper", "x": 1.0, "y": levels["d_loss"], "xanchor": "right",
                              "yanchor": "bottom", "showarrow": False, "text": t(f"{NS}.eq_log2")}]
    return figure(data, layout)
