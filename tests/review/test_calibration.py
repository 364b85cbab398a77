"""Blind calibration: reviewers score without the first pass or each other; the AI is one more rater; calibration
scorecards never reach the agent; a share of routine calls is quietly double-scored."""
import io

import pytest
from sqlmodel import select

from coach.calls.pipeline import scoring_models_version
from coach.models import Calibration, Review, ReviewStatus, Role, User
from coach.progress.history import reviewed_calls
from coach.review.calibration import double_scored, rated_calls, scoring_version

from .conftest import wav_bytes

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")


def _switch(client, auth, username):
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login(username)


def _calibrate(client, auth, call, reviewers):
    token = auth.csrf(f"/calls/{call.id}")
    response = client.post(f"/calls/{call.id}/calibrations", data={"csrf_token": token, "reviewer_ids": [str(r.id) for r in reviewers]})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _score_blind(client, auth, call, score, finalise=True):
    token = auth.csrf(f"/calls/{call.id}")
    for d in DIMENSIONS:
        answer = client.post(f"/calls/{call.id}/scores/{d}", data={"action": "override", "score": str(score)}, headers={"X-CSRFToken": token})
        assert answer.status_code == 200, answer.get_data(as_text=True)
    if finalise:
        assert client.post(f"/calls/{call.id}/finalise", data={"csrf_token": token}).status_code == 302
    return token


@pytest.fixture
def vic(make_user):
    return make_user("vic", Role.reviewer)


def test_calibration_scorecards_open_blank_without_the_first_pass(client, auth, session, team_setup, vic, make_call):
    call = make_call(team_setup["ann"])
    auth.login("root")
    calibration_id = _calibrate(client, auth, call, [team_setup["rita"], vic])
    _switch(client, auth, "rita")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f"first pass {call.result['overall']}" not in page and "not scored yet" in page and 'value="accept"' not in page
    assert "marker-evidence" not in page  # the AI's evidence would anchor the reviewer too
    review = session.exec(select(Review).where(Review.reviewer_id == team_setup["rita"].id)).one()
    assert review.calibration_id == calibration_id and all(review.scores[d]["score"] is None for d in DIMENSIONS)
    token = auth.csrf(f"/calls/{call.id}")
    accept = client.post(f"/calls/{call.id}/scores/empathy", data={"action": "accept"}, headers={"X-CSRFToken": token})
    assert accept.status_code == 422 and "blind" in accept.get_data(as_text=True)
    calls_page = client.get("/calls").get_data(as_text=True)
    assert ">blind<" in calls_page


