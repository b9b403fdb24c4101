"""AppTest: the Social GAN page - scene picker, window, model, k, seed, pooling, constant velocity, time,
sandbox, ETH/UCY folder (good and bad), the three predict-then-reveal questions, and other languages."""
from __future__ import annotations

import pytest
from _society_ckpts import make_checkpoints, write_eth_ucy

PAGE = "pages/society_trajectories.py"
NS = "society_trajectories"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("society")
    data = write_eth_ucy(root / "eth_ucy")
    return data, make_checkpoints(root / "ckpts", eth_ucy=data), root / "not_configured"


@pytest.fixture
def society(files, monkeypatch):
    data, folder, nowhere = files
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(folder))
    monkeypatch.setenv("GAN_CLASSROOM_ETH_UCY", str(nowhere))  # start without ETH/UCY
    return data


def _metric(at, i: int) -> tuple[float, float]:
    ade, fde = at.metric[i].value.split(" / ")
    return float(ade), float(fde)


def test_scene_controls(app_test, society):
    at = app_test(PAGE)
    assert at.selectbox(key="sg_source").value == "synthetic:crossing"
    assert at.selectbox(key="sg_model_synthetic_crossing").value == "social_gan_synthetic"
    assert len(at.metric) == 3 and len(at.get("plotly_chart")) >= 2  # scene + training curves
    best20 = _metric(at, 0)
    at.slider(key="sg_k").set_value(2).run()
    assert not at.exception and _metric(at, 0)[0] >= best20[0]  # best of 2 can only be worse than best of 20
    at.number_input(key="sg_seed").set_value(3).run()
    at.toggle(key="sg_pooling").set_value(False).run()
    assert not at.exception and any("social_gan_synthetic_nopool" in c.value for c in at.caption)
    at.checkbox(key="sg_cv").check().run()
    at.select_slider(key="sg_time").set_value(4).run()
    window = at.slider(key="sg_window_synthetic:crossing")
    window.set_value(min(window.max, window.value + 1)).run()
    assert not at.exception
    at.selectbox(key="sg_source").set_value("synthetic:corridor").run()
    assert not at.exception and len(at.metric) == 3


def test_sandbox(app_test, society):
    at = app_test(PAGE)
    at.selectbox(key="sg_source").set_value("sandbox").run()
    assert not at.exception and not at.error and len(at.metric) == 3  # the example layout is forecast
    at.selectbox(key="sg_walls").set_value("corridor").run()
    at.button(key="sg_sandbox_reset").click().run()
    assert not at.exception and len(at.metric) == 3


def test_eth_ucy_folder_bad_then_good(app_test, society):
    at = app_test(PAGE)
    assert not any("zara1" in o for o in at.selectbox(key="sg_source").options)  # options are shown labels
    at.text_input(key="sg_folder").input("/no/such/folder").run()
    assert not at.exception and any("/no/such/folder" in e.value for e in at.error)
    at.text_input(key="sg_folder").input(str(society)).run()
    assert not at.error and any("zara1" in o for o in at.selectbox(key="sg_source").options)
    at.selectbox(key="sg_source").set_value("eth_ucy:zara1").run()
    assert not at.exception and at.selectbox(key="sg_model_eth_ucy_zara1").value == "social_gan_zara1"
    at.selectbox(key="sg_model_eth_ucy_zara1").set_value("social_lstm_zara1").run()
    assert not at.exception and any("LSTM" in i.value for i in at.info)  # no D curve for the baseline
    assert any(("k = 20" in c.value) for c in at.caption)
    at.selectbox(key="sg_model_eth_ucy_zara1").set_value("social_gan_synthetic").run()
    assert not at.exception


def test_predict_then_reveal(app_test, society):
    at = app_test(PAGE)
    charts = len(at.get("plotly_chart"))
    for name, guess in (("spray", "up"), ("paths", "nonlinear"), ("lab", "no")):
        assert at.button(key=f"sg_reveal_{name}").disabled  # nothing shown before a guess
        at.radio(key=f"sg_q_{name}").set_value(guess).run()
        at.button(key=f"sg_reveal_{name}").click().run()
        assert not at.exception
    assert len(at.warning) >= 1 and len(at.success) >= 2  # "up" is wrong; the other two are right
    assert len(at.get("plotly_chart")) == charts + 1  # the best-of-k spray plot
    assert len(at.dataframe) >= 2  # the near-linear / non-linear table and the Table 1 comparison
    assert any("0.944" in m.value and "2.128" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["zh-TW", "pl"])
def test_other_languages(app_test, society, lang):
    at = app_test(PAGE, lang=lang)
    assert not at.exception and len(at.metric) == 3
