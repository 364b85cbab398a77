"""A trainer overrides role-play scores with a reason: the trainee sees it, progress counts it, training learns from it."""
import re

import pytest
from sqlmodel import select

from coach.roleplay import practice
from coach.roleplay import overrides as roleplay_overrides
from coach.models import AttemptStatus, AttemptTurn
from coach.progress.history import finished_attempts
from coach.review.training_rows import finalised_review_rows
from tests.roleplay.conftest import DATE_REPLY, GOOD_REPLY, csrf_header

REASON = "A warm, specific apology: that is exactly the empathy we want."


@pytest.fixture
def finished(session, scenarios, people, settings):
    """Ann's attempt at the phone scenario, played to the resolved ending in two replies."""
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)
    practice.submit_typed_reply(session, attempt, DATE_REPLY, settings)
    session.refresh(attempt)
    assert attempt.status == AttemptStatus.finished and attempt.outcome == "resolved"
    return attempt


def turns_of(session, attempt) -> list[AttemptTurn]:
    session.expire_all()
    return session.exec(select(AttemptTurn).where(AttemptTurn.attempt_id == attempt.id).order_by(AttemptTurn.index)).all()


def override(client, auth, attempt, index=0, dimension="empathy", **form):
    debrief = f"/practice/attempts/{attempt.id}/debrief"
    return client.post(f"/practice/attempts/{attempt.id}/turns/{index}/scores/{dimension}", data=form,
                       headers=csrf_header(auth, debrief))


def new_score(turn: AttemptTurn, dimension: str = "empathy") -> int:
    """A score clearly different from the scorer's, so the test sees the change."""
    return 5 if turn.scorecard["scores"][dimension] > 50 else 95


def test_trainer_overrides_a_score_with_a_reason_and_the_debrief_fragments_update(client, auth, finished, session, people):
    first = turns_of(session, finished)[0]
    score = new_score(first)
    auth.login("tess")
    page = client.get(f"/practice/attempts/{finished.id}/debrief").get_data(as_text=True)
    assert "Review the scores" in page and f"/practice/attempts/{finished.id}/turns/1/scores/ownership" in page

    response = override(client, auth, finished, score=str(score), reason=REASON)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<article class="card turn-review" id="review-turn-1"')
    assert "Trainer's score" in html and REASON.replace("'", "&#39;") in html
    assert f"the scorer gave {first.scorecard['scores']['empathy']}" in html
    assert 'id="attempt-scores" hx-swap-oob="true"' in html and 'id="moments" hx-swap-oob="true"' in html
    assert re.search(r'<template>\s*<tr id="debrief-turn-1" hx-swap-oob="true">', html)

    entry = turns_of(session, finished)[0].overrides["empathy"]
    assert entry["score"] == score and entry["reason"] == REASON and entry["by"] == people["trainer"].id


def test_override_without_a_reason_is_refused_with_a_message(client, auth, finished, session):
    auth.login("tess")
    response = override(client, auth, finished, score="80", reason="   ")
    assert response.status_code == 422
    assert "Say why you change the score" in response.get_data(as_text=True)
    assert turns_of(session, finished)[0].overrides == {}


def test_override_with_a_score_outside_0_to_100_is_refused(client, auth, finished, session):
    auth.login("tess")
    response = override(client, auth, finished, score="140", reason=REASON)
    assert response.status_code == 422 and "whole number from 0 to 100" in response.get_data(as_text=True)
    assert turns_of(session, finished)[0].overrides == {}


def test_override_of_an_unknown_skill_or_turn_is_not_found(client, auth, finished):
    auth.login("tess")
    assert override(client, auth, finished, dimension="charm", score="80", reason=REASON).status_code == 404
    assert override(client, auth, finished, index=7, score="80", reason=REASON).status_code == 404


def test_trainee_cannot_override_their_own_scores(client, auth, finished, session):
    auth.login("ann")
    assert override(client, auth, finished, score="100", reason="I was great").status_code == 403
    assert turns_of(session, finished)[0].overrides == {}


@pytest.mark.parametrize("username", ["otto", "rita"])
def test_trainer_of_another_team_and_reviewers_cannot_override(client, auth, finished, session, username):
    auth.login(username)
    assert override(client, auth, finished, score="10", reason="no").status_code == 403
    page = client.get(f"/practice/attempts/{finished.id}/debrief")
    assert "Review the scores" not in page.get_data(as_text=True)
    assert turns_of(session, finished)[0].overrides == {}


def test_override_needs_the_csrf_token(client, auth, finished):
    auth.login("tess")
    response = client.post(f"/practice/attempts/{finished.id}/turns/0/scores/empathy", data={"score": "80", "reason": REASON})
    assert response.status_code == 400


def test_admin_may_override(client, auth, finished, session):
    auth.login("root")
    assert override(client, auth, finished, score="77", reason=REASON).status_code == 200
    assert turns_of(session, finished)[0].overrides["empathy"]["score"] == 77


