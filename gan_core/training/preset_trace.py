"""Run a Train-page preset and record what its "watch for" sentence talks about.

Every CHECK_EVERY steps a trace point holds the window's mean losses and D outputs, the spread of
G's loss, G's gradient norm, and the classifier's view of 1,000 fixed-noise samples (digits
covered, smallest digit share, the commonest digit's share, confidence, classifier-FID). The
claims in ``preset_claims`` are judged on these traces, so a sentence on the page is only as
strong as what a run of that preset on the embedded digits actually does.
"""
from __future__ import annotations

import math
import statistics
import time
from dataclasses import asdict, dataclass

from gan_core.data.mnist import ImageData
from gan_core.training.config import TrainConfig
from gan_core.training.family import new_trainer

CHECK_EVERY = 250
N_SAMPLES = 1000


@dataclass(frozen=True)
class TracePoint:
    step: int
    seconds: float  # training time so far (checks excluded)
    d_loss: float
    g_loss: float
    g_loss_std: float  # spread of G's loss within the window: how much the game swings
    d_real: float  # mean D(x) over the window
    d_fake: float  # mean D(G(z)) over the window
    g_grad_norm: float
    coverage: int  # digits with >= 5% of the samples
    min_share: float
    top_share: float  # share of the commonest digit (1.0: one digit only)
    confidence: float
    fid: float


def trace_run(config: TrainConfig, data: ImageData, *, steps: int | None = None) -> list[TracePoint]:
    """Train ``config`` from scratch for ``steps`` (default: the config's) and trace it."""
    from gan_core.metrics import evaluate_generator

    total = steps if steps is not None else config.steps
    trainer = new_trainer(config, data=data)
    points: list[TracePoint] = []
    seconds = 0.0
    while trainer.steps_done < total:
        window: dict[str, list[float]] = {}
        t0 = time.perf_counter()
        rows = [trainer.step() for _ in range(min(CHECK_EVERY, total - trainer.steps_done))]
        for row in rows:
            for key, value in row.items():
                window.setdefault(key, []).append(float(value))  # the host sync ends the timed window
        seconds += time.perf_counter() - t0
        m = evaluate_generator(trainer.G, n=N_SAMPLES, seed=1234, z_dim=trainer.z_dim, real=data,
                               conditional=trainer.conditional, n_real=2000)
        points.append(TracePoint(
            step=trainer.steps_done, seconds=round(seconds, 2), d_loss=_mean(window["d_loss"]),
            g_loss=_mean(window["g_loss"]), g_loss_std=_std(window["g_loss"]), d_real=_mean(window["d_real"]),
            d_fake=_mean(window["d_fake"]), g_grad_norm=_mean(window["g_grad_norm"]),
            coverage=int(m["coverage"]), min_share=float(min(m["class_hist"])),
            top_share=float(max(m["class_hist"])), confidence=float(m["confidence"]), fid=float(m["fid"])))
    return points


def as_dicts(points: list[TracePoint]) -> list[dict]:
    return [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(p).items()} for p in points]


def _finite(values: list[float]) -> list[float]:
    return [v for v in values if math.isfinite(v)]  # a player that skipped a step reports NaN


def _mean(values: list[float]) -> float:
    finite = _finite(values)
    return statistics.fmean(finite) if finite else float("nan")


def _std(values: list[float]) -> float:
    finite = _finite(values)
    return statistics.stdev(finite) if len(finite) >= 2 else 0.0
