"""Every shipped generator loads from its files alone, draws the right shapes, carries its recipe,
metrics and timeline; the conditional GAN draws the digit it is asked for (>= 95%)."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from gan_core import checkpoints
from gan_core.explore import SHIPPED, SHIPPED_ORDER, load_timeline

MNIST = [n for n in SHIPPED_ORDER if n.startswith("mnist_")]


@pytest.mark.parametrize("name", SHIPPED_ORDER)
def test_shipped_checkpoint_loads(name):
    stem = SHIPPED / name
    ckpt = checkpoints.load(stem)  # verifies sha256, tensor names and shapes
    G = ckpt.modules["G"]
    z = torch.randn(4, int(ckpt.config.z_dim), generator=torch.Generator().manual_seed(0))
    y = torch.arange(4) if ckpt.family == "cgan" else None
    with torch.no_grad():
        x = G(z, y)
    assert x.shape == (4, 1, 28, 28) and x.min() >= -1 and x.max() <= 1
    meta = json.loads(Path(f"{stem}.json").read_text())
    assert meta["recipe"].startswith("python -m gan_core train") and f"--out checkpoints/{name}" in meta["recipe"]
    # the run's own wall time and its time on an idle 2-core CPU (bench.train_time --write) are recorded; the
    # training budget is under an hour of an idle machine per generator (they take 7-41 minutes)
    assert meta["metrics"]["train_seconds"] > 0
    assert 0 < meta["metrics"]["idle_train_seconds"] <= 3600
    steps, grids = load_timeline(stem)
    assert len(steps) >= 4 and list(steps) == sorted(steps) and grids.dtype == np.uint8
    if name in MNIST:
        for key in ("fid", "coverage", "confidence"):
            assert isinstance(meta["metrics"][key], (int, float)), key


def test_cgan_draws_the_requested_digit():
    from gan_core.metrics import classifier_features

    ckpt = checkpoints.load(SHIPPED / "mnist_cgan")
    meta_acc = ckpt.meta["metrics"]["label_accuracy"]
    assert meta_acc >= 0.95
    labels = torch.arange(1000) % 10
    z = torch.randn(1000, int(ckpt.config.z_dim), generator=torch.Generator().manual_seed(123))
    with torch.no_grad():
        x = ckpt.modules["G"](z, labels)
    probs, _ = classifier_features(x)
    accuracy = float((probs.argmax(axis=1) == labels.numpy()).mean())
    assert accuracy >= 0.95, f"requested digit drawn {accuracy:.1%} of the time"


def test_shipped_folder_stays_small():
    total = sum(p.stat().st_size for p in SHIPPED.iterdir() if p.is_file())
    assert total < 60 * 2**20, f"checkpoints/ holds {total / 2**20:.1f} MB"
