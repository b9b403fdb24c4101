"""A small Gradio app over the same gan_core models: embed it in a course page, or call it from a
notebook with gradio_client. Started by `make gradio` (http://localhost:7860); offline, no analytics.

    from gradio_client import Client
    client = Client("http://localhost:7860/")
    path = client.predict("mnist_dcgan", 7, 16, api_name="/generate")   # a PNG of 16 samples, seed 7
    path = client.predict(3, 42, api_name="/digit")                     # a conditional GAN's "3"

Endpoints: /generate (any shipped model that samples from noise), /digit (a model that draws the
requested class), /models (what is shipped). Models are chosen by capability, loaded once, eval mode.
"""
from __future__ import annotations

import argparse
import functools
import os
import tempfile

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing leaves the machine

import gradio as gr
import torch
from PIL import Image

from gan_core import checkpoints, explore
from gan_core.images import make_grid, upscale
from gan_core.training.family import SAMPLES_CLASS, SAMPLES_Z

MAX_N = 64
MAX_SEED = 2**31 - 1
THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])  # system fonts: no web fonts


def shipped(capability: str) -> dict[str, checkpoints.CheckpointInfo]:
    """Shipped checkpoints that can do ``capability``, by name (the names users type)."""
    return {i.name: i for i in explore.gan_infos(checkpoints.SHIPPED_DIR) if capability in i.capabilities}


@functools.lru_cache(maxsize=8)
def _model(name: str) -> explore.Model:
    infos = {**shipped(SAMPLES_Z), **shipped(SAMPLES_CLASS)}
    if name not in infos:
        raise gr.Error(f"unknown model {name!r}; choose one of: {', '.join(sorted(infos))}")
    return explore.load_model(infos[name].path)


def _png(picture, scale: int = 3) -> str:
    """Write a picture to a temporary PNG and return its path (how Gradio hands images out)."""
    path = tempfile.NamedTemporaryFile(suffix=".png", delete=False).name  # noqa: SIM115 - Gradio serves it
    Image.fromarray(upscale(picture, scale)).save(path)
    return path


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


def models() -> dict[str, list[str]]:
    """The shipped models each endpoint accepts."""
    return {"generate": sorted(shipped(SAMPLES_Z)), "digit": sorted(shipped(SAMPLES_CLASS))}


def build() -> gr.Blocks:
    noise_models = sorted(shipped(SAMPLES_Z)) or ["mnist_dcgan"]
    class_models = sorted(shipped(SAMPLES_CLASS)) or ["mnist_cgan"]
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
            style = gr.Number(0, precision=0, label="style seed")
            cm = gr.Dropdown(class_models, value=class_models[0], label="model")
            out2 = gr.Image(type="filepath", label="the digit, then 0-9 in the same style")
            gr.Button("Draw").click(digit, [label, style, cm], out2, api_name="digit")
        with gr.Tab("Models"):
            listing = gr.JSON(label="shipped models per endpoint")
            gr.Button("List").click(models, None, listing, api_name="models")
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the GAN Classroom Gradio API.")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve a classroom network")
    args = parser.parse_args(argv)
    build().launch(server_name=args.host, server_port=args.port, share=False, show_error=True, theme=THEME)


if __name__ == "__main__":
    main()
