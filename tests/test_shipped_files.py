"""Every shipped weight file describes itself, and checkpoints/ stays within its 60 MB budget."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


def test_every_safetensors_has_a_sidecar_with_its_sha256_and_recipe():
    weights = sorted(CHECKPOINTS.rglob("*.safetensors"))
    assert len(weights) >= 9  # the MNIST/Fashion generators, the classifier, the 2-D states, ...
    for path in weights:
        sidecar = path.with_suffix(".json")
        assert sidecar.is_file(), f"{path.name} has no JSON sidecar"
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), path.name
        assert "python -m gan_core" in meta["recipe"], f"{path.name}: no recipe command"


TRAINING_ONLY = (".resume.pt", ".tmp")  # resume files of queue jobs: git-ignored, never shipped


def test_checkpoints_fit_the_budget():
    total = sum(p.stat().st_size for p in CHECKPOINTS.rglob("*")
                if p.is_file() and not p.name.endswith(TRAINING_ONLY))
    assert total < 60 * 1024 * 1024, f"checkpoints/ is {total / 2**20:.1f} MB"
