"""A small Gradio app over the same gan_core models: embed it in a course page, or call it from a
notebook with gradio_client. Started by `make gradio` (http://localhost:7860); offline, no analytics.

    from gradio_client import Client, handle_file
    client = Client("http://localhost:7860/")
    path = client.predict("mnist_dcgan", 7, 16, api_name="/generate")   # a PNG of 16 samples, seed 7
    path = client.predict(3, 42, api_name="/digit")                     # a conditional GAN's "3"
    path = client.predict(handle_file("seven.png"), api_name="/complete")  # the lower half invented
    cartoon, back, err = client.predict(handle_file("me.jpg"), "photo->cartoon", api_name="/cartoon")

Endpoints: /generate (any shipped model that samples from noise), /digit (a model that draws the
requested class), /complete (a pix2pix model that completes a digit's hidden lower half), /cartoon
(a two-way photo <-> cartoon translator), /models (what is shipped, which demos this server serves).
/complete and /cartoon are served only when such a model is shipped when the server starts. Models
are chosen by capability and run config, never by family; loaded once per file version, eval mode.
Checkpoints come from ``checkpoints/``, or only from ``$GAN_CLASSROOM_CHECKPOINTS`` when it is set.
Uploads pass ``gan_core.data.image_io.load_image`` (the Style studio's gate) before a model sees them.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import tempfile
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing leaves the machine

import gradio as gr
import numpy as np
import torch
from PIL import Image
from torch import nn

from gan_core import checkpoints, explore, img2img, style
from gan_core.classroom import limits
from gan_core.data.image_io import UPLOAD_LIMITS, ImageLimits, ImageRejected, load_image
from gan_core.data.paired import canvas_to_ink, drawing_to_input
from gan_core.images import make_grid, upscale
from gan_core.training.family import IMAGE_TO_IMAGE, SAMPLES_CLASS, SAMPLES_Z, TRANSLATES_BOTH_WAYS

MAX_N = 64
MAX_SEED = 2**31 - 1
MAX_SIDE = 512  # uploads are worked on at this long side at most, like the Style studio
DIGIT_SCALE = 8  # a completed 28x28 digit is shown at 224x224
DIRECTIONS = ("photo->cartoon", "cartoon->photo")
PREFER = ("pix2pix_completion_l1cgan100", "cyclegan_photo_cartoon")  # defaults when shipped
CHECKPOINTS_ENV = "GAN_CLASSROOM_CHECKPOINTS"  # as ui.explore_widgets (not imported: no Streamlit here)
THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])  # system fonts: no web fonts


def folders() -> tuple[Path, ...]:
    env = os.environ.get(CHECKPOINTS_ENV)
    return (Path(env),) if env else (checkpoints.SHIPPED_DIR,)


def _ranked(infos) -> dict[str, checkpoints.CheckpointInfo]:
    """By name, the preferred shipped models first, then alphabetically."""
    return {i.name: i for i in sorted(infos, key=lambda i: (i.name not in PREFER, i.name))}


def shipped(capability: str) -> dict[str, checkpoints.CheckpointInfo]:
    """Shipped checkpoints that can do ``capability``, by name (the names users type)."""
    return _ranked(i for i in checkpoints.list_checkpoints(*folders()) if capability in i.capabilities)


def completers() -> dict[str, checkpoints.CheckpointInfo]:
    """Image-to-image models whose run config trained them to complete a digit's hidden lower half."""
    return _ranked(img2img.find_variants(shipped(IMAGE_TO_IMAGE).values(), "completion").values())


def translators() -> dict[str, checkpoints.CheckpointInfo]:
    """Two-way translators trained on the built-in photos and their cartoons (no folders of their own)."""
    return {name: i for name, i in shipped(TRANSLATES_BOTH_WAYS).items()
            if not i.train_config.get("domain_a") and not i.train_config.get("domain_b")}


def _pick(found: dict[str, checkpoints.CheckpointInfo], name: str, what: str) -> checkpoints.CheckpointInfo:
    if name not in found:
        raise gr.Error(f"{name!r} is not {what}; choose one of: {', '.join(found) or '(none shipped)'}")
    return found[name]


def _version(info: checkpoints.CheckpointInfo) -> tuple[str, float]:
    """(stem, newest file time): a retrained or replaced checkpoint is loaded again."""
    return str(info.path), max(f.stat().st_mtime for f in checkpoints.files_of(info.path))


@functools.lru_cache(maxsize=8)
def _sampler(stem: str, stamp: float) -> explore.Model:
    return explore.load_model(stem)


