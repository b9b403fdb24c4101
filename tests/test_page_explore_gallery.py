"""AppTest: the gallery page draws samples, reacts to its buttons and survives bad input."""
from pathlib import Path

PAGE = "pages/explore_gallery.py"


def test_gallery_samples_timeline_table(app_test, explore_ckpts):
    at = app_test(PAGE)
    assert Path(at.selectbox(key="gallery_model").value).name == "mnist_dcgan"
    assert len(at.image) >= 3
    assert at.number_input(key="gallery_seed").value == 0
    at.button(key="gallery_new").click().run()
    assert not at.exception and at.number_input(key="gallery_seed").value == 1
    slider = at.select_slider(key="gallery_timeline_mnist_dcgan")
    assert slider.options == ["1", "10", "30"]
    slider.set_value(1).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["mnist_mlp", "mnist_dcgan", "mnist_cgan", "mnist_infogan", "faces_dcgan"]


def test_gallery_every_model_and_language(app_test, explore_ckpts):
    at = app_test(PAGE, lang="zh-TW")
    for name in ("mnist_mlp", "mnist_cgan", "mnist_infogan", "faces_dcgan"):
        at.selectbox(key="gallery_model").set_value(str(explore_ckpts / name)).run()
        assert not at.exception, name
    at.number_input(key="gallery_seed").set_value(99_999).run()
    at.button(key="gallery_new").click().run()
    assert not at.exception and at.number_input(key="gallery_seed").value == 0  # wraps around


def test_gallery_without_models(app_test, tmp_path, monkeypatch):
    (tmp_path / "none").mkdir()
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(tmp_path / "none"))
    at = app_test(PAGE)
    assert at.info and "No trained generator" in at.info[0].value


def test_gallery_says_when_samples_are_the_weight_average(app_test, explore_ckpts):
    """An EMA model's samples come from the averaged G while its timeline shows the trained G: the page says so,
    with the decay and its window (1 / (1 - 0.999) = 1,000 steps), and stays quiet for a model without one."""
    at = app_test(PAGE)
    notes = [c.value for c in at.caption if "moving average" in c.value]
    assert len(notes) == 1 and "0.999" in notes[0] and "1,000 steps" in notes[0]
    assert [c for c in at.caption if "then digits" in c.value]
    at.selectbox(key="gallery_model").set_value(str(explore_ckpts / "mnist_mlp")).run()
    assert not at.exception and not [c for c in at.caption if "moving average" in c.value]
    at.selectbox(key="gallery_model").set_value(str(explore_ckpts / "faces_dcgan")).run()  # not digits: no "digits"
    assert not [c for c in at.caption if "then digits" in c.value]
    assert [c for c in at.caption if "like the training images" in c.value]
    at = app_test(PAGE, lang="pl")
    assert [c.value for c in at.caption if "0,999" in c.value and "1000 kroków" in c.value.replace("\u00a0", "")]
