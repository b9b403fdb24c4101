"""Named playground settings, and the ready-made trained states shipped for some of them.

A preset is a full `Toy2DConfig` plus a number of iterations. Presets with `ready=True` have a
trained state in checkpoints/toy2d/<name>.safetensors + .json: an ordinary checkpoint of the toy2d
family (G and D, sha256-checked on load; the sidecar's metrics hold the divergence, coverage and a
light copy of the loss curves). They are made by

    python -m gan_core.training.toy2d_presets --out checkpoints/toy2d

which trains each ready preset from its seed (deterministic on CPU, a few minutes in total; `--only
<name>` trains one). Every TRACE_EVERY iterations the recipe also records the divergence, the modes
covered and how far the fakes have travelled (metrics["trace"]; measuring draws no random numbers, so
the weights are the same as without it).
"""
from __future__ import annotations

import argparse
import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from gan_core import checkpoints
from gan_core.models.toy2d import Toy2DModelConfig
from gan_core.training.family import from_dict
from gan_core.training.toy2d import Toy2DConfig, Toy2DTrainer

READY_DIR = Path(__file__).resolve().parents[2] / "checkpoints" / "toy2d"
RECIPE = "python -m gan_core.training.toy2d_presets --out checkpoints/toy2d"


@dataclass(frozen=True)
class Preset:
    config: Toy2DConfig
    steps: int = 2000      # iterations the ready state was trained for
    ready: bool = True     # a trained state is shipped
    d_only: int = 0        # then this many D-only updates against the same G (the story's "D wins early")


_BASE = Toy2DConfig()
_STRONG_D = dataclasses.replace(_BASE, d_steps=5, lr_d=3e-3, lr_g=1e-3,
                                model=dataclasses.replace(_BASE.model, g_width=32))
TRACE_EVERY = 50  # iterations between two points of a ready state's recorded trace
PRESETS: dict[str, Preset] = {
    # balanced baseline: non-saturating loss, equal learning rates, k = 1
    "ring_balanced": Preset(_BASE),
    # the saturating (minimax) cost, to try live (the story page shows its vanishing push instead)
    "ring_minimax": Preset(dataclasses.replace(_BASE, loss="minimax"), ready=False),
    # detective 10x faster than the forger (measured here at 2000 iterations, seeds 0-3: 7, 6, 4, 3 of 8
    # modes covered, vs 8, 8, 8 for ring_balanced at seeds 0-2)
    "ring_fast_d": Preset(dataclasses.replace(_BASE, lr_d=1e-2, lr_g=1e-3)),
    # a strong detective, in THIS setting: k = 5 D steps per G step, D's learning rate 3x G's (3e-3 vs
    # 1e-3) and G half as wide (32 units). With the non-saturating cost G keeps a strong push and piles
    # onto the few places D rates best (measured: 3 of 8 modes after 2000 iterations, vs 8 of 8 for
    # ring_balanced). Not the textbook route to collapse (G over-fitted to a stale D), and not the
    # textbook effect of a too-good D (a stalled G): the two presets below separate those.
    "ring_strong_d": Preset(_STRONG_D),
    # collapse vs stall, one setting apart: the same strong D and narrow G, G trained by plain SGD
    # (lr 1e-2, no Adam rescaling). Non-saturating cost -> G moves (its fakes travel ~1.9 on average) and
    # collapses (measured: 3 of 8 modes for most of the run, 2 of 8 at 2000 iterations); saturating
    # minimax cost -> G's push per logit, -D(G(z)), vanishes as D wins: the fakes move 0.013 in all, D's
    # loss and D(G(z)) reach 0.000 and 0 of 8 modes are covered: a stall.
    "ring_strong_d_collapse": Preset(dataclasses.replace(_STRONG_D, opt_g="sgd", lr_g=1e-2)),
    "ring_strong_d_stall": Preset(dataclasses.replace(_STRONG_D, opt_g="sgd", lr_g=1e-2, loss="minimax")),
    # a cure: Wasserstein critic with gradient penalty, several critic steps per G step
    "ring_wgan_cure": Preset(dataclasses.replace(_BASE, loss="wgan-gp", d_steps=5, lr_d=1e-3, lr_g=1e-3)),
    # other shapes
    "grid_hinge": Preset(dataclasses.replace(_BASE, dist="grid", loss="hinge"), steps=3000),
    "spiral_1d_noise": Preset(dataclasses.replace(
        _BASE, dist="spiral", model=Toy2DModelConfig(noise_dim=1, g_layers=3, g_width=64)), steps=3000),
    # early training under the minimax cost: a fresh G, and a D trained alone for 300 updates (the
    # story page compares the push log(1 - D) and -log D give G against this confident D)
    "ring_d_wins_early": Preset(dataclasses.replace(_BASE, loss="minimax"), steps=0, d_only=300),
}


