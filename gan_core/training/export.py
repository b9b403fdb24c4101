"""Everything that turns a run into something to keep: checkpoint, recipe command, script."""
from __future__ import annotations

import dataclasses
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from gan_core import checkpoints
from gan_core.training.config import FLAGS, TrainConfig

if TYPE_CHECKING:
    from gan_core.training.trainer import Trainer



def recipe_command(config: TrainConfig, out: str | Path) -> str:
    """The shell command that replays ``config``: only the settings that differ from the defaults."""
    default = TrainConfig()
    parts = ["python", "-m", "gan_core", "train"]
    for name, flag in FLAGS.items():
        value = getattr(config, name)
        if value is not None and (name in ("model", "loss", "steps") or value != getattr(default, name)):
            parts += [flag, str(value)]
    if config.batchnorm is not None:
        parts.append("--batchnorm" if config.batchnorm else "--no-batchnorm")
    parts += ["--out", str(out)]
    return shlex.join(parts)


def save_trainer(trainer: Trainer, out: str | Path, *, metrics: dict | None = None,
                 recipe: str | None = None) -> Path:
    """Write G and D with their model config, the train config and the recipe; returns the stem."""
    cfg = trainer.config
    return checkpoints.save(
        out,
        modules={"G": trainer.G, "D": trainer.D},
        family=cfg.model,
        config=trainer.model_config,
        step=trainer.steps_done,
        metrics={**(metrics or {}), "train_config": cfg.to_dict()},
        recipe=recipe or recipe_command(cfg, out),
        data_source=f"{trainer.data.name}: {trainer.data.source} ({len(trainer.data.images)} images)",
    )


def export_script(config: TrainConfig) -> str:
    """A short runnable Python script that reproduces a run with ``config`` using gan_core."""
    fields = ",\n".join(f"    {f.name}={getattr(config, f.name)!r}" for f in dataclasses.fields(config)
                        if getattr(config, f.name) != f.default)
    body = f"TrainConfig(\n{fields},\n)" if fields else "TrainConfig()"
    return f'''"""Replays a GAN Classroom run. Run from the project folder: python this_file.py"""
from gan_core.training.config import TrainConfig
from gan_core.training.export import save_trainer
from gan_core.training.trainer import Trainer

config = {body}
trainer = Trainer(config=config)
for step in range(config.steps):
    stats = trainer.step()
    if (step + 1) % 100 == 0:
        print(f"step {{step + 1}}: D loss {{float(stats['d_loss']):.3f}}, G loss {{float(stats['g_loss']):.3f}}")
stem = save_trainer(trainer, "runs/exported_run")
print(f"saved {{stem}}.safetensors")
'''
