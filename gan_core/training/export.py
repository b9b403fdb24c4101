"""Everything that turns a run into something to keep: checkpoint, recipe command, script."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from gan_core import checkpoints
from gan_core.training.family import FamilyTrainer
from gan_core.training.flags import recipe_command


def recipe_of(config: Any, out: str | Path) -> str:
    """The `python -m gan_core train ...` command that replays ``config`` into ``out``."""
    from gan_core.families import get_family

    return recipe_command(get_family(config.family_name), config, out)


def save_trainer(trainer: FamilyTrainer, out: str | Path, *, metrics: dict | None = None,
                 recipe: str | None = None) -> Path:
    """Write the trainer's modules with their model config, the run config and the recipe; returns the stem."""
    cfg = trainer.config
    return checkpoints.save(
        out,
        modules=trainer.modules,
        family=cfg.family_name,
        config=trainer.model_config,
        train_config=cfg,
        step=trainer.steps_done,
        metrics=dict(metrics or {}),
        recipe=recipe or recipe_of(cfg, out),
        data_source=trainer.data_source,
    )


def export_script(config: Any, *, out: str = "runs/exported_run", steps: int | None = None) -> str:
    """A short runnable Python script that replays a run with ``config`` using gan_core."""
    cls = type(config)
    changed = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)
               if getattr(config, f.name) != f.default}
    if steps is not None and hasattr(config, "steps"):
        changed["steps"] = steps
    fields = "".join(f"    {k}={v!r},\n" for k, v in changed.items())
    body = f"{cls.__name__}(\n{fields})" if fields else f"{cls.__name__}()"
    return f'''"""Replays a GAN Classroom run. Run it with the project's Python: python this_file.py"""
from {cls.__module__} import {cls.__name__}
from gan_core.training.export import save_trainer
from gan_core.training.family import new_trainer

config = {body}
trainer = new_trainer(config)
for step in range(config.steps):
    stats = trainer.step()
    if (step + 1) % 100 == 0:
        shown = ", ".join(f"{{k}} {{float(v):.3f}}" for k, v in stats.items())
        print(f"step {{step + 1}}: {{shown}}")
stem = save_trainer(trainer, {out!r})
print(f"saved {{stem}}.safetensors")
'''
