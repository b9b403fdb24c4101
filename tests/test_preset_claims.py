"""The preset claims that bench.preset_claims judges: every preset has one, the fast start's promise
matches its sentence in every language, and each check tells a run that does what the sentence says
from one that does not (traces built by hand; the benchmark judges real runs)."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from gan_core.training.preset_claims import CLAIMS, FAST_DIGITS_STEPS
from gan_core.training.preset_trace import TracePoint
from gan_core.training.presets import PRESETS

ROOT = Path(__file__).resolve().parents[1]


def point(step: int, **values) -> TracePoint:
    base = {"step": step, "seconds": step / 20, "d_loss": 0.6, "g_loss": 1.2, "g_loss_std": 0.35, "d_real": 0.62,
            "d_fake": 0.42, "g_grad_norm": 2.8, "coverage": 2, "min_share": 0.0, "top_share": 0.8, "confidence": 0.9,
            "fid": 900.0}
    return TracePoint(**{**base, **values})


def trace(n: int = 8, **values) -> list[TracePoint]:
    return [point(250 * (i + 1), **values) for i in range(n)]


COURSE = trace()  # the course settings as measured: 1-3 digits, D(G(z)) ~ 0.4


def test_every_preset_has_a_claim():
    assert set(CLAIMS) == set(PRESETS)


@pytest.mark.parametrize("lang", ["en", "zh-TW", "zh-CN", "pl"])
def test_fast_sentence_promises_the_checked_step_count(lang):
    text = json.loads((ROOT / "assets/i18n" / lang / "train.json").read_text(encoding="utf-8"))["train.preset_fast_watch"]
    numbers = {int(re.sub(r"\D", "", n)) for n in re.findall(r"\d[\d,  ]*\d|\d", text)}
    assert FAST_DIGITS_STEPS in numbers, (lang, text)


def test_fast_claim_needs_digits_by_the_promised_step_and_keeps_most_of_them():
    good = trace(coverage=10, min_share=0.06, confidence=0.86)
    late = [dataclasses.replace(p, min_share=0.06 if p.step >= 2000 else 0.01) for p in good]
    lost = [dataclasses.replace(p, coverage=5, min_share=0.0) if p.step >= 1750 else p for p in good]
    assert CLAIMS["fast"](good, COURSE).holds
    assert not CLAIMS["fast"](late, COURSE).holds and not CLAIMS["fast"](lost, COURSE).holds


def test_course_claim_is_collapse():
    assert CLAIMS["course"](COURSE, COURSE).holds
    assert not CLAIMS["course"](trace(coverage=8, top_share=0.2), COURSE).holds


def test_beta1_claim_needs_a_winning_d_and_wide_swings():
    wins = trace(d_real=0.98, d_fake=0.03, g_loss_std=2.5)
    assert CLAIMS["beta1_high"](wins, COURSE).holds
    assert not CLAIMS["beta1_high"](trace(d_real=0.98, d_fake=0.03), COURSE).holds  # no wider swings
    assert not CLAIMS["beta1_high"](trace(g_loss_std=2.5), COURSE).holds  # D does not win


def test_lr_high_and_d_fast_and_saturating_claims():
    better = trace(coverage=8, fid=400.0)
    assert CLAIMS["lr_high"](better, COURSE).holds and not CLAIMS["lr_high"](COURSE, COURSE).holds
    assert CLAIMS["d_fast"](COURSE, COURSE).holds
    assert not CLAIMS["d_fast"](trace(d_fake=0.05), COURSE).holds
    assert CLAIMS["saturating"](COURSE, COURSE).holds
    assert not CLAIMS["saturating"](trace(coverage=1, fid=2500.0), COURSE).holds


def test_no_bn_claim_needs_a_single_digit():
    assert CLAIMS["no_bn"](trace(coverage=1, top_share=0.97), COURSE).holds
    assert not CLAIMS["no_bn"](trace(coverage=2, top_share=0.97), COURSE).holds
