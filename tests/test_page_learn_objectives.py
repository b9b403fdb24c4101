"""The objective lab under AppTest: every slider and radio, numbers that follow the theory."""
from __future__ import annotations

import base64
import json
import math
import re

import numpy as np

from gan_core.training.toy2d_presets import ready_meta
from ui.i18n import catalog

PAGE = "pages/learn_objectives.py"


def _array(v) -> np.ndarray:
    """A plotly trace array: a plain list, or plotly's typed-array form {"dtype", "bdata"}."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
    return np.asarray(v, dtype=float)


def _metric(at, key_label: str) -> float:
    return float(next(m.value for m in at.metric if m.label == key_label))


def test_objective_lab_renders_in_traditional_chinese(app_test):
    at = app_test(PAGE, lang="zh-TW")  # the fixture fails on any exception
    assert at.title[0].value == catalog("zh-TW")["learn_objectives.title"]


def test_objective_lab_controls_and_numbers(app_test):
    # English: AppTest formats translated radio options in the test thread, which has no page language
    at = app_test(PAGE)
    zh = catalog("en")
    assert at.title[0].value == zh["learn_objectives.title"]
    assert len(at.latex) >= 8  # V(D,G), both costs, D*, V(D*,G), the three G costs, LSGAN, hinge, W
    at.slider(key="ob_mu").set_value(0.0)
    at.slider(key="ob_sigma").set_value(1.0).run()
    assert not at.exception
    assert _metric(at, zh["learn_objectives.metric_v"]) == -round(math.log(4), 3)  # p_g = p_data
    assert _metric(at, zh["learn_objectives.metric_js"]) == 0.0
    at.slider(key="ob_mu").set_value(3.0).run()
    js_nats, v = _metric(at, zh["learn_objectives.metric_js"]), _metric(at, zh["learn_objectives.metric_v"])
    assert js_nats > 0.4 and abs(v - (-math.log(4) + 2 * js_nats)) < 2e-3  # the identity adds up: JS in nats
    check = next(c.value for c in at.caption if "+ 2 ×" in c.value)  # the by-hand check, same numbers
    assert f"{js_nats:.3f}" in check and f"{v:.3f}" in check
    at.radio(key="ob_cost_view").set_value("dlogit").run()
    spec = json.loads(next(c for c in at.get("plotly_chart") if "ob_costs_fig" in c.proto.id).proto.spec)
    minimax = spec["data"][0]
    assert minimax["name"] == zh["learn_objectives.cost_minimax"]
    slope = _array(minimax["y"])  # dJ/dlogit = -D(G(z)): ~0 where D rejects the fakes
    assert abs(slope[0]) < 0.01 and abs(slope[-1]) > 0.98
    at.slider(key="ob_shift").set_value(4.0).run()
    assert _metric(at, zh["learn_objectives.w1"]) == 4.0
    assert _metric(at, zh["learn_objectives.js_bits"]) == 1.0
    at.slider(key="ob_shift").set_value(0.0).run()
    assert _metric(at, zh["learn_objectives.w1"]) == 0.0
    assert not at.exception
    tail = at.caption[-1].value  # the recorded curves of the shipped ring state level off, not to zero
    d_mean, g_mean, log2 = (float(v) for v in re.findall(r"\d+\.\d{3}", tail))
    assert log2 == 0.693 and abs(d_mean - log2) < 0.15 and 0.4 < g_mean < 1.5
    hist = ready_meta("ring_balanced")["metrics"]["history"]
    n = len(hist["d_loss"])
    third, last = (float(np.mean(hist["d_loss"][a:b])) for a, b in ((n // 2, 3 * n // 4), (3 * n // 4, n)))
    assert abs(third - last) < 0.05  # flat: a stable state, not a falling loss
