"""`python -m gan_core`: help, then train -> eval -> sample -> list on a tiny budget."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from gan_core import cli
from gan_core.checkpoints import load

ROOT = Path(__file__).resolve().parents[1]


def test_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "gan_core", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=False)
    assert out.returncode == 0
    for command in ("train", "sample", "eval", "list", "data"):
        assert command in out.stdout


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "demo"
    code = cli.main(["train", "--model", "mlp", "--loss", "nonsaturating", "--steps", "30",
                     "--batch-size", "16", "--eval-n", "200", "--out", str(out)])
    assert code == 0
    return out


def test_train_writes_a_self_describing_checkpoint(trained):
    ckpt = load(trained)
    assert ckpt.family == "mlp" and ckpt.meta["step"] == 30
    assert ckpt.meta["recipe"].startswith("python -m gan_core train --family mlp")
    assert "--steps 30" in ckpt.meta["recipe"]
    assert ckpt.train_config["batch_size"] == 16
    assert {"fid", "coverage", "confidence"} <= set(ckpt.meta["metrics"])
    assert Path(f"{trained}.timeline.npz").is_file()


def test_eval_prints_quality_figures(trained, capsys):
    assert cli.main(["eval", str(trained), "--n", "200", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["fid"] > 0 and 0 <= result["confidence"] <= 1 and 0 <= result["coverage"] <= 10


def test_sample_writes_a_png_grid(trained, tmp_path):
    png = tmp_path / "out.png"
    assert cli.main(["sample", str(trained), "--n", "16", "--png", str(png)]) == 0
    image = Image.open(png)
    assert image.size == (4 * 30 + 2, 4 * 30 + 2)  # 4x4 tiles of 28 px with 2 px gaps


def test_list_shows_shipped_checkpoints(capsys):
    assert cli.main(["list"]) == 0
    assert "mnist_classifier" in capsys.readouterr().out


def test_unknown_model_is_a_clear_error(tmp_path, capsys):
    code = cli.main(["train", "--model", "resnet", "--steps", "1", "--out", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err
    assert "resnet" in err and "mlp" in err  # names the bad key and lists the valid ones


def test_data_info_reports_source(capsys):
    assert cli.main(["data"]) == 0
    assert "MNIST:" in capsys.readouterr().out


def test_a_shipped_model_is_never_replaced_by_accident(capsys):
    from gan_core.checkpoints import SHIPPED_DIR, sha256_file

    before = sha256_file(SHIPPED_DIR / "mnist_dcgan.safetensors")
    code = cli.main(["train", "--family", "dcgan", "--steps", "0", "--out", str(SHIPPED_DIR / "mnist_dcgan")])
    assert code == 2 and "shipped" in capsys.readouterr().err
    assert sha256_file(SHIPPED_DIR / "mnist_dcgan.safetensors") == before


@pytest.mark.parametrize("flag", ["--gp-weight", "--leaky-slope", "--lr-g"])
def test_non_finite_settings_are_refused_before_training(flag, tmp_path, capsys):
    for value in ("nan", "inf"):
        assert cli.main(["train", "--family", "mlp", flag, value, "--steps", "1", "--out", str(tmp_path / "x")]) == 2
        assert "finite" in capsys.readouterr().err
    assert not (tmp_path / "x.safetensors").exists()


def test_clear_messages_for_impossible_requests(trained, capsys):
    assert cli.main(["eval", str(trained), "--n", "0"]) == 2
    assert "between 2" in capsys.readouterr().err
    assert cli.main(["sample", "checkpoints/mnist_classifier", "--png", "/tmp/never.png"]) == 2
    assert "does not sample images" in capsys.readouterr().err


def test_ctrl_c_saves_what_was_trained_and_resume_finishes_it(tmp_path, monkeypatch, capsys):
    from gan_core.training.trainer import Trainer

    real_step, calls = Trainer.step, []

    def interrupted(self, mode="both"):
        calls.append(1)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return real_step(self, mode)

    out = tmp_path / "cut"
    monkeypatch.setattr(Trainer, "step", interrupted)
    args = ["train", "--family", "mlp", "--steps", "20", "--batch-size", "8", "--eval-n", "0", "--out", str(out)]
    assert cli.main(args) == 130
    assert load(out).meta["step"] == 5 and Path(f"{out}.resume.pt").is_file()
    monkeypatch.setattr(Trainer, "step", real_step)
    assert cli.main([*args, "--resume"]) == 0
    meta = load(out).meta
    assert meta["step"] == 20
    pace = meta["metrics"]["steps_per_s"]
    assert pace * meta["metrics"]["train_seconds"] == pytest.approx(20, rel=0.2)  # the whole run's pace (rounded)
    assert cli.main([*args, "--resume"]) == 0  # resumed at the last step: re-exports, trains nothing
    again = load(out).meta["metrics"]
    assert load(out).meta["step"] == 20 and again["steps_per_s"] > 0  # not 0 steps / 0 s
    assert again["train_seconds"] == pytest.approx(meta["metrics"]["train_seconds"], abs=1.0)


def test_the_checkpoint_is_saved_before_the_evaluation(tmp_path, monkeypatch, capsys):
    from gan_core.training.trainer import Trainer

    def broken(self, *, n, seed=0):
        raise RuntimeError("the evaluation fell over")

    monkeypatch.setattr(Trainer, "evaluate", broken)
    out = tmp_path / "kept"
    assert cli.main(["train", "--family", "mlp", "--steps", "3", "--batch-size", "8", "--out", str(out)]) == 2
    assert load(out).meta["step"] == 3  # the run survived a failing evaluation