def test_trainee_sees_the_trainers_score_and_reason_on_the_debrief(client, auth, finished, session, people, settings):
    first = turns_of(session, finished)[0]
    score = new_score(first)
    roleplay_overrides.override_score(session, finished, first, "empathy", score, REASON, people["trainer"], settings)
    auth.login("ann")
    page = client.get(f"/practice/attempts/{finished.id}/debrief").get_data(as_text=True)
    assert "Your trainer's scores" in page and REASON.replace("'", "&#39;") in page and "Tess" in page
    assert f"the scorer gave {first.scorecard['scores']['empathy']}" in page
    assert re.search(r"""class="trainer-score" title="Trainer's score[^"]*">\s*<span class="score[^"]*">%d</span>""" % score, page)
    assert "/scores/empathy" not in page and "Review the scores" not in page
    conversation = client.get(f"/practice/attempts/{finished.id}/turns/0", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Trainer's scores:" in conversation and REASON.replace("'", "&#39;") in conversation


def test_a_debrief_without_overrides_shows_no_trainer_section_to_the_trainee(client, auth, finished):
    auth.login("ann")
    page = client.get(f"/practice/attempts/{finished.id}/debrief").get_data(as_text=True)
    assert "trainer's scores" not in page.lower()


def test_overriding_recomputes_the_attempt_scores_that_progress_reads(session, finished, people, settings):
    first, second = turns_of(session, finished)
    before_scores, before_overall = dict(finished.scores), finished.overall
    score = new_score(first)
    roleplay_overrides.override_score(session, finished, first, "empathy", score, REASON, people["trainer"], settings)
    session.refresh(finished)

    assert finished.scores["empathy"] == round((score + second.scorecard["scores"]["empathy"]) / 2)
    assert {d: s for d, s in finished.scores.items() if d != "empathy"} == \
        {d: s for d, s in before_scores.items() if d != "empathy"}
    assert first.scorecard["scores"]["empathy"] != score  # the scorer's own record stays as it was
    assert (first.overall > first.scorecard["overall"]) == (score == 95) and first.overall != first.scorecard["overall"]
    assert finished.overall == round((first.overall + second.overall) / 2)
    progress = finished_attempts(session, [people["ann"].id])[people["ann"].id]
    assert progress[0].scores["empathy"] == finished.scores["empathy"]

    roleplay_overrides.clear_override(session, finished, first, "empathy", settings)
    session.refresh(finished)
    assert finished.scores == before_scores and finished.overall == before_overall
    assert first.overall == first.scorecard["overall"] and first.overrides == {}


def test_the_debrief_moments_follow_the_trainers_scores(session, finished, people, settings):
    first, second = turns_of(session, finished)
    for dimension in first.scorecard["scores"]:
        roleplay_overrides.override_score(session, finished, first, dimension, 0, "Not good enough", people["trainer"], settings)
    session.refresh(finished)
    assert first.overall == 0 and finished.debrief["weakest_index"] == 0 and finished.debrief["best_index"] == 1


def test_scores_of_an_unfinished_attempt_cannot_be_overridden(session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    turn = practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)
    with pytest.raises(roleplay_overrides.OverrideError, match="reached an ending"):
        roleplay_overrides.override_score(session, attempt, turn, "empathy", 90, REASON, people["trainer"], settings)


def test_overridden_replies_become_training_rows_with_the_trainers_scores(session, finished, people, settings):
    first, second = turns_of(session, finished)
    assert finalised_review_rows(session) == []
    roleplay_overrides.override_score(session, finished, second, "ownership", 12, "No real date given", people["trainer"], settings)

    rows = finalised_review_rows(session)
    assert len(rows) == 1
    context, reply, scores = rows[0]
    assert context == f"{first.customer_line}\n{second.customer_line}" and reply == DATE_REPLY
    assert scores == {**{d: float(s) for d, s in second.scorecard["scores"].items()}, "ownership": 12.0}


def test_models_train_from_reviews_refits_on_trainer_overrides(session, finished, people, settings, settings_overrides,
                                                                monkeypatch, tmp_path):
    """The command reads the overrides (the refit itself is tested with the scoring models)."""
    from click.testing import CliRunner

    from coach.cli import cli, scoring_commands
    from scoring.training import RefitReport

    first = turns_of(session, finished)[0]
    roleplay_overrides.override_score(session, finished, first, "empathy", 90, REASON, people["trainer"], settings)
    seen = []

    def refit(rows, out_dir, random_state=0, **_):
        seen.extend(rows)
        return RefitReport(rows=len(rows), out_dir=out_dir, agreement={"empathy": (0.5, 0.6)})

    monkeypatch.setattr(scoring_commands.training, "refit_from_reviews", refit)
    runner = CliRunner(env={"COACH_DATABASE_URL": settings_overrides["database_url"],
                            "COACH_INSTANCE_DIR": str(settings_overrides["instance_dir"])})
    result = runner.invoke(cli, ["models", "train", "--from-reviews", "--out", str(tmp_path / "models")])
    assert result.exit_code == 0, result.output
    assert "Refitted on 1 reviewed replies" in result.output
    assert seen == [(first.customer_line, GOOD_REPLY, {**{d: float(s) for d, s in first.scorecard["scores"].items()}, "empathy": 90.0})]
