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
