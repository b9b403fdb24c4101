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
        modules=trainer.export_modules(),
        family=cfg.family_name,
        config=trainer.model_config,
        train_config=cfg,
        step=trainer.steps_done,
        metrics=dict(metrics or {}),
        recipe=recipe or recipe_of(cfg, out),
        data_source=trainer.data_source,
    )


def export_script(config: Any, *, out: str = "runs/exported_run", steps: int | None = None) -> str:
    """A short runnable Python script that replays a run with ``config`` using gan_core.

    ``out``: where the script saves (name it after the run); ``steps``: train only this many steps
    (a run stopped early), which the script says in a comment. Runs from any folder with the
    project's Python (`make app` installs gan_core into .venv)."""
    cls = type(config)
    budget = getattr(config, "steps", None)
    changed = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)
               if getattr(config, f.name) != f.default}
    note = ""
    if steps is not None and budget is not None and steps != budget:
        changed["steps"] = steps
        note = f"# The run was stopped at step {steps} of its {budget}-step budget: this replays those {steps} steps.\n"
    fields = "".join(f"    {k}={v!r},\n" for k, v in changed.items())
    body = f"{cls.__name__}(\n{fields})" if fields else f"{cls.__name__}()"
    return f'''"""Replays a GAN Classroom run. Run it with the project's Python: .venv/bin/python this_file.py"""
from {cls.__module__} import {cls.__name__}
from gan_core.training.export import save_trainer
from gan_core.training.family import new_trainer

{note}config = {body}
trainer = new_trainer(config)
for step in range(config.steps):
    stats = trainer.step()
    if (step + 1) % 100 == 0:
        shown = ", ".join(f"{{k}} {{float(v):.3f}}" for k, v in stats.items())
        print(f"step {{step + 1}}: {{shown}}")
stem = save_trainer(trainer, {out!r})
print(f"saved {{stem}}.safetensors")
'''
