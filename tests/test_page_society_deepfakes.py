"""AppTest: the deepfake page - swap demo, a full game round (human vs detector, baselines), the advice
round, the detector table with its threshold slider, predict-then-reveal facts, bad input, no models."""
from __future__ import annotations

import pytest

PAGE = "pages/society_deepfakes.py"
TIMEOUT = 180  # the first run loads MNIST and the fonts once per process (slow on a busy machine)


@pytest.fixture(scope="module")
def _folder(tmp_path_factory):
    from _deepfake_ckpts import make_deepfake_checkpoints

    return make_deepfake_checkpoints(tmp_path_factory.mktemp("deepfake_ckpts"))


@pytest.fixture
def ckpts(_folder, monkeypatch):
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(_folder))
    return _folder


def _captions(at) -> list[str]:
    return [img.caption for el in at.image for img in el.proto.imgs]


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_swap_demo_both_models_and_controls(app_test, ckpts):
    at = app_test(PAGE, timeout=TIMEOUT)
    caps = _captions(at)
    assert caps.count("swap → typeset") == 2  # the plain and the adversarial model, same input
    assert "reconstruction" in caps
    assert len(at.get("graphviz_chart")) == 1
    at.radio(key="df_swap_identity__en").set_value("B").run()
    at.number_input(key="df_swap_pick").set_value(7).run()
    assert not at.exception and _captions(at).count("swap → handwritten") == 2
    at.button(key="df_swap_new").click().run()
    assert not at.exception and at.number_input(key="df_swap_seed").value == 1
    assert _metric(at, "Looks typeset (A → B)") == "25%"


def test_full_game_round_then_human_vs_machine(app_test, ckpts):
    at = app_test(PAGE, timeout=TIMEOUT)
    truth = at.session_state["df_game__truth"]
    for k in range(10):  # answer right in the first 7 rounds, wrong in the last 3
        right = int(truth[k]) if k < 7 else 1 - int(truth[k])
        at.button(key="df_game_fake" if right else "df_game_real").click().run()
        assert not at.exception
    assert _metric(at, "You") == "7 of 10"
    assert _metric(at, "Detector").endswith("of 10")
    assert any("Both right" in m.value for m in at.markdown)
    assert len(at.get("vega_lite_chart")) >= 1  # you, the class, the detector, the studies
    captions = _captions(at)
    assert sum("detector" in c for c in captions) == 10
    at.button(key="df_game_new").click().run()
    assert not at.exception and at.session_state["df_game"]["answers"] == []
    assert at.session_state["df_game"]["seed"] == 1


def test_photo_rounds_from_the_style_studio(app_test, ckpts):
    from gan_core.data.unpaired import held_out_pairs

    if not held_out_pairs(128):
        pytest.skip("no held-out photos on this machine (scikit-image, scikit-learn or mate-backgrounds)")
    at = app_test(PAGE, timeout=TIMEOUT)
    at.selectbox(key="df_game_source__en").set_value("photos:style_tiny").run()
    assert not at.exception and at.session_state["df_game"]["answers"] == []
    at.button(key="df_game_fake").click().run()
    assert not at.exception and len(at.session_state["df_game"]["answers"]) == 1
    assert "Round 2 of 10" in _captions(at)
    shown = at.session_state["df_game__truth"]
    assert len(shown) == 10 and shown.sum() == 5  # balanced rounds: half are generated photos


def test_advice_round_reports_reliance(app_test, ckpts):
    at = app_test(PAGE, timeout=TIMEOUT)
    assert any("The detector says" in i.value for i in at.info)
    for _ in range(8):
        at.button(key="df_advice_real").click().run()
        assert not at.exception
    labels = [m.label for m in at.metric]
    assert "You followed it when it was wrong" in labels and "The advice" in labels
    assert any("The advice was wrong in" in m.value for m in at.markdown)


def test_detector_table_and_threshold(app_test, ckpts):
    at = app_test(PAGE, timeout=TIMEOUT)
    table = at.dataframe[0].value
    assert list(table["generator"]) == ["mnist_mlp", "mnist_dcgan", "mnist_cgan", "mnist_infogan"]
    assert (table["seen in training"] == "✓ trained on it").sum() == 1
    at.slider(key="df_threshold").set_value(0.99).run()
    assert not at.exception
    low = at.dataframe[0].value
    assert (low["generated caught"] != table["generated caught"]).any() or (low["real called real"]
                                                                          != table["real called real"]).any()
    assert len(at.dataframe) == 2  # ours and Wang et al.'s published table
    assert "StyleGAN" in list(at.dataframe[1].value["tested on"])


def test_facts_predict_then_reveal(app_test, ckpts):
    at = app_test(PAGE, timeout=TIMEOUT)
    assert at.button(key="df_reveal_double").disabled  # no prediction yet
    at.slider(key="df_guess_porn").set_value(40).run()
    at.button(key="df_reveal_porn").click().run()
    assert _metric(at, "Pornographic, 2019") == "96%"
    at.radio(key="df_guess_double__en").set_value(6).run()
    at.button(key="df_reveal_double").click().run()
    assert not at.exception and any(m.value.startswith("Right:") for m in at.markdown)
    assert len(at.expander) >= 5  # four notes-vs-source answers and the sources


def test_bad_session_values_fall_back(app_test, ckpts, tmp_path, monkeypatch):
    at = app_test(PAGE, timeout=TIMEOUT)
    at.selectbox(key="df_game_source__en").set_value("mnist_cgan").run()
    at.session_state["df_swap_seed"] = -5
    at.session_state["df_game"] = {"answers": "garbage"}
    # the chosen generator disappears (retrained under another name, say): the game falls back to all of them
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    for name in ("mnist_mlp", "swap_tiny", "detector_tiny"):
        for suffix in (".safetensors", ".json"):
            (fewer / f"{name}{suffix}").write_bytes((ckpts / f"{name}{suffix}").read_bytes())
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(fewer))
    at.run()
    assert not at.exception
    assert at.number_input(key="df_swap_seed").value == 0
    assert at.session_state["df_game_source"] == "__mixed__"
    assert at.selectbox(key="df_game_source__en").value == "__mixed__"
    assert at.session_state["df_game"]["answers"] == []


def test_page_without_models_says_so(app_test, tmp_path, monkeypatch):
    (tmp_path / "none").mkdir()
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(tmp_path / "none"))
    at = app_test(PAGE, timeout=TIMEOUT)
    assert not at.exception
    texts = " ".join(i.value for i in at.info)
    assert "No swap model" in texts and "No digit generator" in texts


def test_language_switch_keeps_the_choices(app_test, ckpts):
    at = app_test(PAGE, timeout=TIMEOUT)
    at.radio(key="df_swap_identity__en").set_value("B").run()
    at.sidebar.selectbox(key="_lang_picker").set_value("zh-TW").run()
    assert not at.exception
    assert at.radio(key="df_swap_identity__zh-TW").value == "B"  # the browser would show it selected
    assert at.radio(key="df_swap_identity__zh-TW").index == 1


def test_page_in_polish(app_test, ckpts):
    at = app_test(PAGE, lang="pl", timeout=TIMEOUT)
    for _ in range(2):
        at.button(key="df_game_real").click().run()
    assert not at.exception and "Runda 3 z 10" in _captions(at)
    assert at.button(key="df_game_fake").label == "Wygenerowana"