def ready_path(name: str, folder: Path = READY_DIR) -> Path:
    return Path(folder) / f"{name}.safetensors"


def make_ready(name: str, folder: Path = READY_DIR) -> Path:
    """Train preset `name` from its seed and write its checkpoint (see module docstring)."""
    preset = PRESETS[name]
    tr = Toy2DTrainer(config=preset.config)
    started = time.perf_counter()
    hist, trace = train_traced(tr, preset.steps)
    if preset.d_only:  # the D-only updates' curves follow G's (their step count stays put)
        d_hist = tr.train(preset.d_only, mode="d")
        hist = {k: hist[k] + d_hist[k] for k in hist}
    every = max(1, len(hist["step"]) // 250)  # a light copy of the loss curves for the Learn pages
    light = {k: [round(v, 5) for v in vals[::every]] for k, vals in hist.items()}
    seconds = round(time.perf_counter() - started, 1)  # training (and tracing) only, one thread
    metrics = {"preset": name, "divergence": tr.divergence(), "coverage": tr.coverage(), "history": light,
               "trace": trace, "d_only_steps": preset.d_only, "train_seconds": seconds,
               "threads": torch.get_num_threads()}
    return checkpoints.save(ready_path(name, folder), modules=tr.modules, family="toy2d", config=tr.model_config,
                            train_config=preset.config, step=tr.steps_done, metrics=metrics, recipe=RECIPE,
                            data_source=tr.data_source)


def train_traced(tr: Toy2DTrainer, steps: int) -> tuple[dict[str, list[float]], dict[str, list]]:
    """`steps` iterations of `tr` (its loss curves, as Toy2DTrainer.train returns them), and every
    TRACE_EVERY iterations a trace point: step, JS (bits), modes covered (None off the mixtures) and
    "moved", the mean distance of the fixed fakes from where they were at the start."""
    start = tr.fake_points(1024)  # (1024, 2) G(fixed z) before training
    hist: dict[str, list[float]] = {}
    trace: dict[str, list] = {"step": [], "js": [], "modes": [], "moved": []}

    def record() -> None:
        cov = tr.coverage()
        moved = float(np.linalg.norm(tr.fake_points(1024) - start, axis=1).mean())
        for key, value in (("step", tr.steps_done), ("js", round(tr.divergence()["js"], 4)),
                           ("modes", cov["modes"] if cov else None), ("moved", round(moved, 4))):
            trace[key].append(value)

    record()
    for done in range(0, steps, TRACE_EVERY):
        part = tr.train(min(TRACE_EVERY, steps - done))
        for key, values in part.items():
            hist.setdefault(key, []).extend(values)
        record()
    return hist or tr.train(0), trace


def load_ready(name: str, folder: Path = READY_DIR) -> tuple[dict[str, dict[str, torch.Tensor]], int, Toy2DConfig]:
    """(module states {"G": ..., "D": ...}, steps, config) of a shipped state, sha256-checked.
    FileNotFoundError names the recipe when the files are missing."""
    path = ready_path(name, folder)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; recreate it with: {RECIPE}")
    ckpt = checkpoints.load(path)
    states = {k: m.state_dict() for k, m in ckpt.modules.items()}
    return states, int(ckpt.meta["step"]), from_dict(Toy2DConfig, ckpt.train_config)


def ready_meta(name: str, folder: Path = READY_DIR) -> dict:
    """The sidecar of a shipped state (step, metrics with divergence, coverage, history)."""
    return checkpoints.read_meta(ready_path(name, folder))


def ready_trainer(name: str, folder: Path = READY_DIR) -> Toy2DTrainer:
    """A trainer holding a shipped state (for views; nothing is trained)."""
    states, steps, cfg = load_ready(name, folder)
    tr = Toy2DTrainer(config=cfg)
    for key, module in tr.modules.items():
        module.load_state_dict(states[key])
    tr.steps_done = steps
    return tr


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Train and save the playground's ready-made states.")
    ap.add_argument("--out", default=str(READY_DIR))
    ap.add_argument("--only", nargs="*", default=None, help="preset names (default: all ready ones)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    for name in args.only or [n for n, p in PRESETS.items() if p.ready]:
        stem = make_ready(name, Path(args.out))
        print(name, stem, checkpoints.files_of(stem)[0].stat().st_size, "bytes")


if __name__ == "__main__":
    main()