def test_reviewers_see_each_others_scores_only_once_all_have_finalised(client, auth, session, team_setup, vic, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    calibration_id = _calibrate(client, auth, call, [team_setup["rita"], vic])
    _score_blind(client, auth, call, 40)
    rita_review = session.exec(select(Review).where(Review.reviewer_id == team_setup["rita"].id)).one()
    _switch(client, auth, "vic")
    assert client.get(f"/calls/{call.id}/scorecards/{rita_review.id}").status_code == 403
    page = client.get(f"/calls/calibrations/{calibration_id}").get_data(as_text=True)
    assert "once every reviewer has finalised" in page and ">40<" not in page
    _score_blind(client, auth, call, 80)
    page = client.get(f"/calls/calibrations/{calibration_id}").get_data(as_text=True)
    assert ">40<" in page and ">80<" in page and "AI first pass" in page
    assert f"{abs(call.result['scores']['empathy'] - 60):.1f} points" in page
    assert client.get(f"/calls/{call.id}/scorecards/{rita_review.id}").status_code == 200


def test_calibration_scorecards_never_reach_the_agent_or_their_progress(client, auth, session, team_setup, vic, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    _calibrate(client, auth, call, [team_setup["rita"], vic])
    _score_blind(client, auth, call, 40)
    _switch(client, auth, "vic")
    _score_blind(client, auth, call, 80)
    reviews = session.exec(select(Review).where(Review.call_id == call.id)).all()
    assert len(reviews) == 2 and all(r.status == ReviewStatus.final for r in reviews)
    _switch(client, auth, "ann")
    assert f"Call #{call.id}" not in client.get("/calls/mine").get_data(as_text=True)
    assert f"Call #{call.id}" not in client.get("/calls/panels/mine").get_data(as_text=True)
    assert all(client.get(f"/calls/{call.id}/scorecards/{r.id}").status_code == 403 for r in reviews)
    assert client.get(f"/calls/{call.id}/audio").status_code == 403
    _switch(client, auth, "tess")  # the agent's trainer neither
    assert all(client.get(f"/calls/{call.id}/scorecards/{r.id}").status_code == 403 for r in reviews)
    assert reviewed_calls(session, [team_setup["ann"].id]) == {}


def test_a_reviewer_who_already_scored_the_call_cannot_join_its_calibration(client, auth, session, team_setup, vic, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    token = auth.csrf(f"/calls/{call.id}")
    client.post(f"/calls/{call.id}/scores/empathy", data={"action": "accept"}, headers={"X-CSRFToken": token})
    answer = client.post(f"/calls/{call.id}/calibrations", data={"csrf_token": token, "reviewer_ids": [str(team_setup["rita"].id), str(vic.id)]},
                         follow_redirects=True)
    assert "already scored this call" in answer.get_data(as_text=True) and session.exec(select(Calibration)).first() is None


def test_agreement_page_rates_reviewers_and_the_ai_over_all_calibrations(client, auth, session, team_setup, vic, make_call):
    calls = [make_call(team_setup["ann"]) for _ in range(3)]
    auth.login("root")
    for call in calls:
        _calibrate(client, auth, call, [team_setup["rita"], vic])
    for username, scores in (("rita", (30, 50, 70)), ("vic", (40, 62, 85))):
        _switch(client, auth, username)
        for call, score in zip(calls, scores):
            _score_blind(client, auth, call, score)
    rated = rated_calls(session)
    assert len(rated) == 3 and set(rated[0].humans) == {"Rita", "Vic"} and rated[0].ai["empathy"] == calls[0].result["scores"]["empathy"]
    page = client.get("/calls/calibration").get_data(as_text=True)
    assert "Reviewer to reviewer" in page and "95% CI" in page
    assert "<td>Rita <small" in page and "<td>Vic <small" in page  # strictest and most lenient
    assert "Trend by month" in page


def test_scoring_version_names_the_rubric_and_the_models_so_a_change_shows(app, tmp_path):
    settings = app.config["COACH"]
    shipped = scoring_models_version(settings)
    folder = settings.instance_dir / "models" / "scoring"
    folder.mkdir(parents=True)
    (folder / "reply_model.joblib").write_bytes(b"refitted")
    refitted = scoring_models_version(settings)
    assert shipped.startswith("shipped-") and refitted.startswith("organisation-") and refitted != shipped
    assert scoring_version({"rubric": "default@1", "scoring_models": refitted}) == f"default@1 · {refitted}"


def test_double_score_share_is_fixed_per_call_and_bounded_by_the_setting():
    picked = [i for i in range(1, 1001) if double_scored(i, 20)]
    assert 150 < len(picked) < 250 and picked == [i for i in range(1, 1001) if double_scored(i, 20)]
    assert not any(double_scored(i, 0) for i in range(1, 200)) and all(double_scored(i, 100) for i in range(1, 200))


@pytest.fixture
def settings_overrides(settings_overrides):
    return {**settings_overrides, "double_score_percent": 100}


def test_double_scored_call_goes_blind_to_a_second_reviewer_and_only_the_routine_card_reaches_the_agent(
        client, auth, session, team_setup, vic, make_call, queued_calls):
    auth.login("rita")
    data = {"csrf_token": auth.csrf("/calls/upload"), "agent_id": str(team_setup["ann"].id), "call_date": "2024-05-06",
            "call_type": "complaint", "agent_channel": "auto", "recordings": [(io.BytesIO(wav_bytes()), "call.wav")]}
    assert client.post("/calls/upload", data=data, content_type="multipart/form-data").status_code == 302
    double = session.exec(select(Calibration)).one()
    second = session.get(User, double.reviewer_ids[0])
    assert double.kind == "double" and len(double.reviewer_ids) == 1 and second.id != team_setup["rita"].id
    call = make_call(team_setup["ann"])  # a ready call to score: the upload's first pass is not run here
    double.call_id = call.id
    session.add(double)
    session.commit()
    token = auth.csrf(f"/calls/{call.id}")
    for d in DIMENSIONS:
        client.post(f"/calls/{call.id}/scores/{d}", data={"action": "accept"}, headers={"X-CSRFToken": token})
    client.post(f"/calls/{call.id}/finalise", data={"csrf_token": token})
    _switch(client, auth, second.username)
    assert "not scored yet" in client.get(f"/calls/{call.id}").get_data(as_text=True)
    _score_blind(client, auth, call, 55)
    routine = session.exec(select(Review).where(Review.reviewer_id == team_setup["rita"].id)).one()
    blind = session.exec(select(Review).where(Review.reviewer_id == second.id)).one()
    assert routine.calibration_id is None and blind.calibration_id == double.id
    rated = rated_calls(session)
    assert len(rated) == 1 and rated[0].humans[second.name]["empathy"] == 55 and "Rita" in rated[0].humans
    _switch(client, auth, "ann")
    mine = client.get("/calls/mine").get_data(as_text=True)
    assert mine.count(f"Call #{call.id}") == 1
    assert client.get(f"/calls/{call.id}/scorecards/{routine.id}").status_code == 200
    assert client.get(f"/calls/{call.id}/scorecards/{blind.id}").status_code == 403


def test_an_export_shows_a_calibrations_scorecards_only_once_all_have_finalised(client, auth, session, team_setup, vic,
                                                                               make_call):
    from coach.review.export import scorecard_rows

    call = make_call(team_setup["ann"])
    auth.login("rita")
    _calibrate(client, auth, call, [team_setup["rita"], vic])
    _score_blind(client, auth, call, 40)
    session.expire_all()
    assert [row for row in scorecard_rows(session) if row["call_id"] == call.id] == []
    _switch(client, auth, "vic")
    _score_blind(client, auth, call, 80)
    session.expire_all()
    rows = [row for row in scorecard_rows(session) if row["call_id"] == call.id]
    assert sorted(row["score_empathy"] for row in rows) == [40, 80]
