"""Detector evaluation: AP and accuracy against hand-computed values, thresholds, game rounds, scoring."""

import math

import numpy as np
import pytest

from gan_core.detection import (
    accuracy_at,
    accuracy_curve,
    advice_reliance,
    average_precision,
    best_threshold,
    detector_table,
    machine_answers,
    make_rounds,
    score_game,
    sigmoid,
)


def test_average_precision_by_hand():
    # ranked: 0.9 fake (P=1, R=1/2), 0.8 real, 0.7 fake (P=2/3, R=1), 0.1 real
    # AP = sum (R_n - R_{n-1}) P_n = 1/2 * 1 + 1/2 * 2/3 = 5/6
    assert average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx(5 / 6)
    assert average_precision([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]) == pytest.approx(1.0)
    # a tie between a real and a fake: one threshold, precision 1/2 at recall 1
    assert average_precision([1, 0], [0.5, 0.5]) == pytest.approx(0.5)
    # AP depends on the order only: any increasing transform of the scores keeps it
    s = np.array([0.9, 0.8, 0.7, 0.1])
    assert average_precision([1, 0, 1, 0], np.log(s) * 7 - 3) == pytest.approx(5 / 6)


def test_average_precision_refuses_one_class_and_bad_input():
    with pytest.raises(ValueError, match="both"):
        average_precision([1, 1], [0.2, 0.3])
    with pytest.raises(ValueError):
        average_precision([1, 0], [0.2, math.nan])
    with pytest.raises(ValueError):
        average_precision([1, 2], [0.2, 0.3])
    with pytest.raises(ValueError):
        average_precision([1, 0, 1], [0.2, 0.3])


def test_accuracy_at_threshold_by_hand():
    y = [1, 1, 1, 0, 0]
    s = [0.9, 0.6, 0.3, 0.4, 0.1]
    r = accuracy_at(y, s, 0.5)  # called fake: 0.9, 0.6 -> right: 2 fakes + 2 reals = 4/5
    assert (r.accuracy, r.fake_accuracy, r.real_accuracy) == pytest.approx((0.8, 2 / 3, 1.0))
    r = accuracy_at(y, s, 0.2)  # called fake: 0.9 0.6 0.3 0.4 -> 3 fakes + 1 real right = 4/5
    assert (r.accuracy, r.fake_accuracy, r.real_accuracy) == pytest.approx((0.8, 1.0, 0.5))
    # a score equal to the threshold is called real
    assert accuracy_at([1], [0.5], 0.5).accuracy == 0.0
    assert accuracy_at([0], [0.5], 0.5).accuracy == 1.0
    assert math.isnan(accuracy_at([0, 0], [0.1, 0.2]).fake_accuracy)
    with pytest.raises(ValueError):
        accuracy_at(y, s, math.inf)


def test_high_ap_but_accuracy_collapses_at_half_when_miscalibrated():
    # an unseen generator: fakes ranked above every real image, but all below 0.5 (Wang et al.'s lesson)
    y = np.array([0] * 50 + [1] * 50)
    s = np.concatenate([np.linspace(0.01, 0.1, 50), np.linspace(0.2, 0.45, 50)])
    assert average_precision(y, s) == pytest.approx(1.0)
    r = accuracy_at(y, s, 0.5)
    assert r.accuracy == pytest.approx(0.5) and r.fake_accuracy == 0.0 and r.real_accuracy == 1.0
    cut, best = best_threshold(y, s)
    assert best == pytest.approx(1.0) and 0.1 < cut < 0.2


def test_accuracy_curve_matches_pointwise_and_best_threshold():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 60)
    s = rng.normal(size=60) + y
    t = np.array([-1.0, 0.0, 0.5, 2.0])
    curve = accuracy_curve(y, s, t)
    for i, th in enumerate(t):
        r = accuracy_at(y, s, th)
        assert curve["accuracy"][i] == pytest.approx(r.accuracy)
        assert curve["real_accuracy"][i] == pytest.approx(r.real_accuracy)
        assert curve["fake_accuracy"][i] == pytest.approx(r.fake_accuracy)
    cut, best = best_threshold(y, s)
    dense = accuracy_curve(y, s, np.linspace(s.min() - 1, s.max() + 1, 2001))["accuracy"]
    assert best >= dense.max() - 1e-12 and accuracy_at(y, s, cut).accuracy == pytest.approx(best)


def test_sigmoid_is_stable_and_maps_logit_zero_to_half():
    p = sigmoid(np.array([-1000.0, 0.0, 1000.0, math.log(3)]))
    assert p == pytest.approx([0.0, 0.5, 1.0, 0.75])
    assert np.isfinite(p).all()


def test_detector_table_rows():
    real = np.array([0.1, 0.2, 0.3, 0.4])
    rows = detector_table(real, {"seen": np.array([0.8, 0.9]), "unseen": np.array([0.35, 0.45])}, 0.5)
    seen, unseen = rows
    assert seen["generator"] == "seen" and seen["ap"] == pytest.approx(1.0) and seen["accuracy"] == 1.0
    # unseen: ranking 0.45 > 0.4 > 0.35 > 0.3: precision 1 at R=1/2, then 2/3 at R=1 -> AP 5/6
    assert unseen["ap"] == pytest.approx(5 / 6)
    assert unseen["accuracy"] == pytest.approx(4 / 6) and unseen["fake_accuracy"] == 0.0
    assert unseen["best_accuracy"] == pytest.approx(5 / 6)
    assert (unseen["n_real"], unseen["n_fake"]) == (4, 2)


def _pools():
    real = np.stack([np.full((2, 2), i, np.uint8) for i in range(10)])  # real image i is filled with i
    fake = np.stack([np.full((2, 2), 100 + i, np.uint8) for i in range(12)])  # fake j with 100 + j
    return real, fake


