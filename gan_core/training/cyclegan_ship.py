"""Make a trained CycleGAN checkpoint small enough to ship, and re-check it as shipped.

    python -m gan_core.training.cyclegan_ship checkpoints/cyclegan_photo_cartoon            # in place
    python -m gan_core.training.cyclegan_ship runs/style checkpoints/cyclegan_snapshot      # a copy

Keeps the two generators G_AB and G_BA, stored in float16 (half the bytes); the discriminators are
only needed to train, and the run's ``.resume.pt`` keeps them for ``--resume``. Loading needs no
special path: ``checkpoints.load`` builds float32 modules and ``load_state_dict`` copies the half
tensors into them. The evaluation is then run again on the float16 weights, so the metrics in the
sidecar describe the file as shipped; ``fp16_max_diff`` records the largest pixel difference
(0..1) between float32 and float16 translations of a held-out photo.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np
import torch

from gan_core import checkpoints
from gan_core.training.family import Trained, from_dict
from gan_core.training.flags import recipe_command

KEEP = ("G_AB", "G_BA")


def compact(src: str | Path, dst: str | Path | None = None) -> Path:
    """Rewrite ``src`` (or write ``dst``) with G_AB, G_BA in float16 and fresh metrics; returns the stem."""
    from gan_core import style
    from gan_core.data.unpaired import held_out_pairs
    from gan_core.families import get_family

    ckpt = checkpoints.load(src)
    family = get_family(ckpt.family)
    missing = [k for k in KEEP if k not in ckpt.modules]
    if missing:
        raise ValueError(f"{ckpt.path}: no {', '.join(missing)} in this checkpoint")
    stem = checkpoints.stem_of(dst) if dst is not None else ckpt.path
    half = {k: copy.deepcopy(ckpt.modules[k]).half() for k in KEEP}
    probe = held_out_pairs(512)[0][1] if held_out_pairs(512) else np.full((64, 64, 3), 128, np.uint8)
    diff = max(style.mae_max(style.translate(ckpt.modules[k], probe), style.translate(half[k], probe))
               for k in KEEP)
    meta = ckpt.meta
    train = checkpoints.train_config_of(meta)
    recipe = recipe_command(family, from_dict(family.config_cls, train), stem) if train else meta["recipe"]
    metrics = {**meta["metrics"], "stored": "G_AB, G_BA in float16 (D_A, D_B: training only)",
               "fp16_max_diff": round(diff, 4)}
    out = checkpoints.save(stem, modules=half, family=ckpt.family, config=meta["config"], train_config=train,
                           step=int(meta["step"]), metrics=metrics, recipe=recipe, data_source=meta["data_source"])
    shipped = checkpoints.load(out)  # float32 modules filled from the float16 file
    trained = Trained(family=shipped.family, modules=shipped.modules, model_config=shipped.config,
                      train_config=train)
    if family.evaluate is not None:
        with torch.no_grad():
            checkpoints.update_metrics(out, family.evaluate(trained, n=100, seed=0))
    return out


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (1, 2):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    stem = compact(*args)
    meta = checkpoints.read_meta(stem)
    size = checkpoints.files_of(stem)[0].stat().st_size
    print(f"{stem}: {size / 1e6:.2f} MB; " + ", ".join(f"{k} {v}" for k, v in meta["metrics"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
