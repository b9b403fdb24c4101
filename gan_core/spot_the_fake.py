"""The "spot the fake" game's material: real and generated digit pools, the detector's scores on the
same rounds, and a round of machine advice that is wrong in a known number of rounds.

Real pictures are MNIST's held-out digits (no detector trained on them); generated ones are fresh
samples of the digit generators shipped now (``fake_sources``). Everything is seeded, so a game can be
replayed and a test can check it. Conventions as in ``gan_core.detection``: 1 = generated.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gan_core.detection import GameRounds

__all__ = ["AdviceRounds", "advice_rounds", "fake_pool", "real_digits", "round_scores"]


def real_digits(n: int, *, seed: int = 0, folder: str | None = None) -> np.ndarray:
    """n real MNIST digits, uint8 (n, 28, 28), from the held-out ones (the last 100 per class)."""
    from gan_core.data.mnist import load_mnist, split_holdout

    _, held = split_holdout(load_mnist(folder))
    if not 1 <= n <= len(held):
        raise ValueError(f"n must be between 1 and {len(held):,} held-out digits (got {n})")
    return held.images[np.random.default_rng(seed).permutation(len(held))[:n]]


def fake_pool(stems: Sequence, n_each: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (len(stems) * n_each, 28, 28), source index per image) from each generator."""
    from gan_core.fake_sources import sample_digits

    if not stems:
        raise ValueError("no generator to draw fakes from")
    parts = [sample_digits(stem, n_each, seed=seed + 7919 * k) for k, stem in enumerate(stems)]
    return np.concatenate(parts), np.repeat(np.arange(len(stems)), n_each)


def round_scores(rounds: GameRounds, real_scores: np.ndarray, fake_scores: np.ndarray) -> np.ndarray:
    """The detector's score of each single round's picture, from the scores of the two pools."""
    if rounds.kind != "single":
        raise ValueError("round_scores needs single-picture rounds")
    real_s, fake_s = np.asarray(real_scores, np.float64), np.asarray(fake_scores, np.float64)
    return np.where(rounds.answer == 1, fake_s[np.maximum(rounds.fake_index, 0)],
                    real_s[np.maximum(rounds.real_index, 0)])


@dataclass(frozen=True, eq=False)
class AdviceRounds:
    rounds: GameRounds  # single-picture rounds
    advice: np.ndarray  # int64 (n,): the detector's call, 1 = "generated"
    score: np.ndarray  # float64 (n,): its P(generated)
    n_wrong: int  # rounds in which the advice is wrong


def advice_rounds(real: np.ndarray, fake: np.ndarray, real_scores: np.ndarray, fake_scores: np.ndarray,
                  n_rounds: int, *, n_wrong: int, threshold: float = 0.5, seed: int = 0) -> AdviceRounds:
    """Balanced single rounds (half generated) whose advice (score > threshold = "generated") is wrong in
    ``n_wrong`` rounds when the pools allow it (fewer otherwise: ``AdviceRounds.n_wrong`` says how many).

    Wrong advice is taken from generated pictures the detector lets through first (its usual failure on
    a generator it never saw), then from real pictures it flags."""
    if n_rounds < 2 or n_rounds % 2 or not 0 <= n_wrong <= n_rounds:
        raise ValueError(f"need an even n_rounds >= 2 and 0 <= n_wrong <= n_rounds (got {n_rounds}, {n_wrong})")
    real_s, fake_s = np.asarray(real_scores, np.float64), np.asarray(fake_scores, np.float64)
    if real_s.shape != (len(real),) or fake_s.shape != (len(fake),):
        raise ValueError("one score per picture is needed in each pool")
    half = n_rounds // 2
    rng = np.random.default_rng(seed)
    fake_wrong, fake_right = np.flatnonzero(fake_s <= threshold), np.flatnonzero(fake_s > threshold)
    real_wrong, real_right = np.flatnonzero(real_s > threshold), np.flatnonzero(real_s <= threshold)
    w_fake = min(n_wrong, len(fake_wrong), half)
    w_real = min(n_wrong - w_fake, len(real_wrong), half)
    if len(fake_right) < half - w_fake or len(real_right) < half - w_real:  # too few right calls: more wrong
        w_fake = max(w_fake, half - len(fake_right))
        w_real = max(w_real, half - len(real_right))
        if w_fake > len(fake_wrong) or w_real > len(real_wrong):
            raise ValueError(f"{n_rounds} rounds need {half} real and {half} generated pictures")

    def pick(wrong: np.ndarray, right: np.ndarray, k_wrong: int) -> np.ndarray:
        return np.concatenate([rng.choice(wrong, k_wrong, replace=False),
                               rng.choice(right, half - k_wrong, replace=False)]).astype(np.int64)

    fake_idx, real_idx = pick(fake_wrong, fake_right, w_fake), pick(real_wrong, real_right, w_real)
    answer = rng.permutation(np.arange(n_rounds) % 2).astype(np.int64)
    fake_at, real_at = np.full(n_rounds, -1, np.int64), np.full(n_rounds, -1, np.int64)
    fake_at[answer == 1], real_at[answer == 0] = rng.permutation(fake_idx), rng.permutation(real_idx)
    images = np.where((answer == 1)[:, None, None], fake[np.maximum(fake_at, 0)], real[np.maximum(real_at, 0)])
    rounds = GameRounds(kind="single", images=images, answer=answer, real_index=real_at, fake_index=fake_at)
    score = round_scores(rounds, real_s, fake_s)
    advice = (score > threshold).astype(np.int64)
    return AdviceRounds(rounds=rounds, advice=advice, score=score, n_wrong=int((advice != answer).sum()))


def photo_pools(g_ba, n: int, *, size: int, photo_side: int = 512, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(real photo patches, generated "photo" patches), uint8 (n, size, size, 3) each, for the game's
    photo rounds: real patches of half the held-out photos; fakes = ``g_ba`` (a style studio's
    cartoon -> photo generator) applied to filter cartoons of the other half, so no round shows a
    scene twice. Empty arrays when no held-out photo is on this machine."""
    import torch

    from gan_core.data.photos import random_patches
    from gan_core.data.unpaired import held_out_pairs
    from gan_core.images import to_uint8

    pairs = held_out_pairs(photo_side)
    if not pairs or n < 1:
        return np.zeros((0, size, size, 3), np.uint8), np.zeros((0, size, size, 3), np.uint8)
    half = max(1, len(pairs) // 2)
    real_src = [p for _, p, _ in pairs[:half]]
    cartoon_src = [c for _, _, c in (pairs[half:] or pairs)]
    real = random_patches(real_src, n=n, size=size, seed=seed)
    cartoons = random_patches(cartoon_src, n=n, size=size, seed=seed + 1)
    x = torch.from_numpy(cartoons).permute(0, 3, 1, 2).float() / 127.5 - 1.0  # (n, 3, size, size)
    param = next(g_ba.parameters(), None)
    with torch.no_grad():
        fake = g_ba(x.to(param.dtype if param is not None else torch.float32)).float().clamp(-1, 1)
    return real, to_uint8(fake)  # (n, size, size, 3) each
