"""A reply answered again against the same customer line: before and after scores, the conversation unchanged."""
from coach.roleplay import practice
from scoring import score_reply
from tests.roleplay.conftest import GOOD_REPLY, csrf_header

WEAK_REPLY = "ok"


def test_a_redo_scores_the_new_reply_against_the_same_line_and_leaves_the_role_play_alone(session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    turn = practice.submit_typed_reply(session, attempt, WEAK_REPLY, settings)
    state_before = dict(attempt.state)
    redo = practice.redo_reply(session, attempt, turn, GOOD_REPLY, settings)
    assert redo.before == turn.scorecard["scores"] and redo.before_overall == turn.overall
    assert redo.after["overall"] > redo.before_overall
    assert redo.after["scores"]["empathy"] > redo.before["empathy"]
    # scored as the first reply was: the same customer line as context, the scenario's facts
    direct = score_reply(GOOD_REPLY, [turn.customer_line], facts=practice.scenario_from_row(scenarios["parcel-call"]).fact_text())
    assert redo.after["scores"] == dict(direct.scores)
    session.refresh(attempt)
    assert attempt.state == state_before and len(practice.attempt_turns(session, attempt)) == 1


def test_the_redo_page_shows_before_and_after_and_only_the_trainee_may_redo(client, auth, session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    practice.submit_typed_reply(session, attempt, WEAK_REPLY, settings)
    path = f"/practice/attempts/{attempt.id}/turns/0/redo"
    auth.login("ann")
    headers = csrf_header(auth, f"/practice/attempts/{attempt.id}")
    page = client.post(path, data={"reply": GOOD_REPLY}, headers=headers)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Before and after" in html and "change-up" in html
    full_page = {"X-CSRFToken": headers["X-CSRFToken"]}
    empty = client.post(path, data={"reply": "  "}, headers=full_page)
    assert empty.status_code == 422 and "Write the reply" in empty.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": headers["X-CSRFToken"]})
    auth.login("ben")
    other = client.post(path, data={"reply": GOOD_REPLY}, headers=csrf_header(auth, "/practice/"))
    assert other.status_code in (403, 404)
