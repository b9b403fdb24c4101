"""Take-home pieces of the Train page: the exported script runs, saving a live run is consistent,
presets are valid configs with translated sentences, the GIF and the figures build."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from gan_core.checkpoints import list_checkpoints, load
from gan_core.images import film_strip_gif
from gan_core.training.config import TrainConfig
from gan_core.training.export import export_script
from gan_core.training.presets import COURSE, DEFAULT_PRESET, PRESETS, get_preset
from gan_core.training.recipes import get_recipe
from gan_core.training.run import Run

ROOT = Path(__file__).resolve().parent.parent
TINY = TrainConfig(batch_size=16, steps=5, snapshot_every=2, lr_g=1e-3, beta1=0.9, seed=3)


def test_exported_script_runs_from_any_folder_and_replays_the_config(tmp_path):
    """No PYTHONPATH, another folder: the project is installed in the environment (`make app`)."""
    script = tmp_path / "replay.py"
    script.write_text(export_script(TINY, out="runs/my_run"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"GAN_CLASSROOM_THREADS": "1"}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    (info,) = list_checkpoints(tmp_path / "runs")
    assert info.step == 5 and info.name == "my_run"  # named after the run
    saved = TrainConfig.from_dict(info.train_config)
    assert saved == TINY  # every chosen setting made it into the script


def test_a_run_stopped_early_exports_the_steps_it_did():
    script = export_script(TINY.replace(steps=2000), steps=350)
    assert "steps=350" in script and "stopped at step 350 of its 2000-step budget" in script


def test_save_while_training_is_whole(tmp_path):
    """Run.save waits for the step in progress (the step lock), so a running run saves whole."""
    run = Run(config=TINY.replace(steps=400, snapshot_every=50))
    run.start()
    try:
        deadline = time.monotonic() + 60
        while run.trainer is None or run.trainer.steps_done < 3:
            assert time.monotonic() < deadline, "run did not start"
            time.sleep(0.05)
        stem = run.save(tmp_path / "live")
        ckpt = load(stem)
        assert ckpt.meta["step"] >= 3
        assert set(ckpt.modules) == {"G", "D"}
    finally:
        run.stop()
        run.join(timeout=30)
    assert run.status == "stopped"


def test_save_before_models_exist_is_a_clear_error(tmp_path):
    with pytest.raises(RuntimeError, match="not built"):
        Run(config=TINY).save(tmp_path / "nothing")


def test_presets_are_valid_and_translated():
    catalogs = {lang: json.loads((ROOT / "assets/i18n" / lang / "train.json").read_text(encoding="utf-8"))
                for lang in ("en", "zh-TW", "zh-CN", "pl")}
    assert COURSE.lr_g == COURSE.lr_d == 2e-4 and COURSE.beta1 == 0.5 and COURSE.batch_size == 64
    for key, preset in PRESETS.items():
        assert isinstance(preset.config, TrainConfig)
        changed = {f for f, v in preset.config.to_dict().items() if v != COURSE.to_dict()[f]}
        if key != "fast":  # the fast start is its own recipe; the others each turn one course knob
            assert len(changed) <= 2, (key, changed)  # (lr: two players)
        for catalog in catalogs.values():
            assert catalog[preset.name_key] and catalog[preset.watch_key]
    assert next(iter(PRESETS)) == DEFAULT_PRESET == "fast" and get_preset("fast").config == get_recipe("dcgan-fast")
    assert get_preset("beta1_high").config.beta1 == 0.9
    assert get_preset("saturating").config.loss == "minimax"
    with pytest.raises(KeyError, match="course"):
        get_preset("nope")


def test_film_strip_gif_has_every_frame():
    from PIL import Image

    frames = [(s, np.full((20, 20), s * 40, dtype=np.uint8)) for s in range(4)]
    data = film_strip_gif(frames, scale=2)
    img = Image.open(io.BytesIO(data))
    assert img.format == "GIF" and img.n_frames == 4 and img.size == (40, 40 + 16)
    with pytest.raises(ValueError):
        film_strip_gif([])


def test_figures_overlay_runs_and_thin_long_histories():
    from ui.train_figures import MAX_POINTS, Series, bucket_mean, page_figures

    labels = {k: k for k in ("loss", "d_out", "grad_norm", "step", "d_loss", "g_loss", "d_real", "d_fake",
                             "d_grad", "g_grad", "equilibrium", "fid", "coverage", "digit")}
    n = 5000
    hist = {"step": list(range(1, n + 1)), **{k: [0.5] * n for k in
            ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm")}}
    hist["g_loss"][0] = float("nan")  # a D-only single step
    quality = [{"step": 100, "fid": 30.0, "coverage": 4, "class_hist": [0.5, 0.5] + [0.0] * 8}]
    runs = [Series(label="#1", history=hist, quality=quality), Series(label="#2", history=hist)]
    figs = page_figures(runs, labels)
    assert len(figs) == 3  # curves, FID, coverage
    curves = figs[0]
    assert len(curves.data) == 13  # 6 curves per run, both runs overlaid, + the 0.5 line
    assert all(len(tr.x) <= MAX_POINTS for tr in curves.data)
    x, y = bucket_mean([1, 2, 3, 4], [1.0, float("nan"), 3.0, 5.0], max_points=2)
    assert list(x) == [2, 4] and list(y) == [1.0, 4.0]
