"""Command-line flags derived from a family's frozen config dataclass (no hand-copied field lists).

Every field becomes ``--field-name`` (nested dataclasses: ``--parent-child``); booleans become
``--x / --no-x``; ``T | None`` fields accept ``none``. The same table writes recipe commands, so a
recipe always replays the config it came from.
"""
from __future__ import annotations

import argparse
import dataclasses
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gan_core.training.family import Family, field_types, from_dict, to_dict

# Older spellings still accepted on the command line (recipes of earlier checkpoints use them).
ALIASES = {"--model": "--family", "--size": "--image-size"}


@dataclass(frozen=True)
class Flag:
    path: tuple[str, ...]  # ("model", "noise_dim") for a nested field
    type: Any
    optional: bool
    default: Any

    @property
    def flag(self) -> str:
        return "--" + "-".join(self.path).replace("_", "-")

    @property
    def dest(self) -> str:
        return "cfg__" + "__".join(self.path)


def flags_of(family: Family) -> list[Flag]:
    """The flags of ``family``'s run config (fields fixed by the family, e.g. ``model``, excluded)."""
    default = family.default_config()
    return [f for f in _walk(family.config_cls, default, ()) if f.path[0] not in family.config_defaults]


def _walk(cls: type, default: Any, prefix: tuple[str, ...]) -> Iterator[Flag]:
    for name, (tp, optional) in field_types(cls).items():
        value = getattr(default, name)
        if dataclasses.is_dataclass(tp):
            yield from _walk(tp, value, (*prefix, name))
        else:
            yield Flag(path=(*prefix, name), type=tp, optional=optional, default=value)


def _parse(flag: Flag):
    base = flag.type if flag.type in (int, float, str) else str

    def parse(text: str):
        if flag.optional and text.lower() == "none":
            return None
        return base(text)

    parse.__name__ = base.__name__  # argparse names the type in its error messages
    return parse


def add_flags(parser: argparse.ArgumentParser, family: Family) -> None:
    for f in flags_of(family):
        help_ = f"(default: {f.default})"
        if f.type is bool:
            parser.add_argument(f.flag, dest=f.dest, action=argparse.BooleanOptionalAction, default=None,
                                help=help_)
        else:
            parser.add_argument(f.flag, dest=f.dest, type=_parse(f), default=None, help=help_)


def config_from_args(family: Family, args: argparse.Namespace) -> Any:
    """The family's default config with every flag that was given applied (validated by the class)."""
    values = to_dict(family.default_config())
    for f in flags_of(family):
        given = getattr(args, f.dest, None)
        if given is None:
            continue
        node = values
        for key in f.path[:-1]:
            node = node[key]
        node[f.path[-1]] = given
    return from_dict(family.config_cls, values)


def recipe_command(family: Family, config: Any, out: str | Path, *, extra: tuple[str, ...] = ()) -> str:
    """The shell command that replays ``config``: only the settings that differ from the defaults."""
    parts = ["python", "-m", "gan_core", "train", "--family", family.name]
    for f in flags_of(family):
        value = config
        for key in f.path:
            value = getattr(value, key)
        if value == f.default and f.path[-1] != "steps":
            continue
        if f.type is bool and value is not None:
            parts.append(f.flag if value else "--no-" + f.flag[2:])
        else:
            parts += [f.flag, "none" if value is None else str(value)]
    parts += [*extra, "--out", str(out)]
    return shlex.join(parts)
