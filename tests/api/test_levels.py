"""The API's skill levels come from the stored snapshots: the same numbers, without reading the whole history."""
from datetime import timedelta

import pytest
from sqlmodel import select

from coach.auth import accounts
from coach.models import Attempt, AttemptStatus, Scenario, utcnow
from coach.progress.history import levels_for
from coach.progress.snapshots import SERIES_POINTS
from coach.roleplay.scenario_store import sync_scenarios
from scenarios import LIBRARY_DIR, load_library
from tests.queries import counted


@pytest.fixture
def late_delivery(session):
    sync_scenarios(session, load_library(LIBRARY_DIR))
    return session.exec(select(Scenario).where(Scenario.slug == "late-delivery")).one()


def add_attempts(session, user, scenario, count: int) -> None:
    for n in range(count):
        when = utcnow() - timedelta(days=count - n)
        scores = {"active_listening": 50 + n % 40, "empathy": 40 + n % 50, "clarity": 70, "jargon": 80, "ownership": 60}
        session.add(Attempt(user_id=user.id, scenario_id=scenario.id, status=AttemptStatus.finished, scores=scores,
                            overall=60, outcome="resolved", started_at=when - timedelta(minutes=5), finished_at=when))
    session.commit()


def progress(client, token, path):
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.get_json()


def test_user_progress_gives_the_full_histories_levels_with_the_latest_observations(client, session, team_setup,
                                                                                     late_delivery):
    ann = team_setup["ann"]
    add_attempts(session, ann, late_delivery, SERIES_POINTS + 15)
    body = progress(client, accounts.create_api_token(session, ann), "/api/v1/users/ann/progress")
    full = levels_for(session, [ann])[ann.id]
    for skill, level in full.items():
        answer = body["skills"][skill]
        assert {k: answer[k] for k in ("level", "low", "high", "confidence", "trend", "count")} == \
            {k: getattr(level, k) for k in ("level", "low", "high", "confidence", "trend", "count")}
        assert answer["count"] == SERIES_POINTS + 15
        assert [p["score"] for p in answer["series"]] == [o.score for o in level.observations[-SERIES_POINTS:]]


def test_a_second_call_reads_the_snapshot_not_the_attempts(app, client, session, team_setup, late_delivery):
    add_attempts(session, team_setup["ann"], late_delivery, 30)
    token = accounts.create_api_token(session, team_setup["trainer"])
    first = progress(client, token, "/api/v1/teams/Blue/progress")
    with counted(app) as statements:
        again = progress(client, token, "/api/v1/teams/Blue/progress")
    assert again == first
    assert not [s for s in statements if "FROM attempts" in s]


def test_new_work_shows_in_the_next_answer(client, session, team_setup, late_delivery):
    ann = team_setup["ann"]
    token = accounts.create_api_token(session, ann)
    add_attempts(session, ann, late_delivery, 3)
    assert progress(client, token, "/api/v1/users/ann/progress")["skills"]["clarity"]["count"] == 3
    add_attempts(session, ann, late_delivery, 2)
    assert progress(client, token, "/api/v1/users/ann/progress")["skills"]["clarity"]["count"] == 5