@functools.lru_cache(maxsize=8)
def _modules(stem: str, stamp: float) -> dict[str, nn.Module]:
    ckpt = checkpoints.load(stem)  # shared by every request: eval mode, never trained
    return {k: m.eval().requires_grad_(False) for k, m in ckpt.modules.items()}


def _load(loader, info: checkpoints.CheckpointInfo):
    try:
        return loader(*_version(info))
    except (checkpoints.CheckpointError, OSError, KeyError) as exc:
        raise gr.Error(f"could not load {info.name}: {exc}") from None


def _model(name: str) -> explore.Model:
    return _load(_sampler, _pick({**shipped(SAMPLES_Z), **shipped(SAMPLES_CLASS)}, name, "a shipped model"))


def _png(picture, scale: int = 3) -> str:
    """Write a picture to a temporary PNG and return its path (how Gradio hands images out)."""
    path = tempfile.NamedTemporaryFile(suffix=".png", delete=False).name  # noqa: SIM115 - Gradio serves it
    Image.fromarray(upscale(picture, scale)).save(path)
    return path


def upload_limits() -> ImageLimits:
    """UPLOAD_LIMITS with the classroom's byte cap ([limits] upload_mb), as the Style studio."""
    return dataclasses.replace(UPLOAD_LIMITS, max_bytes=limits().upload_bytes)


def _picture(path: str | None, mode: str) -> np.ndarray:
    """An uploaded file through the one image gate: uint8 pixels, long side <= MAX_SIDE, or a gr.Error
    with the gate's English message (a text file renamed .png, a PDF, a 900-megapixel bomb, ...)."""
    gate = upload_limits()
    if not path:
        raise gr.Error(f"no picture: upload a {gate.allowed} file")
    try:
        loaded = load_image(path, max_side=MAX_SIDE, mode=mode, limits=gate)
    except ImageRejected as exc:
        raise gr.Error(str(exc)) from None
    for note in loaded.messages:
        gr.Info(note)  # e.g. "downscaled from 4000x3000 to 512x384"
    return loaded.pixels


def generate(model: str, seed: int, n: int) -> str:
    """n samples of a shipped generator from seeded noise, tiled into one PNG."""
    n, seed = int(n), int(seed)
    if not 1 <= n <= MAX_N or not 0 <= seed <= MAX_SEED:
        raise gr.Error(f"n must be 1..{MAX_N} and seed 0..{MAX_SEED}")
    m = _model(model)
    return _png(make_grid(explore.render(m, explore.pool(m, n, seed=seed))))


def digit(label: int, seed: int, model: str = "mnist_cgan") -> str:
    """One digit of the requested class from a conditional generator, and the same style for 0-9."""
    label, seed = int(label), int(seed)
    if not 0 <= label <= 9 or not 0 <= seed <= MAX_SEED:
        raise gr.Error("label must be 0..9 and seed 0..2**31 - 1")
    if model not in shipped(SAMPLES_CLASS):
        raise gr.Error(f"{model!r} does not draw a requested class; choose one of: {', '.join(shipped(SAMPLES_CLASS))}")
    m = _model(model)
    z = explore.pool(m, 1, seed=seed).expand(11, -1)  # (11, z_dim): one style, eleven pictures
    y = torch.tensor([label, *range(10)])
    images = explore.render(m, z, y)
    return _png(make_grid(images, nrow=11))


def complete(picture: str, model: str = PREFER[0]) -> str:
    """The digit in ``picture`` with its lower half hidden and invented again by a pix2pix model.
    The picture is greyscaled and fitted to 28x28 exactly as the lesson's drawings are
    (``drawing_to_input``); dark ink on light paper is inverted to MNIST's light on dark."""
    info = _pick(completers(), model, "a digit-completion model")
    pixels = _picture(picture, "L")  # (H, W) uint8
    if canvas_to_ink(pixels).max() < 0.05:
        raise gr.Error("the picture is blank: upload a digit (dark on light or light on dark)")
    x = drawing_to_input(pixels, "completion")[None]  # (1, 2, 28, 28): top half + visibility mask
    G = _load(_modules, info)["G"]
    return _png(img2img.predict(G, x)[0], DIGIT_SCALE)  # (28, 28) -> (224, 224)


def cartoon(photo: str, direction: str = DIRECTIONS[0], model: str = PREFER[1]) -> tuple[str, str, float]:
    """A photo as a cartoon (or a cartoon as a photo), the round trip back, and the cycle error:
    mean |F(G(x)) - x| in [0, 1] units (0: the round trip lands exactly where it started)."""
    if direction not in DIRECTIONS:
        raise gr.Error(f"direction must be one of: {', '.join(DIRECTIONS)}")
    info = _pick(translators(), model, "a photo <-> cartoon translator")
    pixels = _picture(photo, "RGB")  # (H, W, 3) uint8
    modules = _load(_modules, info)
    if not {"G_AB", "G_BA"} <= set(modules):
        raise gr.Error(f"could not load {info.name}: no G_AB and G_BA in this checkpoint")
    g, f = (modules["G_AB"], modules["G_BA"]) if direction == DIRECTIONS[0] else (modules["G_BA"], modules["G_AB"])
    trip = style.round_trip(g, f, pixels)
    return _png(trip.translated, 1), _png(trip.back, 1), round(trip.error, 4)


