"""Named playground settings, and the ready-made trained states shipped for some of them.

A preset is a full `Toy2DConfig` plus a number of iterations. Presets with `ready=True` have a
trained state in checkpoints/toy2d/<name>.safetensors (G.* and D.* tensors; the safetensors
metadata holds the preset name, steps, config and the recipe command). They are made by

    python -m gan_core.training.toy2d_presets --out checkpoints/toy2d

which trains each ready preset from its seed (deterministic on CPU, ~1 minute in total).
Loading never unpickles: safetensors only holds raw tensors.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from gan_core.models.toy2d import Toy2DModelConfig
from gan_core.training.toy2d import Toy2DConfig, Toy2DTrainer

READY_DIR = Path(__file__).resolve().parents[2] / "checkpoints" / "toy2d"
RECIPE = "python -m gan_core.training.toy2d_presets --out checkpoints/toy2d"


@dataclass(frozen=True)
class Preset:
    config: Toy2DConfig
    steps: int = 2000      # iterations the ready state was trained for
    ready: bool = True     # a trained state is shipped


_BASE = Toy2DConfig()
PRESETS: dict[str, Preset] = {
    # balanced baseline: non-saturating loss, equal learning rates, k = 1
    "ring_balanced": Preset(_BASE),
    # the saturating (minimax) cost, to try live (the story page shows its vanishing push instead)
    "ring_minimax": Preset(dataclasses.replace(_BASE, loss="minimax"), ready=False),
    # detective 10x faster than the forger (measured at 2000 iterations, seeds 0-3: 5, 5, 4, 3 of 8
    # modes covered, vs 8, 8, 8, 7 for ring_balanced)
    "ring_fast_d": Preset(dataclasses.replace(_BASE, lr_d=1e-2, lr_g=1e-3)),
    # too strong a detective: 5 D steps per G step at 3x the learning rate, a narrower G -> collapse
    # (measured: 3 of 8 modes after 2000 iterations, vs 8 of 8 for ring_balanced)
    "ring_strong_d": Preset(dataclasses.replace(
        _BASE, d_steps=5, lr_d=3e-3, lr_g=1e-3, model=dataclasses.replace(_BASE.model, g_width=32))),
    # a cure: Wasserstein critic with gradient penalty, several critic steps per G step
    "ring_wgan_cure": Preset(dataclasses.replace(_BASE, loss="wgan-gp", d_steps=5, lr_d=1e-3, lr_g=1e-3)),
    # other shapes
    "grid_hinge": Preset(dataclasses.replace(_BASE, dist="grid", loss="hinge"), steps=3000),
    "spiral_1d_noise": Preset(dataclasses.replace(
        _BASE, dist="spiral", model=Toy2DModelConfig(noise_dim=1, g_layers=3, g_width=64)), steps=3000),
}


def config_to_dict(cfg: Toy2DConfig) -> dict:
    return dataclasses.asdict(cfg)


def config_from_dict(d: dict) -> Toy2DConfig:
    d = dict(d)
    model = Toy2DModelConfig(**d.pop("model"))
    return Toy2DConfig(model=model, **d)


def ready_path(name: str, folder: Path = READY_DIR) -> Path:
    return Path(folder) / f"{name}.safetensors"


def make_ready(name: str, folder: Path = READY_DIR) -> Path:
    """Train preset `name` from its seed and write its state (see module docstring)."""
    preset = PRESETS[name]
    tr = Toy2DTrainer(config=preset.config)
    tr.train(preset.steps)
    hist = tr.history()
    every = max(1, len(hist["step"]) // 250)  # a light copy of the loss curves for the Learn pages
    light = {k: [round(v, 5) for v in vals[::every]] for k, vals in hist.items()}
    meta = {"preset": name, "steps": str(preset.steps), "config": json.dumps(config_to_dict(preset.config)),
            "recipe": RECIPE, "divergence": json.dumps(tr.divergence()), "coverage": json.dumps(tr.coverage()),
            "history": json.dumps(light)}
    path = ready_path(name, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in tr.state_tensors().items()}, str(path), metadata=meta)
    write_sidecar(path)
    return path


def write_sidecar(path: Path) -> Path:
    """<name>.json beside the weights: the same metadata, decoded, plus the weights' sha256, so a
    shipped state describes itself like every other checkpoint."""
    with safe_open(str(path), framework="pt") as f:
        raw = dict(f.metadata() or {})
    meta = {k: (json.loads(v) if k in ("config", "divergence", "coverage", "history") else v)
            for k, v in raw.items()}
    meta["steps"] = int(meta.get("steps", 0))
    meta["sha256"] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    sidecar = Path(path).with_suffix(".json")
    sidecar.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return sidecar


def ready_meta(name: str, folder: Path = READY_DIR) -> dict[str, str]:
    """The metadata strings of a shipped state (steps, config, recipe, divergence, coverage, history)."""
    path = ready_path(name, folder)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; recreate it with: {RECIPE}")
    with safe_open(str(path), framework="pt") as f:
        return dict(f.metadata() or {})


def load_ready(name: str, folder: Path = READY_DIR) -> tuple[dict[str, torch.Tensor], int, Toy2DConfig]:
    """(tensors, steps, config) of a shipped state; FileNotFoundError names the recipe."""
    meta = ready_meta(name, folder)
    tensors = load_file(str(ready_path(name, folder)))
    return tensors, int(meta.get("steps", 0)), config_from_dict(json.loads(meta["config"]))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Train and save the playground's ready-made states.")
    ap.add_argument("--out", default=str(READY_DIR))
    ap.add_argument("--only", nargs="*", default=None, help="preset names (default: all ready ones)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    for name in args.only or [n for n, p in PRESETS.items() if p.ready]:
        path = make_ready(name, Path(args.out))
        print(name, path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
