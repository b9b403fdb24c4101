"""The app shell and the home page under streamlit.testing (fixtures: tests/conftest.py)."""

from __future__ import annotations

import pytest

from ui.i18n import LANGS, catalog


def _grid(at):
    images = at.image
    assert len(images) == 1, f"expected one sample grid, found {len(images)} images"
    return images[0].proto.imgs[0]


def test_home_draws_a_live_grid_from_the_checkpoint(app_test, checkpoints_dir):
    at = app_test()
    assert [e.value for e in at.title] == [catalog("en")["home.title"]]
    grid = _grid(at)
    assert grid.url.endswith(".png")  # lossless: digits stay crisp
    assert "tiny_mlp" in grid.caption and "seed 0" in grid.caption
    assert any("tiny_mlp" in c.value and "mlp" in c.value for c in at.caption)
    assert not at.info  # the "train one first" hint is for the no-checkpoint case only


def test_new_samples_button_draws_new_digits_and_seed_replays(app_test, checkpoints_dir):
    at = app_test()
    first = _grid(at).url
    at.button(key="home_new_samples").click().run()
    assert not at.exception
    assert at.session_state["home_seed"] != 0
    assert _grid(at).url != first  # new seed -> new digits
    at.number_input(key="home_seed").set_value(0).run()
    assert _grid(at).url == first  # same seed -> the very same picture


@pytest.mark.parametrize("lang", [code for code in LANGS if code != "en"] + ["en"])
def test_language_picker_switches_everything(app_test, checkpoints_dir, lang):
    at = app_test(lang="en" if lang != "en" else "pl")
    at.sidebar.selectbox(key="_lang_picker").select(lang).run()
    assert not at.exception
    strings = catalog(lang)
    assert at.session_state["lang"] == lang
    assert [e.value for e in at.title] == [strings["home.title"]]
    assert at.sidebar.selectbox(key="_lang_picker").label.endswith(strings["common.language"])
    assert at.button(key="home_new_samples").label == strings["home.new_samples"]
    svg = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert len(svg) == 1 and strings["home.diag_verdict"] in svg[0]  # the diagram is translated too
    assert _grid(at).caption.startswith(strings["home.sample_caption"][:2])
    at.run()  # the choice persists across reruns
    assert at.session_state["lang"] == lang and at.title[0].value == strings["home.title"]


def test_without_a_checkpoint_the_home_page_explains_how_to_train(app_test, empty_checkpoints_dir):
    at = app_test(lang="zh-TW")
    assert [i.value for i in at.info] == [catalog("zh-TW")["home.no_checkpoint"]]
    assert not at.image


def test_pick_generator_prefers_the_shipped_dcgan_then_any_mnist_generator():
    from pathlib import Path

    from gan_core.checkpoints import CheckpointInfo
    from pages.home import pick_generator

    def info(name, family, dataset="mnist"):
        return CheckpointInfo(path=Path(name), family=family, step=1, train_config={"dataset": dataset})

    clf, mlp, dcgan = info("c", "classifier"), info("m", "mlp"), info("mnist_dcgan", "dcgan")
    fashion, cgan = info("f", "dcgan", "fashion-mnist"), info("g", "cgan")
    assert pick_generator([clf, mlp, fashion, dcgan]).path.name == "mnist_dcgan"
    assert pick_generator([clf, fashion, mlp]).path.name == "m"
    assert pick_generator([clf, fashion]).path.name == "f"
    assert pick_generator([clf, cgan]) is None  # chosen by capability: a CGAN needs labels, not just noise