def models(served: tuple[str, ...] = ()) -> dict:
    """The shipped models each endpoint accepts, the demos this server serves (``served``, fixed when
    it started), and why any other demo is missing."""
    found = {"generate": sorted(shipped(SAMPLES_Z)), "digit": sorted(shipped(SAMPLES_CLASS)),
             "complete": list(completers()), "cartoon": list(translators())}
    why = {"complete": "no digit-completion model (image to image, task completion)",
           "cartoon": "no photo <-> cartoon translator (translates both ways)"}
    missing = {f"/{k}": f"{why[k]} was shipped when this server started; add one and restart it"
               for k in why if k not in served}
    return {**found, "demos": [f"/{k}" for k in served], "missing": missing}


def _first(names: list[str], fallback: str) -> list[str]:
    return names or [fallback]


def build() -> gr.Blocks:
    noise_models = _first(sorted(shipped(SAMPLES_Z)), "mnist_dcgan")
    class_models = _first(sorted(shipped(SAMPLES_CLASS)), "mnist_cgan")
    completion_models, cartoon_models = list(completers()), list(translators())
    served = ("generate", "digit", *(["complete"] if completion_models else []),
              *(["cartoon"] if cartoon_models else []))
    with gr.Blocks(title="GAN Classroom API", analytics_enabled=False) as demo:
        gr.Markdown("## GAN Classroom\nSamples from the models shipped with the classroom app.")
        with gr.Tab("Generate"):
            m = gr.Dropdown(noise_models, value="mnist_dcgan" if "mnist_dcgan" in noise_models else noise_models[0],
                            label="model")
            seed = gr.Number(0, precision=0, label="seed")
            n = gr.Slider(1, MAX_N, value=16, step=1, label="samples")
            out = gr.Image(type="filepath", label="samples")
            gr.Button("Generate").click(generate, [m, seed, n], out, api_name="generate")
        with gr.Tab("Pick a digit"):
            label = gr.Slider(0, 9, value=3, step=1, label="digit")
            style_seed = gr.Number(0, precision=0, label="style seed")
            cm = gr.Dropdown(class_models, value=class_models[0], label="model")
            out2 = gr.Image(type="filepath", label="the digit, then 0-9 in the same style")
            gr.Button("Draw").click(digit, [label, style_seed, cm], out2, api_name="digit")
        if completion_models:
            with gr.Tab("Complete a digit"):
                # gr.File, not gr.Image: the image gate must see the bytes before anything decodes them
                drawing = gr.File(file_types=["image"], type="filepath", label="a digit (any size; its lower half is hidden)")
                pm = gr.Dropdown(completion_models, value=completion_models[0], label="model")
                out3 = gr.Image(type="filepath", label="the digit completed by the model (28x28, shown 8x)")
                gr.Button("Complete").click(complete, [drawing, pm], out3, api_name="complete")
        if cartoon_models:
            with gr.Tab("Photo <-> cartoon"):
                photo = gr.File(file_types=["image"], type="filepath", label=f"a picture (at most {MAX_SIDE} px used)")
                direction = gr.Radio(list(DIRECTIONS), value=DIRECTIONS[0], label="direction")
                tm = gr.Dropdown(cartoon_models, value=cartoon_models[0], label="model")
                with gr.Row():
                    there = gr.Image(type="filepath", label="translated")
                    back = gr.Image(type="filepath", label="translated back")
                err = gr.Number(label="cycle error: mean |back - input|, 0..1")
                gr.Button("Translate").click(cartoon, [photo, direction, tm], [there, back, err], api_name="cartoon")
        with gr.Tab("Models"):
            listing = gr.JSON(label="shipped models per endpoint, and the demos served")
            gr.Button("List").click(functools.partial(models, served), None, listing, api_name="models")
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the GAN Classroom Gradio API.")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve a classroom network")
    args = parser.parse_args(argv)
    # Gradio's own cap only stops absurd uploads; a photo a little over the limit gets the gate's message
    build().launch(server_name=args.host, server_port=args.port, share=False, show_error=True, theme=THEME,
                   max_file_size=4 * upload_limits().max_bytes)


if __name__ == "__main__":
    main()
