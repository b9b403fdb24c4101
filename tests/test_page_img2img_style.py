"""Style studio page (AppTest): examples, a bad upload then a good one, both kinds, the reveal, languages.

Runs on small random-weight CycleGAN checkpoints (main + the identity on/off and cycle-off variants,
told apart by their run configs) listed through $GAN_CLASSROOM_CHECKPOINTS.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from gan_core import checkpoints
from gan_core.models.cyclegan import ResnetGeneratorConfig
from gan_core.training.cyclegan_step import CycleGANConfig, CycleGANModelConfig, build_modules

PAGE = "pages/img2img_style.py"


@pytest.fixture(autouse=True)
def _one_thread():
    """One torch thread: on a busy 2-core machine two threads wait on each other at every small op."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


TINY = {"base": 4, "n_blocks": 1, "d_base": 4, "crop_size": 32}


def save_tiny(folder: Path, name: str, **weights: float) -> Path:
    import torch

    torch.manual_seed(len(name))
    config = CycleGANConfig(**TINY, steps=3, **weights)
    model = CycleGANModelConfig(generator=ResnetGeneratorConfig(base=4, n_blocks=1), d_base=4, crop_size=32)
    modules = build_modules(model)
    return checkpoints.save(folder / name, modules={k: modules[k] for k in ("G_AB", "G_BA")}, family="cyclegan",
                            config=model, train_config=config, step=3, recipe="python -m gan_core train (test)",
                            metrics={"cycle_err": 0.2, "cartoon_err": 0.1, "cartoon_err_unchanged": 0.08,
                                     "train_seconds": 60.0}, data_source="test: random weights")


@pytest.fixture
def style_ckpts(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "ckpts"
    save_tiny(folder, "cyclegan_photo_cartoon")
    save_tiny(folder, "style_on")
    save_tiny(folder, "style_no_identity", lambda_identity=0.0)
    save_tiny(folder, "style_no_cycle", lambda_cycle=0.0)
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(folder))
    return folder


