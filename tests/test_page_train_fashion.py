"""AppTest of the Train page's data choice (MNIST / Fashion-MNIST) and its "why these settings?" panel.

Like test_page_train_mnist, each run is tiny (batch 16, 4 steps) and is stopped and joined at the end.
"""
from __future__ import annotations

import pytest

from ui.i18n import catalog

PAGE = "pages/train_mnist.py"


def _runs(at) -> list:
    return list(at.session_state["train_runs"]) if "train_runs" in at.session_state else []


@pytest.fixture
def tiny(app_test):
    made = []

    def make(lang: str = "en"):
        at = app_test(PAGE, lang=lang)
        at.session_state["train_steps"] = 4
        at.session_state["train_batch"] = 16
        at.run()
        made.append(at)
        return at

    yield make
    for at in made:
        for entry in _runs(at):
            entry.run.stop()
        for entry in _runs(at):
            entry.run.join(timeout=60)


def test_fashion_run_trains_on_clothes_and_says_the_digit_charts_are_off(tiny):
    from ui.train_controls import fashion_installed

    if not fashion_installed():
        pytest.skip("Debian's dataset-fashion-mnist is not installed here")
    en = catalog("en")
    at = tiny()
    assert at.session_state["train_dataset"] == "mnist"  # MNIST by default
    at.selectbox(key="train_dataset").set_value("fashion-mnist").run()
    at.selectbox(key="train_preset").set_value("beta1_high").run()  # a preset turns knobs, keeps the data
    assert at.session_state["train_dataset"] == "fashion-mnist" and at.session_state["train_beta1"] == 0.9
    at.button(key="train_start").click().run()
    (entry,) = _runs(at)
    assert entry.config.dataset == "fashion-mnist" and entry.config.beta1 == 0.9
    entry.run.join(timeout=120)
    snap = entry.run.snapshot()
    assert snap.status == "finished" and snap.latest_grid is not None and snap.quality == []
    at.run()
    assert not at.exception
    assert en["train.quality_not_digits"] in [i.value for i in at.info]
    assert not at.warning  # no "mode collapse" claim from a digit classifier about clothes


def test_missing_fashion_data_is_a_message_and_no_run(tiny, monkeypatch):
    import ui.train_controls as controls

    monkeypatch.setattr(controls, "fashion_installed", lambda: False)
    at = tiny()  # English: AppTest formats the page's translated selectbox options in English
    at.session_state["train_dataset"] = "fashion-mnist"
    at.run()
    at.button(key="train_start").click().run()
    assert not at.exception and _runs(at) == []
    problem = catalog("en")["train.problem_fashion_missing"].split("{")[0]
    assert any(e.value.startswith(problem) and "dataset-fashion-mnist" in e.value for e in at.error)


def test_why_panel_follows_the_sliders_and_measures_the_scale(tiny):
    at = tiny()
    en = catalog("en")
    assert len(at.tabs) == 6 and at.latex  # Adam's update formula
    svg = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert len(svg) == 3  # DCGAN shapes, ReLU vs LeakyReLU, momentum bars
    assert "7×7" in svg[0] and "14×14" in svg[0] and "28×28" in svg[0]
    assert "187,600 steps" in "".join(m.value for m in at.markdown)
    assert en["train.why_scale_none"] in [c.value for c in at.caption]
    at.slider(key="train_beta1").set_value(0.9).run()
    assert "halves every 6.6 steps" in "".join(c.value for c in at.caption)  # 0.9^6.58 = 1/2
    at.slider(key="train_slope").set_value(0.0).run()
    assert "(0.00 now" in "".join(m.value for m in at.markdown)
    at.button(key="train_start").click().run()
    (entry,) = _runs(at)
    entry.run.join(timeout=60)
    at.run()
    assert not at.exception
    assert any("steps a minute" in m.value for m in at.markdown)  # measured on the selected run
