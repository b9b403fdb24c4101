"""The Gradio API, called the way a notebook would: gradio_client against one locally started server,
on small random-weight stand-ins (generators, pix2pix completion, a photo <-> cartoon CycleGAN) listed
through $GAN_CLASSROOM_CHECKPOINTS."""
from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

pytest.importorskip("gradio")


def stand_ins(folder: Path, *, img2img: bool = True) -> Path:
    """Tiny generators of every Explore family; with ``img2img`` also two completion models, a
    super-resolution one (not a completer) and two-way translators (one on a user's own folders)."""
    from _explore_ckpts import make_checkpoints as generators
    from _pix2pix_ckpts import make_checkpoints as pix2pix

    generators(folder)
    if img2img:
        from test_page_img2img_style import save_tiny

        pix2pix(folder, ("completion_l1cgan100", "completion_l1", "superres_l1"))
        save_tiny(folder, "cyclegan_photo_cartoon")
        save_tiny(folder, "summer_winter", domain_a=str(folder / "summer"), domain_b=str(folder / "winter"))
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import torch

    from ui.gradio_api import THEME, build

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a busy 2-core machine: two threads wait on each other at every small op
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAN_CLASSROOM_CHECKPOINTS", str(stand_ins(tmp_path_factory.mktemp("ckpts"))))
        demo = build()
        demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, theme=THEME)
        yield f"http://127.0.0.1:{port}/"
        demo.close()
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server, verbose=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("uploads")
    seven = Image.new("L", (90, 130), 255)  # a dark "7" on white paper, not 28x28
    ImageDraw.Draw(seven).line([(15, 20), (75, 20), (35, 115)], fill=0, width=12)
    x, y = np.meshgrid(np.linspace(0, 255, 700), np.linspace(0, 255, 300))
    photo = np.stack([x, y, 255 - x], axis=-1).astype(np.uint8)  # 700x300: downscaled to 512x219
    paths = {"seven": folder / "seven.png", "photo": folder / "photo.png", "blank": folder / "blank.png",
             "text": folder / "notes.png"}
    seven.save(paths["seven"])
    Image.fromarray(photo).save(paths["photo"])
    Image.new("RGB", (40, 40), "white").save(paths["blank"])
    paths["text"].write_text("these are my lecture notes, not a picture\n", encoding="utf-8")
    return paths


def test_generate_digit_and_models_through_gradio_client(client):
    listing = client.predict(api_name="/models")
    assert "mnist_dcgan" in listing["generate"] and "mnist_cgan" in listing["digit"]
    grid = Image.open(client.predict("mnist_dcgan", 7, 16, api_name="/generate"))
    assert grid.size == (3 * (4 * 30 + 2),) * 2  # 4x4 tiles of 28 px with 2-px gaps, upscaled 3x
    again = Image.open(client.predict("mnist_dcgan", 7, 16, api_name="/generate"))
    assert grid.tobytes() == again.tobytes()  # same seed, same samples
    row = Image.open(client.predict(3, 42, "mnist_cgan", api_name="/digit"))
    assert row.size[0] > 10 * row.size[1] > 0  # the digit, then 0-9: one long row


def test_models_lists_the_new_demos_by_capability(client):
    listing = client.predict(api_name="/models")
    assert listing["complete"] == ["pix2pix_completion_l1cgan100", "pix2pix_completion_l1"]  # preferred first
    assert listing["cartoon"] == ["cyclegan_photo_cartoon"]  # not the model of a user's own folders
    assert listing["demos"] == ["/generate", "/digit", "/complete", "/cartoon"] and listing["missing"] == {}


def test_complete_a_digit_picture(client, files):
    from gradio_client import handle_file

    out = Image.open(client.predict(handle_file(files["seven"]), api_name="/complete"))  # default model
    assert out.size == (224, 224) and out.mode == "L"  # 28x28 upscaled 8x
    a = np.asarray(out)
    assert (a == np.repeat(np.repeat(a[::8, ::8], 8, 0), 8, 1)).all()  # 8x8 blocks: nothing smoothed
    other = client.predict(handle_file(files["seven"]), "pix2pix_completion_l1", api_name="/complete")
    assert Image.open(other).size == (224, 224)


def test_cartoon_both_directions(client, files):
    from gradio_client import handle_file

    there, back, err = client.predict(handle_file(files["photo"]), "photo->cartoon", api_name="/cartoon")
    assert Image.open(there).size == Image.open(back).size == (512, 219)  # long side 512, like the Style page
    assert Image.open(there).mode == "RGB" and 0 <= err <= 1
    there2, _, err2 = client.predict(handle_file(files["photo"]), "cartoon->photo", "cyclegan_photo_cartoon",
                                     api_name="/cartoon")
    assert Image.open(there2).size == (512, 219) and err2 != err  # the other pair of generators


def test_bad_requests_get_messages_not_tracebacks(client, files):
    from gradio_client import handle_file

    with pytest.raises(Exception, match="not in the list of choices|choose one of"):
        client.predict("no_such_model", 1, 4, api_name="/generate")
    with pytest.raises(Exception, match="must be"):
        client.predict("mnist_dcgan", -5, 4, api_name="/generate")
    renamed = "This file is a text file renamed to .png: upload a JPEG, PNG, WebP or GIF photo."
    for args, api in (((), "/complete"), (("photo->cartoon",), "/cartoon")):
        with pytest.raises(Exception, match=renamed) as caught:
            client.predict(handle_file(files["text"]), *args, api_name=api)
        assert "Traceback" not in str(caught.value)
    with pytest.raises(Exception, match="blank"):
        client.predict(handle_file(files["blank"]), api_name="/complete")
    with pytest.raises(Exception, match="not in the list of choices|choose one of"):
        client.predict(handle_file(files["seven"]), "pix2pix_superres_l1", api_name="/complete")
    with pytest.raises(Exception, match="not in the list of choices|direction must be"):
        client.predict(handle_file(files["photo"]), "photo->zebra", api_name="/cartoon")


def test_no_image_to_image_model_no_endpoint(tmp_path, monkeypatch):
    """Without completion or photo <-> cartoon models, /complete and /cartoon are not registered and
    /models says why (built, not served: no second server)."""
    from ui.gradio_api import build

    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(stand_ins(tmp_path, img2img=False)))
    demo = build()
    fns = {f.api_name: f for f in demo.fns.values()}
    assert {"generate", "digit", "models"} <= set(fns) and not {"complete", "cartoon"} & set(fns)
    listing = fns["models"].fn()
    assert listing["demos"] == ["/generate", "/digit"] and listing["complete"] == listing["cartoon"] == []
    assert set(listing["missing"]) == {"/complete", "/cartoon"} and "restart" in listing["missing"]["/cartoon"]
