"""Seconds from a fresh start until the generator writes all ten digits convincingly.

Every 250 steps, 2,000 fixed-noise samples go through the shipped MNIST classifier (never
trained on generated images); the run has "reached digits" when the mean classifier confidence
is >= 0.85 and every digit class gets >= 5% of the samples. Time spent in these checks is not
counted. A model that has not reached it after 600 s (--quick: 25 s) reports the limit.

    python -m bench.time_to_digits [--quick] [--mlp-recipe mlp-fast] [--dcgan-recipe dcgan-fast]
JSON: {"mlp_s", "dcgan_s", "threshold"}
"""
from __future__ import annotations

import time

import torch

from bench.common import emit, parser
from gan_core.data import load_mnist
from gan_core.device import set_threads
from gan_core.metrics import evaluate_generator
from gan_core.training.family import new_trainer
from gan_core.training.recipes import get_recipe

THRESHOLD = 0.85
MIN_SHARE = 0.05
CHECK_EVERY = 250
N_SAMPLES = 2000


def time_to_digits(recipe: str, *, limit_s: float, seed: int = 0) -> tuple[float, dict, int]:
    """(seconds, metrics at that moment, steps) for one recipe; seconds = limit_s when not reached."""
    data = load_mnist()
    config = get_recipe(recipe).replace(seed=seed, steps=10**9)
    trainer = new_trainer(config, data=data)
    trained_s, metrics = 0.0, {}
    while trained_s < limit_s:
        t0 = time.perf_counter()
        for _ in range(CHECK_EVERY):
            stats = trainer.step()
        float(stats["g_loss"])  # wait for the last step before stopping the clock
        trained_s += time.perf_counter() - t0
        metrics = evaluate_generator(trainer.G, n=N_SAMPLES, seed=1234, z_dim=trainer.z_dim, real=data)
        covered = min(metrics["class_hist"]) >= MIN_SHARE
        print(f"  {recipe}: step {trainer.steps_done:>5}  {trained_s:6.1f}s  confidence "
              f"{metrics['confidence']:.3f}  smallest class share {min(metrics['class_hist']):.3f}  "
              f"FID {metrics['fid']:.2f}", flush=True)
        if metrics["confidence"] >= THRESHOLD and covered:
            return trained_s, metrics, trainer.steps_done
    return limit_s, metrics, trainer.steps_done


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--mlp-recipe", default="mlp-fast")
    p.add_argument("--dcgan-recipe", default="dcgan-fast")
    p.add_argument("--models", default="mlp,dcgan", help="which to time, e.g. 'mlp' while tuning")
    args = p.parse_args()
    set_threads()
    torch.manual_seed(0)
    limit = 25.0 if args.quick else 600.0
    result = {}
    chosen = set(args.models.split(","))
    for key, recipe in (("mlp_s", args.mlp_recipe), ("dcgan_s", args.dcgan_recipe)):
        if key[:-2] not in chosen:
            continue
        seconds, metrics, steps = time_to_digits(recipe, limit_s=limit)
        reached = "reached" if seconds < limit else "NOT reached (limit)"
        print(f"{recipe}: {reached} after {seconds:.1f} s, {steps} steps; classifier-FID {metrics.get('fid', float('nan')):.2f}, "
              f"confidence {metrics.get('confidence', 0):.3f}, coverage {metrics.get('coverage')}")
        result[key] = round(seconds, 1)
    result["threshold"] = THRESHOLD
    emit(result)


if __name__ == "__main__":
    main()
