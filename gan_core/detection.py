"""Evaluating fake detectors, human or machine: average precision, accuracy at a threshold, game rounds.

Convention everywhere: label 1 = generated ("fake", the positive class, as in Wang et al. 2020),
0 = real; a higher score means "more likely generated", and a score > threshold is called fake.
Scores may be logits (threshold 0) or probabilities (threshold 0.5); `sigmoid` converts.

Why both numbers. Average precision (AP) only looks at the ORDER of the scores: it is high when
fakes are ranked above reals, whatever the threshold. Accuracy at a threshold also needs the scores
to sit on the right side of that threshold. A detector trained on one generator often still ranks
another generator's fakes above real images (high AP) while scoring them all below 0.5 (accuracy
near 50%): it is miscalibrated, not blind. Wang et al. (CVPR 2020), trained on ProGAN: StyleGAN
AP 98.5 but accuracy 73.4; BigGAN AP 88.2, accuracy 59.0 (see `gan_core.deepfake_facts`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score

__all__ = [
    "GameRounds",
    "GameScore",
    "ThresholdReport",
    "accuracy_at",
    "accuracy_curve",
    "advice_reliance",
    "average_precision",
    "best_threshold",
    "detector_table",
    "machine_answers",
    "make_rounds",
    "score_game",
    "sigmoid",
]

KINDS = ("single", "pair")


def _labels_scores(is_fake: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(is_fake).reshape(-1)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    if y.shape != s.shape:
        raise ValueError(f"labels and scores differ in length: {y.shape[0]} vs {s.shape[0]}")
    if y.size == 0:
        raise ValueError("no labels given")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("labels must be 0 (real) or 1 (generated)")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite (NaN or inf found)")
    return y.astype(np.int64), s


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """Probability of "generated" from logits, without overflow for large |logit|."""
    x = np.asarray(logits, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -x))


def average_precision(is_fake: np.ndarray, scores: np.ndarray) -> float:
    """AP = sum_n (R_n - R_{n-1}) P_n over thresholds at each score (scikit-learn's definition):
    the area under the precision-recall curve of the "generated" class. Needs both classes."""
    y, s = _labels_scores(is_fake, scores)
    if y.min() == y.max():
        raise ValueError("average precision needs both real (0) and generated (1) examples")
    return float(average_precision_score(y, s))


@dataclass(frozen=True)
class ThresholdReport:
    threshold: float
    accuracy: float  # share of all images classified right
    real_accuracy: float  # share of real images called real (NaN if there are none)
    fake_accuracy: float  # share of generated images called generated (NaN if there are none)


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else math.nan


def accuracy_at(is_fake: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> ThresholdReport:
    """Accuracy when every score > threshold is called generated (a tie counts as real)."""
    if not math.isfinite(threshold):
        raise ValueError(f"threshold must be finite, got {threshold}")
    y, s = _labels_scores(is_fake, scores)
    called = s > threshold
    right = called == (y == 1)
    return ThresholdReport(
        threshold=float(threshold),
        accuracy=float(right.mean()),
        real_accuracy=_share(right[y == 0]),
        fake_accuracy=_share(right[y == 1]),
    )


def accuracy_curve(is_fake: np.ndarray, scores: np.ndarray, thresholds: np.ndarray) -> dict[str, np.ndarray]:
    """Accuracy, real and fake accuracy at each of `thresholds` (for a threshold slider's chart)."""
    y, s = _labels_scores(is_fake, scores)
    t = np.asarray(thresholds, dtype=np.float64).reshape(-1)
    if not np.isfinite(t).all():
        raise ValueError("thresholds must be finite")
    called = s[None, :] > t[:, None]  # (T, N)
    right = called == (y == 1)[None, :]
    with np.errstate(invalid="ignore"):
        return {
            "threshold": t,
            "accuracy": right.mean(axis=1),
            "real_accuracy": right[:, y == 0].mean(axis=1) if (y == 0).any() else np.full(t.shape, np.nan),
            "fake_accuracy": right[:, y == 1].mean(axis=1) if (y == 1).any() else np.full(t.shape, np.nan),
        }


def best_threshold(is_fake: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """(threshold, accuracy) of the best possible cut, chosen WITH the labels (an oracle: it shows
    what a recalibrated detector could reach, not what it would reach on new data)."""
    y, s = _labels_scores(is_fake, scores)
    u = np.unique(s)
    # candidates: below everything, and midway between neighbouring distinct scores
    candidates = np.concatenate([[u[0] - 1.0], (u[:-1] + u[1:]) / 2.0, [u[-1]]])
    acc = accuracy_curve(y, s, candidates)["accuracy"]
    i = int(np.argmax(acc))  # first best: ties go to the lowest threshold
    return float(candidates[i]), float(acc[i])


def detector_table(
    real_scores: np.ndarray, fake_scores: Mapping[str, np.ndarray], threshold: float = 0.5
) -> list[dict[str, float | str | int]]:
    """One row per generator: AP and accuracy of real images vs that generator's fakes.

    The same real images are used in every row, as in Wang et al.'s per-generator test sets."""
    real = np.asarray(real_scores, dtype=np.float64).reshape(-1)
    rows: list[dict[str, float | str | int]] = []
    for name, fakes in fake_scores.items():
        fake = np.asarray(fakes, dtype=np.float64).reshape(-1)
        y = np.concatenate([np.zeros(real.size, np.int64), np.ones(fake.size, np.int64)])
        s = np.concatenate([real, fake])
        report = accuracy_at(y, s, threshold)
        cut, best = best_threshold(y, s)
        rows.append({
            "generator": name,
            "n_real": int(real.size),
            "n_fake": int(fake.size),
            "ap": average_precision(y, s),
            "accuracy": report.accuracy,
            "real_accuracy": report.real_accuracy,
            "fake_accuracy": report.fake_accuracy,
            "best_threshold": cut,
            "best_accuracy": best,
        })
    return rows


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays inside
class GameRounds:
    """Rounds of "spot the fake". kind "single": one image per round, `answer` 1 if it is generated.
    kind "pair": one real and one generated image per round, `answer` = position (0/1) of the fake."""

    kind: str
    images: np.ndarray  # single: (n, *image_shape); pair: (n, 2, *image_shape)
    answer: np.ndarray  # int64 (n,)
    real_index: np.ndarray  # int64 (n,): row of the real input used, -1 where none
    fake_index: np.ndarray  # int64 (n,): row of the fake input used, -1 where none

    def __len__(self) -> int:
        return int(self.answer.shape[0])


def make_rounds(real: np.ndarray, fake: np.ndarray, n_rounds: int, *, kind: str = "single", seed: int = 0) -> GameRounds:
    """Balanced, seeded rounds from arrays of real and generated images (same image shape).

    "single": exactly half the rounds show a fake, in random order. "pair": the fake is on the left
    in exactly half the rounds. No image is used twice. `n_rounds` must be even."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if n_rounds < 2 or n_rounds % 2:
        raise ValueError(f"n_rounds must be an even number >= 2, got {n_rounds}")
    real, fake = np.asarray(real), np.asarray(fake)
    if real.shape[1:] != fake.shape[1:]:
        raise ValueError(f"real and fake images differ in shape: {real.shape[1:]} vs {fake.shape[1:]}")
    need = n_rounds // 2 if kind == "single" else n_rounds
    if len(real) < need or len(fake) < need:
        raise ValueError(f"{n_rounds} {kind} rounds need {need} real and {need} fake images, "
                         f"got {len(real)} and {len(fake)}")
    rng = np.random.default_rng(seed)
    real_idx = rng.choice(len(real), need, replace=False).astype(np.int64)
    fake_idx = rng.choice(len(fake), need, replace=False).astype(np.int64)
    answer = rng.permutation(np.arange(n_rounds) % 2).astype(np.int64)  # half 0, half 1
    if kind == "single":
        real_at = np.full(n_rounds, -1, np.int64)
        fake_at = np.full(n_rounds, -1, np.int64)
        real_at[answer == 0], fake_at[answer == 1] = real_idx, fake_idx
        images = np.where(
            (answer == 1).reshape((-1,) + (1,) * (real.ndim - 1)),
            fake[np.maximum(fake_at, 0)],
            real[np.maximum(real_at, 0)],
        )
        return GameRounds(kind=kind, images=images, answer=answer, real_index=real_at, fake_index=fake_at)
    pair = np.stack([real[real_idx], fake[fake_idx]], axis=1)  # (n, 2, ...): fake on the right
    left_fake = answer == 0
    pair[left_fake] = pair[left_fake][:, ::-1]  # fake on the left where answer == 0
    return GameRounds(kind=kind, images=pair, answer=answer, real_index=real_idx, fake_index=fake_idx)


def machine_answers(rounds: GameRounds, scores: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """A detector's answers in the game's terms. single: scores (n,) -> 1 where score > threshold;
    pair: scores (n, 2) -> the position with the higher "generated" score (the threshold is unused:
    a pair needs only the ranking, like AP)."""
    s = np.asarray(scores, dtype=np.float64)
    if rounds.kind == "single":
        if s.shape != (len(rounds),):
            raise ValueError(f"single rounds need scores of shape ({len(rounds)},), got {s.shape}")
        return (s > threshold).astype(np.int64)
    if s.shape != (len(rounds), 2):
        raise ValueError(f"pair rounds need scores of shape ({len(rounds)}, 2), got {s.shape}")
    return (s[:, 1] > s[:, 0]).astype(np.int64)  # a tie picks the left image


@dataclass(frozen=True)
class GameScore:
    n: int
    human_correct: int
    machine_correct: int
    both_correct: int
    human_only: int  # the human right, the machine wrong
    machine_only: int
    both_wrong: int

    @property
    def human_accuracy(self) -> float:
        return self.human_correct / self.n

    @property
    def machine_accuracy(self) -> float:
        return self.machine_correct / self.n


def _answers(name: str, values: np.ndarray, n: int) -> np.ndarray:
    a = np.asarray(values).reshape(-1)
    if a.shape[0] != n or not np.isin(a, (0, 1)).all():
        raise ValueError(f"{name} must be {n} answers, each 0 or 1")
    return a.astype(np.int64)


def score_game(answer: np.ndarray, human: np.ndarray, machine: np.ndarray) -> GameScore:
    """Human vs machine on the same rounds (answers as in `GameRounds.answer`)."""
    truth = np.asarray(answer).reshape(-1)
    n = truth.shape[0]
    if n == 0:
        raise ValueError("no rounds to score")
    h = _answers("human", human, n) == _answers("answer", truth, n)
    m = _answers("machine", machine, n) == truth
    return GameScore(
        n=n,
        human_correct=int(h.sum()),
        machine_correct=int(m.sum()),
        both_correct=int((h & m).sum()),
        human_only=int((h & ~m).sum()),
        machine_only=int((~h & m).sum()),
        both_wrong=int((~h & ~m).sum()),
    )


def advice_reliance(answer: np.ndarray, human: np.ndarray, advice: np.ndarray) -> dict[str, float]:
    """How a player used a tool's advice: did they follow it also when it was wrong (over-reliance)?

    Rates are NaN when there was no round of that kind (e.g. the advice was never wrong)."""
    truth = np.asarray(answer).reshape(-1)
    n = truth.shape[0]
    if n == 0:
        raise ValueError("no rounds to score")
    truth = _answers("answer", truth, n)
    h, a = _answers("human", human, n), _answers("advice", advice, n)
    followed, advice_right = h == a, a == truth
    return {
        "n": float(n),
        "human_accuracy": float((h == truth).mean()),
        "advice_accuracy": float(advice_right.mean()),
        "followed": float(followed.mean()),
        "followed_when_right": _share(followed[advice_right]),
        "followed_when_wrong": _share(followed[~advice_right]),
    }
