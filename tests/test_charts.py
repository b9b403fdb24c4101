"""ui.charts: the back-row styling reaches every axis of a figure, and the caller's layout is not changed."""

from ui.charts import TEXT, TICK_SIZE, TITLE_SIZE, figure, readable_layout
from ui.train_figures import Series, page_figures


def test_every_axis_gets_dark_ticks_and_titles():
    layout = {"xaxis": {"title": "step"}, "yaxis2": {"title": {"text": "D(x)", "font": {"family": "serif"}}},
              "xaxis3": {"anchor": "y3"}, "legend": {"orientation": "h"}}
    fig = figure([{"type": "scatter", "x": [0, 1], "y": [1, 2]}], layout)
    for name in ("xaxis", "yaxis", "yaxis2", "xaxis3"):
        axis = fig.layout[name]
        assert axis.tickfont.size == TICK_SIZE and axis.tickfont.color == TEXT, name
        assert axis.title.font.size == TITLE_SIZE, name
    assert fig.layout.xaxis.title.text == "step"  # a plain-string title keeps its text
    assert fig.layout.yaxis2.title.font.family == "serif"  # other title font settings survive
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.font.size == TICK_SIZE
    assert layout["xaxis"] == {"title": "step"}  # the caller's dict is untouched


def test_train_page_figures_are_styled():
    history = {"step": [1, 2, 3], "d_loss": [1.0, 0.9, 0.8], "g_loss": [0.7, 0.8, 0.9], "d_real": [0.6] * 3,
               "d_fake": [0.4] * 3, "d_grad": [1.0, 2.0, 3.0], "g_grad": [0.5, 0.4, 0.3]}
    quality = [{"step": 3, "fid": 80.0, "class_hist": [0.1] * 10}]
    labels = {k: k for k in ("loss", "d_out", "grad_norm", "step", "d_loss", "g_loss", "d_real", "d_fake",
                             "d_grad", "g_grad", "equilibrium", "fid", "coverage", "digit")}
    figures = page_figures([Series(label="#1", history=history, quality=quality)], labels)
    assert len(figures) == 3
    for fig in figures:
        assert fig.layout.xaxis.tickfont.size == TICK_SIZE
    assert readable_layout({})["yaxis"]["tickfont"]["color"] == TEXT


def test_unchecked_figures_send_the_same_json_and_the_tests_check_every_figure(monkeypatch):
    import json

    import plotly.io as pio
    import pytest

    from ui import charts

    data = [{"type": "scatter", "x": [0, 1, 2], "y": [1.0, 0.5, 0.25], "name": "D", "line": {"color": "#0072B2"}}]
    layout = {"xaxis": {"title": "step"}, "annotations": charts.end_labels(data), "height": 300}
    assert charts.os.environ.get(charts.CHECK_ENV) == "1"  # conftest: under the tests every figure is checked
    checked = json.loads(pio.to_json(charts.figure(data, layout), validate=False))
    with pytest.raises(ValueError, match="linee"):
        charts.figure([{**data[0], "linee": {}}], layout)
    monkeypatch.setenv(charts.CHECK_ENV, "0")  # as in the app
    assert json.loads(pio.to_json(charts.figure(data, layout), validate=False)) == checked  # key order aside
