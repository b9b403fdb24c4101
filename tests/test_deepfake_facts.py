"""The deepfake figures as data: every figure has a source and a date; the course's sums are checked."""

import math

import pytest

from gan_core.deepfake_facts import (
    DETECTOR_BASELINES,
    FACTS,
    HUMAN_BASELINES,
    SOURCES,
    TARGET_SECTORS_2020,
    fact,
)


def test_every_figure_names_a_known_source_and_a_date():
    for item in (*FACTS, *HUMAN_BASELINES, *DETECTOR_BASELINES):
        assert item.source in SOURCES, item
    for f in FACTS:
        assert f.describes and math.isfinite(f.value) and f.unit in ("count", "percent", "months")
    assert len({f.key for f in FACTS}) == len(FACTS)


def test_course_figures():
    assert fact("deepfakes_2019").value == 14_678 and fact("porn_share_2019").value == 96
    assert fact("doubling_months").value == 6
    with pytest.raises(KeyError, match="deepfakes_2019"):
        fact("nope")


def test_stated_sector_total_does_not_match_its_parts_and_says_so():
    parts = sum(fact(k).value for k in ("target_entertainment_2020", "target_fashion_2020", "target_sport_2020"))
    stated = fact("target_three_sectors_stated_2020")
    assert parts == pytest.approx(88.8)
    assert stated.value != pytest.approx(parts) and "88.8" in stated.caveat
    assert sum(TARGET_SECTORS_2020.values()) == pytest.approx(100.0)


def test_counts_are_consistent_with_doubling_about_every_six_months():
    # Dec 2018 -> Jul 2019 (7 months) and Jul 2019 -> Jun 2020 (11 months): growth per 6 months ~ 2
    a, b, c = (fact(k).value for k in ("deepfakes_dec_2018", "deepfakes_2019", "deepfakes_jun_2020"))
    for growth, months in ((b / a, 7), (c / b, 11)):
        assert 1.6 < growth ** (6 / months) < 2.4


def test_baselines():
    human = {h.key: h for h in HUMAN_BASELINES}
    assert human["untrained"].accuracy == 48.2 and human["trained"].accuracy == 59.0
    for h in HUMAN_BASELINES:
        assert h.ci95[0] < h.accuracy < h.ci95[1]
    wang = {d.tested_on: d for d in DETECTOR_BASELINES}
    assert (wang["StyleGAN"].ap, wang["StyleGAN"].accuracy) == (98.5, 73.4)
    assert (wang["BigGAN"].ap, wang["BigGAN"].accuracy) == (88.2, 59.0)
    # the lesson the page draws: on unseen generators AP stays above accuracy at 0.5
    assert all(d.ap >= d.accuracy for d in DETECTOR_BASELINES)
