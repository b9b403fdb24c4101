"""Command-line interface: ``python -m gan_core {train,sample,eval,list,data} ...``."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from gan_core.training.config import FLAGS, LOSS_NAMES, TrainConfig


def _train_parser(sub) -> None:
    p = sub.add_parser("train", help="train a GAN and write a checkpoint",
                       description="Train an image GAN on MNIST, Fashion-MNIST or a folder of images.")
    defaults = TrainConfig()
    types = {"lr_g": float, "lr_d": float, "beta1": float, "beta2": float, "leaky_slope": float,
             "label_smoothing": float, "gp_weight": float, "batch_size": int, "d_steps": int,
             "z_dim": int, "seed": int, "steps": int, "augment_shift": int}
    for name, flag in FLAGS.items():
        kwargs = {"type": types.get(name, str), "default": getattr(defaults, name), "dest": name}
        if name == "loss":
            kwargs["choices"] = LOSS_NAMES
        p.add_argument(flag, help=f"(default: {getattr(defaults, name)})", **kwargs)
    p.add_argument("--batchnorm", dest="batchnorm", action="store_true", default=None,
                   help="BatchNorm in the generator (default: the model's own)")
    p.add_argument("--no-batchnorm", dest="batchnorm", action="store_false")
    p.add_argument("--size", type=int, default=None, choices=(28, 32, 64),
                   help="image size for --data-folder training (default 32)")
    p.add_argument("--snapshots", type=int, default=8, help="sample grids kept for the timeline")
    p.add_argument("--eval-n", type=int, default=2000, help="samples for the final evaluation (0: skip)")
    p.add_argument("--out", required=True, help="checkpoint path without suffix, e.g. runs/demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gan_core",
                                     description="GAN Classroom engine: train, sample and evaluate GANs on CPU.")
    sub = parser.add_subparsers(dest="command", required=True)
    _train_parser(sub)
    s = sub.add_parser("sample", help="write a grid of samples from a checkpoint as PNG")
    s.add_argument("checkpoint")
    s.add_argument("--n", type=int, default=64)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--png", required=True)
    e = sub.add_parser("eval", help="classifier-FID, mode coverage and confidence of a checkpoint")
    e.add_argument("checkpoint")
    e.add_argument("--n", type=int, default=2000)
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    sub.add_parser("list", help="list shipped and saved checkpoints")
    d = sub.add_parser("data", help="show or fetch datasets")
    d.add_argument("action", choices=("info", "download"), nargs="?", default="info")
    d.add_argument("--folder", default=None, help="data folder (default $GAN_CLASSROOM_DATA or ./data)")
    return parser


def cmd_train(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from gan_core.device import set_threads
    from gan_core.training.export import recipe_command, save_trainer
    from gan_core.training.trainer import Trainer

    set_threads()
    values = {name: getattr(args, name) for name in FLAGS}
    config = TrainConfig(**values, batchnorm=args.batchnorm)
    data = None
    if config.data_folder:
        from gan_core.data import load_image_folder
        data = load_image_folder(config.data_folder, size=args.size or 32)
    trainer = Trainer(config=config, data=data)
    print(f"data: {trainer.data.name} from {trainer.data.source} ({len(trainer.data.images)} images); "
          f"model {config.model}, loss {config.loss}, device {trainer.device}")
    frames = []
    every = max(1, config.steps // max(1, args.snapshots))
    started = time.perf_counter()
    with tqdm(total=config.steps, unit="step", dynamic_ncols=True) as bar:
        for _ in range(config.steps):
            stats = trainer.step()
            bar.update(1)
            if trainer.steps_done % every == 0 or trainer.steps_done == 1:
                frames.append((trainer.steps_done, trainer.fixed_grid()))
                bar.set_postfix(d=f"{float(stats['d_loss']):.3f}", g=f"{float(stats['g_loss']):.3f}")
    seconds = time.perf_counter() - started
    metrics = {"train_seconds": round(seconds, 1), "steps_per_s": round(config.steps / max(seconds, 1e-9), 1)}
    if args.eval_n and trainer.data.name == "mnist":
        metrics.update(_evaluate(trainer.G, trainer.model_config, config.model, n=args.eval_n, seed=0))
    out = Path(args.out)
    recipe = recipe_command(config, out)
    if args.size:
        recipe += f" --size {args.size}"
    stem = save_trainer(trainer, out, metrics=metrics, recipe=recipe)
    _save_timeline(stem, frames)
    print(f"saved {stem}.safetensors and {stem}.json")
    _print_metrics(metrics)
    return 0


def _save_timeline(stem: Path, frames: list) -> None:
    """Fixed-noise grids at several steps, for the gallery's training timeline."""
    import numpy as np

    if frames:
        np.savez_compressed(f"{stem}.timeline.npz", steps=np.array([s for s, _ in frames]),
                            grids=np.stack([g for _, g in frames]))


