"""AppTest: latent explorer - walks, squares, arithmetic (picked and measured), bad selections."""
import json
from pathlib import Path

import pytest

PAGE = "pages/explore_latent.py"
EN_EXPLORE = json.loads((Path(__file__).resolve().parent.parent / "assets/i18n/en/explore.json").read_text())


def test_walk_square_and_wrong_counts(app_test, explore_ckpts):
    at = app_test(PAGE)
    origin = EN_EXPLORE["explore.origin_shipped"]  # $GAN_CLASSROOM_CHECKPOINTS stands in for checkpoints/
    assert at.selectbox(key="latent_model").options == [
        f"mnist_mlp · mlp · {origin}", f"mnist_dcgan · dcgan · {origin}", f"faces_dcgan · dcgan · {origin}"]
    assert at.pills(key="latent_pick").value == [0, 5]
    assert any(b.proto.label.startswith("Download the walk") for b in at.get("download_button"))
    n_images = len(at.image)
    at.pills(key="latent_pick").set_value([1, 2, 3, 4]).run()  # a square
    assert not at.exception and len(at.image) == n_images  # two squares replace the two rows
    at.slider(key="latent_steps").set_value(5).run()
    assert not at.exception
    at.pills(key="latent_pick").set_value([3]).run()
    assert not at.exception and any("You picked 1" in i.value for i in at.info)
    at.pills(key="latent_pick").set_value([]).run()
    assert not at.exception


def test_arithmetic_needs_three_each(app_test, explore_ckpts):
    at = app_test(PAGE, lang="pl")
    at.pills(key="latent_group_a").set_value([0, 1]).run()
    assert not at.exception and at.warning
    at.pills(key="latent_group_a").set_value([0, 1, 9, 10]).run()
    assert not at.exception and not at.warning
    at.slider(key="latent_sigma").set_value(0.0).run()
    assert not at.exception


def test_measured_concepts(app_test, explore_ckpts):
    from gan_core.metrics import CLASSIFIER_STEM

    at = app_test(PAGE)
    if not CLASSIFIER_STEM.with_suffix(".json").is_file():
        assert any("Measured concepts need" in i.value for i in at.info)
        pytest.skip("shipped classifier missing")
    assert at.segmented_control(key="latent_concept").value == "thickness"
    for concept in ("slant", "class", "thickness"):
        at.segmented_control(key="latent_concept").set_value(concept).run()
        assert not at.exception, concept
    at.pills(key="latent_base").set_value(7).run()
    at.slider(key="latent_k").set_value(3).run()
    assert not at.exception


def test_model_switch_and_seed(app_test, explore_ckpts):
    at = app_test(PAGE, lang="zh-CN")
    at.selectbox(key="latent_model").set_value(str(explore_ckpts / "faces_dcgan")).run()  # colour: no measured concepts
    assert not at.exception
    at.selectbox(key="latent_model").set_value(str(explore_ckpts / "mnist_mlp")).run()
    at.number_input(key="latent_seed").set_value(123).run()
    assert not at.exception


def test_walk_gif_loops_through_the_points(explore_ckpts):
    import io

    import torch
    from PIL import Image

    from gan_core import explore as core

    model = core.load_model(explore_ckpts / "mnist_dcgan")
    pts = core.pool(model, 4, seed=0)
    two = Image.open(io.BytesIO(core.walk_gif(model, pts[:2], 5)))
    assert two.format == "GIF" and two.n_frames == 5 + 3  # there (5 frames) and back (3 between)
    square = Image.open(io.BytesIO(core.walk_gif(model, pts, 4)))
    assert square.n_frames == 4 * 3 + 1  # four legs of 3 new frames each, closed loop
    assert core.render(model, pts).shape == (4, 28, 28)
    assert core.render(model, pts) is core.render(model, pts.clone())  # cached by content
    assert torch.equal(core.pool(model, 4, seed=0), pts)
