"""The read-only JSON API: tokens, who may read what, and the shape of the answers."""
import pytest

SKILLS = {"active_listening", "empathy", "clarity", "jargon", "ownership"}
GOOD = {"active_listening": 80, "empathy": 75, "clarity": 80, "jargon": 90, "ownership": 85}


def get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer coach_not-a-real-token", "Basic dXNlcjpwYXNz"])
def test_no_or_bad_token_is_a_401_json_answer(client, team_setup, header):
    response = client.get("/api/v1/users/ann/progress", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.is_json and "token" in response.get_json()["error"]


def test_a_revoked_token_is_refused(client, session, team_setup, token_for):
    from sqlmodel import select

    from coach.models import ApiToken
    token = token_for(team_setup["ann"])
    for row in session.exec(select(ApiToken)).all():
        row.revoked = True
    session.commit()
    assert get(client, "/api/v1/users/ann/progress", token).status_code == 401


def test_user_progress_has_all_five_skills_with_level_confidence_trend_and_series(client, team_setup, token_for, add_attempt):
    ann = team_setup["ann"]
    add_attempt(ann, "late-delivery", GOOD, days_ago=2)
    add_attempt(ann, "angry-refund", {**GOOD, "empathy": 55}, days_ago=1)
    body = get(client, "/api/v1/users/ann/progress", token_for(ann)).get_json()
    assert body["user"] == "ann" and set(body["skills"]) == SKILLS
    empathy = body["skills"]["empathy"]
    assert 55 <= empathy["level"] <= 75 and 0 < empathy["confidence"] < 1 and empathy["trend"] == -20
    assert [p["score"] for p in empathy["series"]] == [75, 55]
    assert {p["source"] for p in empathy["series"]} == {"roleplay"} and "T" in empathy["series"][0]["at"]
    assert body["skills"]["clarity"]["series"][0]["at"] < body["skills"]["clarity"]["series"][1]["at"]


def test_an_unpractised_skill_has_no_level(client, team_setup, token_for):
    body = get(client, "/api/v1/users/ann/progress", token_for(team_setup["ann"])).get_json()
    assert body["skills"]["ownership"] == {"level": None, "low": None, "high": None, "confidence": 0.0, "trend": None,
                                           "count": 0, "series": []}


def test_a_trainees_token_sees_only_their_own_progress(client, team_setup, token_for):
    token = token_for(team_setup["ann"])
    assert get(client, "/api/v1/users/ben/progress", token).status_code == 403
    assert get(client, "/api/v1/users/nobody/progress", token).status_code == 403
    assert get(client, "/api/v1/teams/Blue/progress", token).status_code == 403


def test_a_trainers_token_sees_only_their_teams(client, team_setup, token_for):
    token = token_for(team_setup["trainer"])
    assert get(client, "/api/v1/users/ben/progress", token).status_code == 200
    assert get(client, "/api/v1/users/cy/progress", token).status_code == 403
    assert get(client, "/api/v1/teams/Red/progress", token).status_code == 403
    assert get(client, "/api/v1/teams/Nowhere/progress", token).status_code == 404
    body = get(client, "/api/v1/teams/Blue/progress", token).get_json()
    assert body["team"] == "Blue"
    assert [m["user"] for m in body["members"]] == ["ann", "ben"]
    assert all(set(m["skills"]) == SKILLS for m in body["members"])


def test_an_admins_token_sees_every_team(client, team_setup, token_for):
    response = get(client, "/api/v1/teams/Red/progress", token_for(team_setup["admin"]))
    assert response.status_code == 200 and [m["user"] for m in response.get_json()["members"]] == ["cy"]


def test_the_api_needs_no_csrf_token_and_no_session(app, team_setup, token_for):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert get(client, "/api/v1/users/ann/progress", token_for(team_setup["ann"])).status_code == 200
