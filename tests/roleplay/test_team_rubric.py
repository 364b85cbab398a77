"""Role-play replies are scored with the rubric of the trainee's team, and overrides keep the rubric that scored."""
import pytest

from coach.roleplay import practice
from coach.roleplay import overrides as roleplay_overrides
from coach.rubrics import store as rubric_store
from scoring import default_rubric
from tests.roleplay.conftest import DATE_REPLY, GOOD_REPLY
from tests.rubrics.conftest import OWNERSHIP_ONLY

# warm and apologetic, but nobody takes the problem on: empathy high, ownership low
SYMPATHY = "I'm so sorry, that sounds really frustrating. I completely understand how annoying a late parcel is."


@pytest.fixture
def blue_scored_on_ownership(session, settings, people):
    """Team Blue (ann, ben) chose the uploaded ownership-only@1 rubric; team Red (cy) has none."""
    rubric_store.add_rubric(session, settings, OWNERSHIP_ONLY)
    rubric_store.assign_rubric(session, settings, people["team"], "ownership-only@1")


def default_overall(scorecard: dict) -> int:
    weights = {d: w for d, w in default_rubric().weights.items() if d not in scorecard["not_applicable"]}
    return int(round(sum(scorecard["scores"][d] * w for d, w in weights.items()) / sum(weights.values())))


def test_a_reply_is_scored_with_the_rubric_of_the_trainees_team(session, scenarios, people, settings, blue_scored_on_ownership):
    turn = practice.submit_typed_reply(session, practice.start_attempt(session, people["ann"], scenarios["parcel-call"]),
                                       SYMPATHY, settings)
    card = turn.scorecard
    assert card["rubric"] == "ownership-only@1"
    assert turn.overall == card["overall"] == card["scores"]["ownership"]
    assert card["overall"] != default_overall(card)  # the site rubric would have counted the empathy


def test_a_trainee_of_a_team_without_a_rubric_is_scored_with_the_site_rubric(session, scenarios, people, settings,
                                                                            blue_scored_on_ownership):
    turn = practice.submit_typed_reply(session, practice.start_attempt(session, people["cy"], scenarios["parcel-call"]),
                                       SYMPATHY, settings)
    assert turn.scorecard["rubric"] == "default@1.0" and turn.overall == default_overall(turn.scorecard)


def test_an_override_is_weighted_by_the_rubric_that_scored_the_reply(session, scenarios, people, settings,
                                                                     blue_scored_on_ownership):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    first = practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)
    practice.submit_typed_reply(session, attempt, DATE_REPLY, settings)
    rubric_store.assign_rubric(session, settings, people["team"], "default")  # the team moved on since
    roleplay_overrides.override_score(session, attempt, first, "empathy", 3, "Too formal.", people["trainer"], settings)
    assert first.overall == first.scorecard["scores"]["ownership"]  # empathy counts nothing in ownership-only@1
    roleplay_overrides.override_score(session, attempt, first, "ownership", 12, "No commitment.", people["trainer"], settings)
    assert first.overall == 12


def test_a_rubric_a_trainer_sets_on_the_rubrics_page_scores_the_next_reply(client, auth, session, scenarios, people):
    auth.login("tess")
    token = auth.csrf("/rubrics/upload")
    client.post("/rubrics/upload", data={"csrf_token": token, "rubric_text": OWNERSHIP_ONLY})
    client.post(f"/rubrics/teams/{people['team'].id}", data={"csrf_token": token, "rubric": "ownership-only@1"})
    client.post("/logout", data={"csrf_token": token})
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    auth.login("ann")
    response = client.post(f"/practice/attempts/{attempt.id}/reply", data={"reply": SYMPATHY},
                           headers={"X-CSRFToken": auth.csrf(f"/practice/attempts/{attempt.id}"), "HX-Request": "true"})
    assert response.status_code == 200
    turn = practice.attempt_turns(session, attempt)[0]
    assert turn.scorecard["rubric"] == "ownership-only@1" and turn.overall == turn.scorecard["scores"]["ownership"]
