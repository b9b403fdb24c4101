"""AppTest: conditional digit picker - digit buttons, style seed, ten-digit row, diagram."""

PAGE = "pages/explore_cgan.py"


def test_digit_buttons_and_style(app_test, explore_ckpts):
    at = app_test(PAGE)
    assert [o.rsplit(" · ", 1)[0] for o in at.selectbox(key="cgan_model").options] == ["mnist_cgan · cgan"]
    assert at.metric[0].value == "50.0%"
    n_images = len(at.image)
    assert n_images >= 12  # big digit + ten-digit row + style grid
    at.button(key="cgan_btn_3").click().run()
    assert not at.exception and at.session_state["cgan_digit"] == 3
    assert "Digit 3" in at.image[0].proto.imgs[0].caption or any(
        "Digit 3" in img.caption for el in at.image for img in el.proto.imgs)
    at.button(key="cgan_new_style").click().run()
    assert not at.exception and at.number_input(key="cgan_seed").value == 1
    assert len(at.get("graphviz_chart")) == 1


def test_cgan_languages_and_seed_bounds(app_test, explore_ckpts):
    for lang in ("zh-TW", "pl"):
        at = app_test(PAGE, lang=lang)
        at.number_input(key="cgan_seed").set_value(99_999).run()
        at.button(key="cgan_new_style").click().run()
        assert not at.exception and at.number_input(key="cgan_seed").value == 0


def test_cgan_page_without_conditional_model(app_test, tmp_path, monkeypatch):
    (tmp_path / "none").mkdir()
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(tmp_path / "none"))
    at = app_test(PAGE)
    assert at.info
