"""The progress computation: recency weighting, confidence bands, trends and recommendations."""
from datetime import datetime, timedelta, timezone

from coach.progress.levels import (HALF_LIFE_DAYS, Observation, ScenarioChoice, recency_weights, recommend, skill_level,
                          skill_levels, smoothed_series, trend, weakest_skills)

NOW = datetime(2025, 6, 1, 12, tzinfo=timezone.utc)


def obs(days_ago: float, score: float, source: str = "roleplay") -> Observation:
    return Observation(NOW - timedelta(days=days_ago), score, source)


def test_an_observation_one_half_life_old_counts_half():
    weights = recency_weights([obs(0, 50), obs(HALF_LIFE_DAYS, 50), obs(2 * HALF_LIFE_DAYS, 50)], NOW)
    assert [round(w, 3) for w in weights] == [1.0, 0.5, 0.25]


def test_recent_scores_outweigh_old_ones():
    level = skill_level("empathy", [obs(60, 20), obs(1, 80)], NOW)
    assert level.level > 70  # far nearer the recent 80 than the plain mean of 50


def test_naive_datetimes_from_sqlite_are_read_as_utc():
    naive = Observation(NOW.replace(tzinfo=None) - timedelta(days=HALF_LIFE_DAYS), 40)
    assert round(recency_weights([naive], NOW)[0], 3) == 0.5


def test_the_band_narrows_as_observations_accumulate():
    widths = []
    for count in (1, 3, 10):
        level = skill_level("clarity", [obs(i * 0.5, 60 + (i % 2) * 10) for i in range(count)], NOW)
        assert level.low <= level.level <= level.high
        widths.append(level.high - level.low)
    assert widths[0] > widths[1] > widths[2]
    assert skill_level("clarity", [obs(0, 60)], NOW).confidence < skill_level("clarity", [obs(i, 60) for i in range(10)], NOW).confidence


def test_one_observation_gives_a_wide_band_even_when_scores_agree():
    level = skill_level("jargon", [obs(0, 50)], NOW)
    assert level.high - level.low >= 40 and level.confidence < 0.5


def test_scattered_scores_give_a_wider_band_than_steady_ones():
    steady = skill_level("ownership", [obs(i, 60) for i in range(8)], NOW)
    scattered = skill_level("ownership", [obs(i, 20 if i % 2 else 100) for i in range(8)], NOW)
    assert scattered.high - scattered.low > steady.high - steady.low


def test_a_skill_never_scored_is_unknown_with_no_confidence():
    level = skill_level("empathy", [], NOW)
    assert level.level is None and level.confidence == 0 and level.trend is None and not level.known


def test_trend_compares_the_last_n_with_the_n_before():
    assert trend([40, 40, 40, 70, 70, 70], window=3) == 30
    assert trend([90, 80, 60, 50], window=2) == -30
    assert trend([10, 50, 50, 50, 50, 50, 50], window=3) == 0  # the oldest score is outside both windows


def test_trend_uses_shorter_windows_while_history_is_short():
    assert trend([50]) is None
    assert trend([50, 65]) == 15


def test_skill_level_trend_follows_time_order_not_input_order():
    level = skill_level("clarity", [obs(1, 80), obs(10, 40), obs(5, 60), obs(20, 30)], NOW)
    assert level.trend > 0


def test_smoothed_series_lags_behind_a_jump():
    series = smoothed_series([obs(30, 40), obs(20, 40), obs(10, 90)])
    assert [value for _, value in series][:2] == [40, 40]
    assert 40 < series[-1][1] < 90


def test_skill_levels_covers_all_five_dimensions():
    levels = skill_levels({"empathy": [obs(0, 50)]}, NOW)
    assert set(levels) == {"active_listening", "empathy", "clarity", "jargon", "ownership"}
    assert levels["empathy"].level == 50 and levels["clarity"].level is None


def _levels(**scores):
    base = {skill: [obs(1, 80)] for skill in ("active_listening", "empathy", "clarity", "jargon", "ownership")}
    base.update({skill: [obs(1, value)] for skill, value in scores.items()})
    return skill_levels(base, NOW)


CHOICES = [
    ScenarioChoice("jargon-trap", "Router", ("jargon", "clarity"), "medium"),
    ScenarioChoice("angry-refund", "Refund", ("empathy", "ownership"), "medium"),
    ScenarioChoice("late-delivery", "Late", ("ownership", "empathy"), "easy"),
]


def test_recommendation_targets_the_weakest_skill():
    recommendation = recommend(_levels(jargon=30), CHOICES)
    assert recommendation.skill == "jargon" and recommendation.scenario.slug == "jargon-trap"
    assert "weakest" in recommendation.reason


def test_recommendation_prefers_a_scenario_whose_main_focus_is_the_skill():
    assert recommend(_levels(ownership=35), CHOICES).scenario.slug == "late-delivery"


def test_recommendation_prefers_an_assigned_step():
    choices = CHOICES + [ScenarioChoice("repeat-caller", "Repeat", ("active_listening", "empathy"), "hard", assigned=True)]
    assert recommend(_levels(empathy=20), choices).scenario.slug == "repeat-caller"


def test_recommendation_falls_back_to_the_next_weakest_skill_with_a_scenario():
    assert recommend(_levels(active_listening=10, empathy=30), CHOICES).skill == "empathy"


def test_unpractised_skills_count_as_weakest():
    levels = skill_levels({"empathy": [obs(1, 20)]}, NOW)
    assert weakest_skills(levels)[0] == "active_listening"


def test_weakness_is_measured_against_the_pass_marks():
    levels = _levels(empathy=60, jargon=65)
    assert weakest_skills(levels, {"jargon": 90, "empathy": 60})[0] == "jargon"


def test_no_recommendation_without_scenarios():
    assert recommend(_levels(), []) is None
