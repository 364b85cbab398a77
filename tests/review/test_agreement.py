"""The agreement statistics, against published values and cases worked by hand."""
from datetime import datetime, timezone

import pytest

from coach.review.agreement import AI, RatedCall, alerts, bias, estimate, icc_oneway, report

# Shrout & Fleiss (1979), Table 2: six targets rated by four judges; ICC(1,1) = 0.17
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
SKILLS = ("active_listening", "empathy", "clarity", "jargon", "ownership")


def test_icc_matches_shrout_and_fleiss():
    assert icc_oneway(SHROUT_FLEISS) == pytest.approx(0.1657, abs=1e-4)


def test_icc_is_one_for_identical_ratings_and_minus_one_for_opposed_pairs():
    assert icc_oneway([[10, 10], [50, 50], [90, 90]]) == pytest.approx(1.0)
    # two units whose raters disagree exactly as much as the units differ: all variance is within units
    assert icc_oneway([[1, 2], [2, 1]]) == pytest.approx(-1.0)


def test_icc_is_undefined_without_two_units_or_any_variation():
    assert icc_oneway([[50, 60]]) is None
    assert icc_oneway([[50, 50], [50, 50]]) is None


def test_bootstrap_interval_brackets_the_estimate_and_narrows_with_more_calls():
    close = [[(60 + i, 62 + i)] for i in range(0, 40, 4)]
    noisy = [[(60 + i, 40 + (i * 7) % 50)] for i in range(0, 40, 4)]
    good, bad = estimate(close, rounds=300), estimate(noisy, rounds=300)
    assert good.low <= good.value <= good.high and good.value > 0.9
    assert bad.value < good.value and bad.high - bad.low > good.high - good.low
    assert estimate(close[:1]).low is None  # one call: no interval


def _call(key, month, version, ai, people):
    at = datetime(2026, month, 1, tzinfo=timezone.utc)
    return RatedCall(key, at, version, {d: ai for d in SKILLS}, {name: {d: score for d in SKILLS} for name, score in people.items()})


def test_bias_names_the_strictest_and_most_lenient_reviewer_and_the_ai_offset():
    calls = [_call(1, 1, "v1", 70, {"Rita": 40, "Vic": 80}), _call(2, 1, "v1", 50, {"Rita": 30, "Vic": 60})]
    offsets = bias(calls, "empathy")
    assert offsets == {AI: 7.5, "Rita": -17.5, "Vic": 17.5}  # AI: +10 on a mean of 60, +5 on 45
    row = report(calls, rounds=50)[1]
    assert row.strictest == "Rita" and row.most_lenient == "Vic" and row.trend[0][0] == "2026-01"


def test_alert_when_ai_agreement_drops_after_a_scoring_change():
    before = [_call(i, 1, "default@1", 20 + 15 * i, {"Rita": 22 + 15 * i, "Vic": 18 + 15 * i}) for i in range(4)]
    after = [_call(10 + i, 2, "default@2", 90 - 20 * i, {"Rita": 20 + 15 * i, "Vic": 24 + 15 * i}) for i in range(4)]
    assert alerts(before) == []
    found = alerts(before + after)
    assert [a.dimension for a in found] == list(SKILLS)
    assert found[0].old_version == "default@1" and found[0].new_version == "default@2" and found[0].after < found[0].before
    assert alerts(before + after[:2]) == []  # too few calls under the new version to judge