def png_bytes(w: int = 120, h: int = 80) -> bytes:
    x, y = np.meshgrid(np.linspace(0, 255, w), np.linspace(0, 255, h))
    buf = io.BytesIO()
    Image.fromarray(np.stack([x, y, np.full_like(x, 90)], -1).astype(np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def captions(at) -> str:
    return "\n".join(img.caption for el in at.image for img in el.proto.imgs)


def test_examples_both_directions_and_sections(app_test, style_ckpts):
    at = app_test(PAGE)
    assert at.selectbox(key="style_model").value == "cyclegan_photo_cartoon"  # preferred, found by capability
    assert len(at.image) >= 8  # two round trips of three pictures + heat maps, identity, gallery
    assert "There and back in" in texts(at.caption)
    md = texts(at.markdown)
    assert "How CycleGAN learns" in texts(at.header) and "DiscoGAN" in md and "StarGAN" in md
    assert "window of" in md  # the shape card names G's measured receptive field
    assert "identity loss off: colour shift" in captions(at)
    at.selectbox(key="style_example").select_index(1).run()
    assert not at.exception


def test_bad_upload_then_good_upload(app_test, style_ckpts):
    at = app_test(PAGE)
    at.radio(key="style_source").set_value("upload").run()
    assert "Choose a file above" in texts(at.info)
    uploader = at.file_uploader(key="style_upload")
    uploader.set_value(("notes.png", b"shopping list:\n- milk\n- eggs\n" * 5, "image/png")).run()
    assert not at.exception
    assert "text file renamed to .png" in texts(at.error)
    assert "How CycleGAN learns" in texts(at.header)  # the rest of the page still works
    at.file_uploader(key="style_upload").set_value(("dot.png", b"", "image/png")).run()
    assert "empty" in texts(at.error)
    at.file_uploader(key="style_upload").set_value(("photo.png", png_bytes(900, 600), "image/png")).run()
    assert not at.exception and not at.error
    assert "Shrunk from 900×600 to 512×341 pixels" in texts(at.info)
    assert "Photo → cartoon → photo" in texts(at.header)
    frames = [Image.new("RGB", (60, 40), c) for c in ("red", "blue")]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    at.file_uploader(key="style_upload").set_value(("anim.gif", gif.getvalue(), "image/gif")).run()
    assert "only its first frame is used" in texts(at.info) and not at.error
    at.radio(key="style_kind").set_value("cartoon").run()  # an uploaded cartoon goes B -> A -> B only
    assert not at.exception
    headers = texts(at.header)
    assert "Cartoon → photo → cartoon" in headers and "Photo → cartoon → photo" not in headers


def test_upload_cap_follows_the_classroom_file(app_test, style_ckpts, classroom_limits):
    """[limits] upload_mb = 1: a 1.5 MB photo gets the translated "too large" message, a small one passes."""
    from gan_core.classroom import MB
    from ui.i18n import catalog

    classroom_limits(upload_mb=1)
    at = app_test(PAGE)
    at.radio(key="style_source").set_value("upload").run()
    assert "at most 1 MB" in at.file_uploader(key="style_upload").help
    noise = np.random.default_rng(0).integers(0, 256, (700, 715, 3), dtype=np.uint8)  # PNG cannot shrink noise
    buf = io.BytesIO()
    Image.fromarray(noise).save(buf, "PNG")
    big = buf.getvalue()
    assert 1.4 * MB < len(big) < 1.6 * MB
    at.file_uploader(key="style_upload").set_value(("big.png", big, "image/png")).run()
    assert not at.exception
    want = catalog("en")["img2img_style.err_too_large"].format(mb=len(big) / 1e6, limit_mb=MB / 1e6)
    assert want in texts(at.error) and "more than the 1 MB limit" in want
    at.file_uploader(key="style_upload").set_value(("small.png", png_bytes(), "image/png")).run()
    assert not at.exception and not at.error
    assert "Photo → cartoon → photo" in texts(at.header)


def test_predict_then_reveal(app_test, style_ckpts):
    at = app_test(PAGE)
    assert at.button(key="style_reveal").disabled  # answer first
    assert "without the cycle loss" not in captions(at)
    at.radio(key="style_quiz").set_value(1).run()
    at.button(key="style_reveal").click().run()
    assert not at.exception
    assert "Yes" in texts(at.success)
    assert "Without the cycle loss the round trip misses by" in texts(at.markdown)
    at.radio(key="style_quiz").set_value(0).run()  # a new answer hides the evidence again
    assert "Without the cycle loss the round trip misses by" not in texts(at.markdown)


def test_polish_page_and_no_model(app_test, style_ckpts, tmp_path, monkeypatch):
    at = app_test(PAGE, lang="pl")  # (AppTest formats radio labels in English, so no clicks here)
    assert "Studio stylu" in texts(at.title) and "Zdjęcie → kreskówka → zdjęcie" in texts(at.header)
    empty = tmp_path / "none"
    empty.mkdir()
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(empty))
    at = app_test(PAGE)
    assert "No two-way translator" in texts(at.info)
    assert "Train on your own two folders" in texts(at.header)


@pytest.mark.parametrize("lang", ["en", "zh-TW", "zh-CN", "pl"])
def test_every_rejection_and_note_has_a_message_in_every_language(lang):
    """Each validator code formats in each catalog with the params the validator really sends."""
    from test_image_io import png_claiming

    from gan_core.data.image_io import MESSAGES, NOTES, ImageRejected, load_image
    from ui.i18n import catalog

    cat = catalog(lang)
    assert {f"img2img_style.err_{c}" for c in MESSAGES} <= set(cat)
    assert {f"img2img_style.note_{c}" for c in NOTES} <= set(cat)
    for data in (b"", b"hello world\n" * 9, png_claiming(30000, 30000), b"\xff\xd8\xff" + bytes(40)):
        with pytest.raises(ImageRejected) as info:
            load_image(data)
        params = {**info.value.params, "allowed": "JPG, PNG, WEBP, GIF"}
        text = cat[f"img2img_style.err_{info.value.code}"].format(**params)
        assert "{" not in text and len(text) > 10