def _evaluate(G, model_config, family: str, *, n: int, seed: int) -> dict:
    from gan_core.data import load_mnist
    from gan_core.metrics import evaluate_generator
    from gan_core.models import MODELS

    result = evaluate_generator(G, n=n, seed=seed, z_dim=int(model_config.z_dim), real=load_mnist(),
                                conditional=MODELS[family].conditional)
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items()}


def _print_metrics(metrics: dict) -> None:
    for key, value in metrics.items():
        if key != "train_config":
            print(f"  {key:>16}: {value}")


def cmd_eval(args: argparse.Namespace) -> int:
    from gan_core.checkpoints import load

    ckpt = load(args.checkpoint)
    if "G" not in ckpt.modules:
        print(f"{ckpt.path} holds no generator (family {ckpt.family})", file=sys.stderr)
        return 2
    result = _evaluate(ckpt.modules["G"], ckpt.config, ckpt.family, n=args.n, seed=args.seed)
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
    from gan_core.models import MODELS
    from gan_core.training.grid import make_grid

    ckpt = load(args.checkpoint)
    G = ckpt.modules["G"]
    gen = torch.Generator().manual_seed(args.seed)
    z = torch.randn(args.n, int(ckpt.config.z_dim), generator=gen)
    labels = torch.arange(args.n) % 10 if MODELS[ckpt.family].conditional else None
    with torch.no_grad():
        grid = make_grid(G(z, labels))
    Path(args.png).parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(grid).save(args.png)
    print(f"wrote {args.n} samples to {args.png}")
    return 0


def cmd_list(_: argparse.Namespace) -> int:
    from gan_core.checkpoints import list_checkpoints

    infos = list_checkpoints()
    if not infos:
        print("no checkpoints found in checkpoints/ or runs/")
    for info in infos:
        fid = info.metrics.get("fid")
        extra = f"  fid {fid:.2f}" if isinstance(fid, (int, float)) else ""
        print(f"{info.path!s:<40} {info.family:<10} step {info.step:>6}{extra}")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    from gan_core.data import DataUnavailable, IdxError, load_mnist
    from gan_core.data.mnist import download_mnist

    if args.action == "download":
        print(download_mnist(args.folder))
        return 0
    data = load_mnist(args.folder)
    print(f"MNIST: {len(data.images)} images from {data.source}")
    try:
        from gan_core.data import load_dataset
        fashion = load_dataset("fashion-mnist")
        print(f"Fashion-MNIST: {len(fashion.images)} images from {fashion.source}")
    except (DataUnavailable, IdxError, OSError) as exc:  # missing Debian package: say how to get it
        print(f"Fashion-MNIST: {exc}")
    return 0


COMMANDS = {"train": cmd_train, "sample": cmd_sample, "eval": cmd_eval, "list": cmd_list, "data": cmd_data}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (KeyError, ValueError, FileNotFoundError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return 2
