"""AppTest: InfoGAN codes - categorical pick, continuous sliders, sweeps next to an unconditional GAN."""
from pathlib import Path

PAGE = "pages/explore_infogan.py"


def test_codes_and_sweeps(app_test, explore_ckpts):
    at = app_test(PAGE)
    assert Path(at.selectbox(key="infogan_model").value).name == "mnist_infogan"
    at.segmented_control(key="infogan_c1").set_value(4).run()
    at.slider(key="infogan_c2").set_value(-2.0).run()
    at.slider(key="infogan_c3").set_value(2.0).run()
    assert not at.exception
    caption = " ".join(img.caption for el in at.image for img in el.proto.imgs)
    assert "c1 = 4, c2 = -2.0, c3 = +2.0" in caption
    assert Path(at.selectbox(key="infogan_dim_0_model").value).name == "mnist_dcgan"
    at.number_input(key="infogan_dim_0_dim_mnist_dcgan").set_value(15).run()
    assert not at.exception
    at.selectbox(key="infogan_dim_0_model").set_value(str(explore_ckpts / "mnist_mlp")).run()  # z_dim 8 < 15: stays valid
    assert not at.exception


def test_infogan_other_language_and_empty_c1(app_test, explore_ckpts):
    at = app_test(PAGE, lang="zh-CN")
    at.segmented_control(key="infogan_c1").set_value(None).run()
    assert not at.exception
