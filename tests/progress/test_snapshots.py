"""Stored skill levels: pages read them, and every change to a person's scored work makes them recomputed."""
from sqlmodel import select

from coach.models import SkillSnapshot
from coach.progress.history import current_levels, levels_for, levels_with_history
from coach.progress.snapshots import SERIES_POINTS

SCORES = {"active_listening": 40, "empathy": 50, "clarity": 60, "jargon": 70, "ownership": 80}


def _same_numbers(stored, computed):
    for skill, level in computed.items():
        assert (stored[skill].level, stored[skill].low, stored[skill].high, stored[skill].trend, stored[skill].count) == \
            (level.level, level.low, level.high, level.trend, level.count)


def test_stored_levels_match_the_full_computation(session, team_setup, add_attempt, add_review):
    ann = team_setup["ann"]
    for days, shift in ((30, 0), (12, 10), (2, 20)):
        add_attempt(ann, "late-delivery", {k: v + shift for k, v in SCORES.items()}, days_ago=days)
    add_review(ann, team_setup["rita"], {"empathy": 90}, days_ago=1)
    _same_numbers(current_levels(session, [ann])[ann.id], levels_for(session, [ann])[ann.id])
    _same_numbers(current_levels(session, [ann])[ann.id], levels_for(session, [ann])[ann.id])  # now from the table
    assert session.get(SkillSnapshot, ann.id).computed_for == session.get(SkillSnapshot, ann.id).changes


def test_a_new_attempt_an_override_and_a_finalised_review_each_refresh_the_stored_levels(session, team_setup, add_attempt,
                                                                                          add_review):
    ann = team_setup["ann"]
    attempt = add_attempt(ann, "late-delivery", SCORES, days_ago=3)
    assert current_levels(session, [ann])[ann.id]["empathy"].level == 50
    add_attempt(ann, "late-delivery", {**SCORES, "empathy": 90}, days_ago=1)
    assert current_levels(session, [ann])[ann.id]["empathy"].count == 2
    attempt.scores = {**SCORES, "empathy": 10}  # what a trainer's override does to the attempt
    session.add(attempt)
    session.commit()
    _same_numbers(current_levels(session, [ann])[ann.id], levels_for(session, [ann])[ann.id])
    review = add_review(ann, team_setup["rita"], {"empathy": 100}, final=False)
    before = current_levels(session, [ann])[ann.id]["empathy"]
    assert before.count == 2  # a draft does not count
    review.status, review.finalised_at = "final", attempt.finished_at
    session.add(review)
    session.commit()
    assert current_levels(session, [ann])[ann.id]["empathy"].count == 3


def test_the_progress_chart_keeps_only_the_latest_observations_but_the_level_counts_all(session, team_setup, add_attempt):
    ann = team_setup["ann"]
    for day in range(SERIES_POINTS + 5):
        add_attempt(ann, "late-delivery", SCORES, days_ago=SERIES_POINTS + 5 - day)
    levels, after = levels_with_history(session, ann)
    assert levels["empathy"].count == SERIES_POINTS + 5
    assert len(levels["empathy"].observations) == len(after["empathy"]) == SERIES_POINTS
    assert session.exec(select(SkillSnapshot)).one().user_id == ann.id
