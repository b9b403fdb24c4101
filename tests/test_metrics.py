"""Metrics: Frechet distance against hand-computable cases, coverage on crafted probabilities,
and the shipped classifier (>= 97% on the held-out 1,000 it never trained on)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from torch import nn

from gan_core import metrics
from gan_core.checkpoints import files_of
from gan_core.data.mnist import load_embedded_mnist, split_holdout


def test_frechet_identical_sets_is_zero():
    f = np.random.default_rng(0).normal(size=(500, 16))
    assert metrics.frechet_distance(f, f) == pytest.approx(0.0, abs=1e-8)


def test_frechet_shifted_gaussian_is_squared_mean_difference():
    # b = a + delta has exactly the same covariance, so d^2 = |delta|^2 (the trace terms cancel)
    a = np.random.default_rng(1).normal(size=(2000, 6)) @ np.random.default_rng(2).normal(size=(6, 6))
    delta = np.array([1.0, -2.0, 0.5, 0.0, 3.0, 1.0])
    assert metrics.frechet_distance(a, a + delta) == pytest.approx(float(delta @ delta), rel=1e-9)


def test_frechet_from_stats_hand_computed_and_non_commuting():
    # diagonal covariances: d^2 = |mu1-mu2|^2 + sum (sqrt(s1) - sqrt(s2))^2
    mu1, mu2 = np.zeros(3), np.array([1.0, 0.0, 0.0])
    s1, s2 = np.diag([1.0, 4.0, 9.0]), np.diag([4.0, 4.0, 1.0])
    assert metrics.frechet_from_stats(mu1, s1, mu2, s2) == pytest.approx(1 + 1 + 0 + 4)
    # general case vs the eigenvalues of the (non-symmetric) product S1 S2, which are real and >= 0
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(8, 8)), rng.normal(size=(8, 8))
    s1, s2 = a @ a.T + 1e-3 * np.eye(8), b @ b.T
    tr_sqrt = np.sqrt(np.clip(np.linalg.eigvals(s1 @ s2).real, 0, None)).sum()
    expected = np.trace(s1) + np.trace(s2) - 2 * tr_sqrt
    assert metrics.frechet_from_stats(np.zeros(8), s1, np.zeros(8), s2) == pytest.approx(expected, rel=1e-6)
    # rank-deficient covariance (fewer samples than dims) must not produce NaN
    few = rng.normal(size=(5, 32))
    assert np.isfinite(metrics.frechet_distance(few, few + 1.0))


def test_histogram_coverage_confidence_on_crafted_probs():
    probs = np.full((100, 10), 0.02)
    probs[:60, 3], probs[60:96, 7], probs[96:, 0] = 0.82, 0.82, 0.82  # 60% threes, 36% sevens, 4% zeros
    hist = metrics.class_histogram(probs)
    assert hist[3] == pytest.approx(0.6) and hist[7] == pytest.approx(0.36) and hist[0] == pytest.approx(0.04)
    assert hist.sum() == pytest.approx(1.0)
    assert metrics.mode_coverage(hist) == 2  # 4% < the 5% threshold
    assert metrics.mode_coverage(hist, min_share=0.04) == 3
    assert metrics.mean_confidence(probs) == pytest.approx(0.82)
    assert metrics.mode_coverage(np.full(10, 0.1)) == 10


def test_to_input_accepts_uint8_and_float():
    u8 = np.array([[[0, 255]]], dtype=np.uint8)  # (1, 1, 2)
    torch.testing.assert_close(metrics.to_input(u8), torch.tensor([[[[-1.0, 1.0]]]]))
    assert metrics.to_input(torch.zeros(4, 1, 28, 28)).shape == (4, 1, 28, 28)


@pytest.fixture(scope="module")
def holdout():
    return split_holdout(load_embedded_mnist(), per_class=100)[1]


def test_shipped_classifier_accuracy_on_holdout(holdout):
    assert len(holdout) == 1000 and np.bincount(holdout.labels).tolist() == [100] * 10
    acc = metrics.accuracy(holdout.images, holdout.labels)
    assert acc >= 0.97
    meta = json.loads(files_of(metrics.CLASSIFIER_STEM)[1].read_text())
    assert meta["metrics"]["holdout_accuracy"] == pytest.approx(acc, abs=1e-3)  # recorded honestly
    assert meta["recipe"].startswith("python -m gan_core train --family classifier")


class ReplayG(nn.Module):
    """A fake 'generator' that returns real digits (chosen by z, or of class y when conditional)."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, *, only: int | None = None) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))  # evaluate_generator finds the device from a parameter
        keep = labels == only if only is not None else np.ones(len(labels), bool)
        self.images = torch.tensor(images[keep]).float().unsqueeze(1) / 127.5 - 1
        self.labels = torch.tensor(labels[keep])

    def forward(self, z, y=None):
        idx = (z[:, 0].abs() * 1e4).long() % len(self.images)
        if y is not None:  # pick an image of the requested class
            idx = torch.stack([torch.nonzero(self.labels == c)[int(i) % 100, 0] for c, i in zip(y, idx)])
        return self.images[idx] + 0 * self.w


def test_evaluate_generator_tells_good_from_collapsed(holdout):
    real, kw = (
        load_embedded_mnist(),
        {"z_dim": 4, "n_real": 2000},
    )  # real statistics are cached after the 1st call
    G = ReplayG(holdout.images, holdout.labels).train()
    good = metrics.evaluate_generator(G, n=600, real=real, **kw)
    assert G.training  # evaluated in eval mode, then put back
    collapsed = metrics.evaluate_generator(
        ReplayG(holdout.images, holdout.labels, only=1), n=300, real=real, **kw
    )
    assert set(good) >= {"fid", "coverage", "class_hist", "confidence"} and len(good["class_hist"]) == 10
    assert good["coverage"] == 10 and good["confidence"] > 0.9 and good["n"] == 600 and good["n_real"] == 2000
    assert collapsed["coverage"] == 1 and collapsed["class_hist"][1] > 0.95
    assert collapsed["fid"] > 10 * good["fid"]
    floor = metrics.real_floor_fid(holdout)  # 500 vs 500 real digits
    assert 0 < floor < collapsed["fid"]
    cond = metrics.evaluate_generator(G, n=300, real=real, conditional=True, **kw)
    assert cond["label_accuracy"] >= 0.95 and cond["coverage"] == 10
