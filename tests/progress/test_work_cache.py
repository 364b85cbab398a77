"""Kept assignment statuses and recent attempts: reused while nobody's work changed, recomputed when it did."""
from datetime import timedelta

from coach.models import utcnow
from coach.progress.history import assignment_views, latest_attempts

PASSING = {"active_listening": 80, "empathy": 80, "clarity": 80, "jargon": 80, "ownership": 80}
FAILING = {**PASSING, "empathy": 20}


def _steps(session, assignment, now=None):
    return [step.state for step in assignment_views(session, [assignment], now)[0].status.steps]


def test_a_kept_status_follows_new_attempts_and_curriculum_edits(session, team_setup, curriculum, assign, add_attempt):
    ann = team_setup["ann"]
    assignment = assign(curriculum, ann)
    assert _steps(session, assignment) == ["not_started", "not_started"]
    add_attempt(ann, "late-delivery", FAILING, assignment=assignment)
    assert _steps(session, assignment) == ["in_progress", "not_started"]
    curriculum.pass_marks = {**curriculum.pass_marks, "empathy": 10}
    session.add(curriculum)
    session.commit()
    assert _steps(session, assignment) == ["passed", "not_started"]


def test_a_kept_status_is_judged_again_for_due_dates(session, team_setup, curriculum, assign):
    assignment = assign(curriculum, team_setup["ann"])
    assert not assignment_views(session, [assignment])[0].status.behind
    later = assignment_views(session, [assignment], utcnow() + timedelta(days=8))[0].status
    assert [step.overdue for step in later.steps] == [True, False] and later.behind


def test_recent_attempts_show_a_newly_finished_one(session, team_setup, add_attempt):
    ann = team_setup["ann"]
    add_attempt(ann, "late-delivery", PASSING, days_ago=2)
    assert len(latest_attempts(session, [ann.id], 5)) == 1
    newest = add_attempt(ann, "jargon-trap", FAILING)
    assert [a.id for a in latest_attempts(session, [ann.id], 5)][0] == newest.id