def test_single_rounds_balanced_seeded_and_consistent():
    real, fake = _pools()
    r = make_rounds(real, fake, 8, kind="single", seed=3)
    assert r.images.shape == (8, 2, 2) and len(r) == 8
    assert r.answer.sum() == 4  # exactly half are fakes
    is_fake_image = r.images[:, 0, 0] >= 100
    assert np.array_equal(is_fake_image, r.answer == 1)
    assert np.array_equal(r.images[r.answer == 1, 0, 0], 100 + r.fake_index[r.answer == 1])
    assert np.array_equal(r.images[r.answer == 0, 0, 0], r.real_index[r.answer == 0])
    assert (r.fake_index[r.answer == 0] == -1).all() and (r.real_index[r.answer == 1] == -1).all()
    used = r.images[:, 0, 0]
    assert len(set(used.tolist())) == 8  # no image twice
    again = make_rounds(real, fake, 8, kind="single", seed=3)
    assert np.array_equal(again.images, r.images) and np.array_equal(again.answer, r.answer)
    other = make_rounds(real, fake, 8, kind="single", seed=4)
    assert not np.array_equal(other.images, r.images)


def test_pair_rounds_put_the_fake_left_in_half_the_rounds():
    real, fake = _pools()
    r = make_rounds(real, fake, 10, kind="pair", seed=0)
    assert r.images.shape == (10, 2, 2, 2)
    assert r.answer.sum() == 5
    for k in range(10):
        fake_pos = r.answer[k]
        assert r.images[k, fake_pos, 0, 0] == 100 + r.fake_index[k]
        assert r.images[k, 1 - fake_pos, 0, 0] == r.real_index[k]
    assert len(set(r.real_index.tolist())) == 10 and len(set(r.fake_index.tolist())) == 10


def test_rounds_refuse_bad_requests():
    real, fake = _pools()
    with pytest.raises(ValueError, match="even"):
        make_rounds(real, fake, 7)
    with pytest.raises(ValueError, match="need"):
        make_rounds(real, fake, 12, kind="pair")  # 12 real images needed, 10 there
    with pytest.raises(ValueError, match="shape"):
        make_rounds(real, fake[:, :1], 4)
    with pytest.raises(ValueError, match="kind"):
        make_rounds(real, fake, 4, kind="triple")


def test_machine_answers_and_score_game_by_hand():
    real, fake = _pools()
    single = make_rounds(real, fake, 4, kind="single", seed=1)
    scores = np.where(single.answer == 1, 0.9, 0.2)
    scores[0] = 0.5  # a tie with the threshold counts as "real"
    m = machine_answers(single, scores, 0.5)
    assert m[1:].tolist() == single.answer[1:].tolist() and m[0] == 0
    pair = make_rounds(real, fake, 4, kind="pair", seed=1)
    pscores = np.array([[0.1, 0.9], [0.8, 0.3], [0.4, 0.4], [0.2, 0.6]])
    assert machine_answers(pair, pscores).tolist() == [1, 0, 0, 1]
    with pytest.raises(ValueError):
        machine_answers(pair, pscores[:, 0])
    # truth 0 1 1 0 1 0; human right on rounds 0,1,2,3; machine right on 0,2,4
    s = score_game([0, 1, 1, 0, 1, 0], [0, 1, 1, 0, 0, 1], [0, 0, 1, 1, 1, 1])
    assert (s.n, s.human_correct, s.machine_correct) == (6, 4, 3)
    assert (s.both_correct, s.human_only, s.machine_only, s.both_wrong) == (2, 2, 1, 1)
    assert s.human_accuracy == pytest.approx(4 / 6) and s.machine_accuracy == pytest.approx(0.5)
    with pytest.raises(ValueError):
        score_game([0, 1], [0, 2], [0, 1])


def test_advice_reliance_by_hand():
    # advice right on rounds 0,1,2 and wrong on 3,4; the player follows it on 0,1,3,4
    r = advice_reliance([1, 0, 1, 0, 1], [1, 0, 0, 1, 0], [1, 0, 1, 1, 0])
    assert r["advice_accuracy"] == pytest.approx(3 / 5)
    assert r["followed"] == pytest.approx(4 / 5)
    assert r["followed_when_right"] == pytest.approx(2 / 3)
    assert r["followed_when_wrong"] == pytest.approx(1.0)
    assert r["human_accuracy"] == pytest.approx(2 / 5)
    assert math.isnan(advice_reliance([1, 0], [1, 0], [1, 0])["followed_when_wrong"])


def test_detector_returns_unbounded_logits_per_image():
    import torch

    from gan_core.models.detector import Detector, DetectorConfig

    torch.manual_seed(0)
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        det = Detector(config=DetectorConfig(base=4))
        x = torch.rand(5, 1, 28, 28) * 2 - 1
        out = det(x)
        assert out.shape == (5,)
        out.sum().backward()  # trainable end to end
        assert det.features[0].weight.grad is not None
        # no sigmoid at the end: scaling the last layer scales the logits beyond (0, 1)
        with torch.no_grad():
            det.head[-1].weight.mul_(1e4)
        det.eval()
        assert det(x).abs().max() > 1.0
    finally:
        torch.set_num_threads(n)


@pytest.mark.parametrize(
    "bad", [{"base": 0}, {"base": math.nan}, {"dropout": 1.0}, {"dropout": math.nan}, {"img_size": 30}]
)
def test_detector_config_refuses_bad_values(bad):
    from gan_core.models.detector import DetectorConfig

    with pytest.raises(ValueError):
        DetectorConfig(**bad)
