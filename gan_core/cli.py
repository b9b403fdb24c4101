"""Command-line interface: ``python -m gan_core {train,sample,eval,list,families,data} ...``.

``train --family F`` takes the flags of F's config dataclass (``train --family F --help`` lists them).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gan_core.training.flags import ALIASES

COMMON_HELP = "train any registered model family; `python -m gan_core families` lists them"


def _family_name(argv: list[str]) -> str:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--family", default="mlp")
    known, _ = pre.parse_known_args(argv)
    return known.family


def _train_parser(family) -> argparse.ArgumentParser:
    from gan_core.training.flags import add_flags

    p = argparse.ArgumentParser(prog="python -m gan_core train", description=f"{COMMON_HELP}. "
                                f"Family {family.name!r}: {family.summary}")
    p.add_argument("--family", default=family.name, help="the model family (default: mlp)")
    add_flags(p, family)
    p.add_argument("--out", required=True, help="checkpoint path without suffix, e.g. runs/demo")
    p.add_argument("--resume", action="store_true", help="continue the run saved at --out (same settings)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing checkpoint at --out")
    p.add_argument("--overwrite-shipped", action="store_true",
                   help="allow --out to replace a model shipped in checkpoints/ (maintainers only)")
    p.add_argument("--snapshots", type=int, default=8, help="sample grids kept for the timeline")
    p.add_argument("--eval-n", type=int, default=2000, help="samples for the final evaluation (0: skip)")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: all cores)")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gan_core",
                                     description="GAN Classroom engine: train, sample and evaluate models on CPU.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("train", help=COMMON_HELP, add_help=False)
    s = sub.add_parser("sample", help="write a grid of samples from a checkpoint as PNG")
    s.add_argument("checkpoint")
    s.add_argument("--n", type=int, default=64)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--png", required=True)
    e = sub.add_parser("eval", help="the family's own evaluation of a checkpoint (image GANs: classifier-FID)")
    e.add_argument("checkpoint")
    e.add_argument("--n", type=int, default=2000)
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    ls = sub.add_parser("list", help="list shipped and saved checkpoints")
    ls.add_argument("--markdown", action="store_true",
                    help="print the shipped checkpoints (checkpoints/ only) as the README's Markdown table")
    ls.add_argument("--write-readme", action="store_true",
                    help="put that table between the shipped-models markers in README.md")
    sub.add_parser("families", help="list the model families and what each can do")
    d = sub.add_parser("data", help="show or fetch datasets")
    d.add_argument("action", choices=("info", "download"), nargs="?", default="info")
    d.add_argument("--folder", default=None, help="data folder (default $GAN_CLASSROOM_DATA or ./data)")
    return parser


def cmd_train(argv: list[str]) -> int:
    from gan_core.families import get_family
    from gan_core.training.cli_train import train
    from gan_core.training.flags import config_from_args

    argv = [ALIASES.get(a, a) for a in argv]
    family = get_family(_family_name(argv))
    args = _train_parser(family).parse_args(argv)
    config = config_from_args(family, args)
    return train(family, config, args)


def _print_metrics(metrics: dict) -> None:
    for key, value in metrics.items():
        print(f"  {key:>16}: {value}")


def cmd_eval(args: argparse.Namespace) -> int:
    from gan_core.checkpoints import load
    from gan_core.families import get_family
    from gan_core.training.family import Trained

    ckpt = load(args.checkpoint)
    family = get_family(ckpt.family)
    if family.evaluate is None:
        print(f"{ckpt.path}: the {ckpt.family} family has no evaluation", file=sys.stderr)
        return 2
    trained = Trained(family=ckpt.family, modules=ckpt.modules, model_config=ckpt.config,
                      train_config=ckpt.train_config)
    result = family.evaluate(trained, n=args.n, seed=args.seed)
    if args.json:
        print(json.dumps({"checkpoint": str(ckpt.path), **result}))
    else:
        print(f"{ckpt.path} ({ckpt.family}, step {ckpt.meta.get('step')}), {args.n} samples:")
        _print_metrics(result)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    import torch
    from PIL import Image

    from gan_core.checkpoints import load
    from gan_core.families import get_family
    from gan_core.images import make_grid
    from gan_core.training.family import SAMPLES_CLASS, SAMPLES_CODES, SAMPLES_Z

    if not 1 <= args.n <= 1024:
        raise ValueError(f"--n must be between 1 and 1024 (got {args.n})")
    ckpt = load(args.checkpoint)
    caps = get_family(ckpt.family).capabilities
    if not caps & {SAMPLES_Z, SAMPLES_CLASS, SAMPLES_CODES}:
        raise ValueError(f"{ckpt.path} is a {ckpt.family} checkpoint: it does not sample images from noise "
                         f"(it can: {', '.join(sorted(caps))})")
    z = get_family(ckpt.family).draw_z(ckpt.config, args.n, seed=args.seed)
    labels = torch.arange(args.n) % int(getattr(ckpt.config, "n_classes", 10)) if SAMPLES_CLASS in caps else None
    with torch.no_grad():
        grid = make_grid(ckpt.modules["G"](z, labels))
    Path(args.png).parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(grid).save(args.png)
    print(f"wrote {args.n} samples to {args.png}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gan_core.checkpoints import list_checkpoints

    if args.markdown or args.write_readme:
        from gan_core import shipped_table

        table = shipped_table.markdown_table()
        if args.markdown:
            print(table)
        if args.write_readme:
            changed = shipped_table.write_readme(shipped_table.README, table)
            rows = table.count("\n") - 1
            print(f"{shipped_table.README.name}: {'updated' if changed else 'already up to date'} "
                  f"({rows} shipped models)", file=sys.stderr)
        return 0

    infos = list_checkpoints()
    if not infos:
        print("no checkpoints found in checkpoints/ or runs/")
    for info in infos:
        fid = info.metrics.get("fid")
        extra = f"  fid {fid:.2f}" if isinstance(fid, (int, float)) else ""
        where = "shipped" if info.shipped else "saved"
        print(f"{info.path!s:<44} {where:<8} {info.family:<11} step {info.step:>6}{extra}")
    return 0


def cmd_families(_: argparse.Namespace) -> int:
    from gan_core.families import families

    for fam in families():
        print(f"{fam.name:<11} {', '.join(sorted(fam.capabilities)):<28} {fam.summary}")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    from gan_core.data import DataUnavailable, IdxError, load_dataset, load_mnist
    from gan_core.data.mnist import download_mnist

    if args.action == "download":
        print(download_mnist(args.folder))
        return 0
    data = load_mnist(args.folder)
    print(f"MNIST: {len(data.images)} images from {data.source}")
    try:
        fashion = load_dataset("fashion-mnist")
        print(f"Fashion-MNIST: {len(fashion.images)} images from {fashion.source}")
    except (DataUnavailable, IdxError, OSError) as exc:  # missing Debian package: say how to get it
        print(f"Fashion-MNIST: {exc}")
    return 0


COMMANDS = {"sample": cmd_sample, "eval": cmd_eval, "list": cmd_list, "families": cmd_families, "data": cmd_data}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "train":
            return cmd_train(argv[1:])
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except (KeyError, ValueError, TypeError, FileNotFoundError, FileExistsError, RuntimeError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return 2
