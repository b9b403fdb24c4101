"""The shipped pix2pix checkpoints re-checked on FRESH held-out samples (seed 1, not the seed-0 sample
their sidecars were scored on): they load from float16 files, carry their recipe, reproduce their
stored metric table within noise, and show the orderings the GAN vs MAE page teaches.
A checkpoint not trained yet (its queue job still pending) skips its tests, saying which."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from gan_core import checkpoints
from gan_core import image_metrics as im
from gan_core import img2img as core

N, SEED = 250, 1
NAMES = {("completion", k): f"pix2pix_completion_{k}" for k in ("l1", "cgan", "l1cgan100")}
NAMES.update({("superres", k): f"pix2pix_superres_{k}" for k in ("l1", "l1cgan100")})


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def _stem(task: str, key: str):
    stem = checkpoints.SHIPPED_DIR / NAMES[(task, key)]
    if not checkpoints.files_of(stem)[1].is_file():
        pytest.skip(f"{stem.name} is not trained yet (queue job *_pix2pix_{task}_{key}.sh)")
    return stem


@pytest.fixture(scope="module")
def fresh() -> dict:
    """{(task, key): metric row on N fresh held-out pairs} for every shipped checkpoint present."""
    rows = {}
    for task in ("completion", "superres"):
        inputs, targets, labels = core.held_out(task, N, SEED)
        if task == "superres":
            rows[(task, "bicubic")] = core.metric_table(core.bicubic_baseline(inputs)[:, 0], targets, labels, task)
        for (t, key), name in NAMES.items():
            stem = checkpoints.SHIPPED_DIR / name
            if t == task and checkpoints.files_of(stem)[1].is_file():
                out = core.predict(checkpoints.load(stem).modules["G"], inputs)
                rows[(task, key)] = core.metric_table(out, targets, labels, task)
    return rows


@pytest.mark.parametrize("task, key", list(NAMES))
def test_shipped_checkpoint_is_small_half_precision_and_describes_itself(task, key):
    stem = _stem(task, key)
    weights, sidecar = checkpoints.files_of(stem)
    assert weights.stat().st_size < 1_000_000  # float16, a few hundred kB
    meta = json.loads(sidecar.read_text())
    assert meta["metrics"]["stored_dtype"] == "float16" and meta["metrics"]["threads"] == 1
    assert meta["recipe"].startswith("python -m gan_core train --family pix2pix") and f"--out checkpoints/{stem.name}" in meta["recipe"]
    assert core.variant_of(meta["train_config"]).key == key and meta["train_config"]["task"] == task


@pytest.mark.parametrize("task, key", list(NAMES))
def test_fresh_sample_reproduces_the_stored_table(task, key, fresh):
    stored = json.loads(checkpoints.files_of(_stem(task, key))[1].read_text())["metrics"]
    row = fresh[(task, key)]
    assert row["l1_err"] == pytest.approx(stored["l1_err"], abs=0.02)
    assert row["psnr"] == pytest.approx(stored["psnr"], abs=1.0)
    assert row["ssim"] == pytest.approx(stored["ssim"], abs=0.05)
    assert row["digit_acc"] == pytest.approx(stored["digit_acc"], abs=0.08)
    assert row["sharpness"] == pytest.approx(stored["sharpness"], rel=0.15)


def test_completion_orderings(fresh):
    for key in ("l1", "cgan", "l1cgan100"):
        _stem("completion", key)
    l1, cgan, both = (fresh[("completion", k)] for k in ("l1", "cgan", "l1cgan100"))
    assert both["sharpness"] > l1["sharpness"]  # the discriminator adds detail L1 alone averages away
    assert both["l1_err"] < cgan["l1_err"]  # L1 keeps the adversarial answer close to the truth
    assert both["fid"] < l1["fid"]  # and the completed digits look more like real ones


def test_superres_orderings(fresh):
    for key in ("l1", "l1cgan100"):
        _stem("superres", key)
    bic, l1, both = (fresh[("superres", k)] for k in ("bicubic", "l1", "l1cgan100"))
    assert l1["psnr"] > max(bic["psnr"], both["psnr"])  # PSNR rewards the average answer
    assert both["fid"] < min(bic["fid"], l1["fid"])  # the adversarial one looks most like real digits
    assert both["sharpness"] > l1["sharpness"]


def test_bicubic_is_the_blurriest_super_resolution(fresh):
    bic = fresh[("superres", "bicubic")]
    _, targets, _ = core.held_out("superres", N, SEED)
    assert bic["sharpness"] < 0.5 * im.sharpness(targets)  # 7x7 -> 28x28 by formula: smooth, no strokes
    assert np.isfinite(bic["fid"]) and 0 < bic["digit_acc"] <= 1
