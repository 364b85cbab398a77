"""Shared fixtures: an app on a throwaway database, a client, users of each role, sign-in helpers."""
from __future__ import annotations

import re

import pytest

from coach import create_app, db
from coach.auth import accounts
from coach.models import Role

PASSWORD = "correct-horse-9"


@pytest.fixture
def settings_overrides(tmp_path) -> dict:
    return {
        "instance_dir": tmp_path / "instance",
        "recordings_dir": tmp_path / "recordings",
        "database_url": f"sqlite:///{tmp_path / 'coach.sqlite3'}",
        "queue_url": "memory://",
        "secret_key": "test-secret",
        "testing": True,
    }


@pytest.fixture
def app(settings_overrides):
    app = create_app(settings_overrides)
    db.upgrade(app.extensions["coach.engine"])
    yield app
    app.extensions["coach.engine"].dispose()


@pytest.fixture
def session(app):
    with db.session_scope(app.extensions["coach.engine"]) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(session):
    """Create a user of a role, optionally in a team: ``make_user("ann", Role.trainee, team=team)``."""
    def make(username: str, role: Role = Role.trainee, team=None):
        return accounts.create_user(session, username, PASSWORD, role, username.title(), team)
    return make


@pytest.fixture
def team_setup(session, make_user):
    """A team led by trainer ``tess`` with trainees ``ann`` and ``ben``; ``cy`` is in another team."""
    trainer = make_user("tess", Role.trainer)
    team = accounts.create_team(session, "Blue", trainer)
    other_trainer = make_user("otto", Role.trainer)
    other_team = accounts.create_team(session, "Red", other_trainer)
    return {
        "trainer": trainer, "team": team, "other_trainer": other_trainer, "other_team": other_team,
        "ann": make_user("ann", Role.trainee, team), "ben": make_user("ben", Role.trainee, team),
        "cy": make_user("cy", Role.trainee, other_team), "rita": make_user("rita", Role.reviewer),
        "admin": make_user("root", Role.admin),
    }


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD):
        token = csrf_from(self.client.get("/login").get_data(as_text=True))
        return self.client.post("/login", data={"username": username, "password": password, "csrf_token": token})

    def csrf(self, path: str = "/dashboard") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))


@pytest.fixture
def auth(client):
    return AuthActions(client)
