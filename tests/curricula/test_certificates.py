"""A certificate names the organisation and carries a code that anyone may check at /curricula/certificates/verify/.
(Belongs in tests/curricula/; kept here while that folder is another engineer's.)"""
import dataclasses
import re
from datetime import datetime

import pytest
from sqlmodel import select

from coach.demo.seed import load_demo
from coach.models import Assignment, User
from coach.progress.history import assignment_views
from coach.roleplay.scenario_store import sync_scenarios
from scenarios import LIBRARY_DIR, load_library


@pytest.fixture
def completed(app, session, monkeypatch):
    """A demo assignment shown as completed (the demo trainees finish none; TODO: pass its steps for real)."""
    sync_scenarios(session, load_library(LIBRARY_DIR))
    load_demo(session, app.config["COACH"], calls=False)
    real = assignment_views(session, session.exec(select(Assignment)).all())[0]
    finished = dataclasses.replace(real, status=dataclasses.replace(real.status, completed_at=datetime(2026, 11, 28, 14, 5)))

    def views(session, assignments):
        return [finished if a.id == real.assignment.id else assignment_views(session, [a])[0] for a in assignments]

    monkeypatch.setattr("coach.curricula.routes.assignment_views", views)
    return finished


def _certificate(app, view):
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": "coach-demo",
                                "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                                        client.get("/login").get_data(as_text=True)).group(1)})
    return client.get(f"/curricula/assignments/{view.assignment.id}/certificate").get_data(as_text=True)


def test_a_certificate_names_the_organisation_and_a_code_that_verifies_without_sign_in(app, session, completed):
    app.config["COACH"] = app.config["COACH"].__class__(**{**app.config["COACH"].__dict__, "org_name": "Acme Support"})
    page = _certificate(app, completed)
    assert "Acme Support" in page
    code = re.search(r"Verification code <code>([^<]+)</code>", page).group(1)
    answer = app.test_client().get(f"/curricula/certificates/verify/{code}")
    text = answer.get_data(as_text=True)
    holder = session.get(User, completed.assignment.user_id)
    assert answer.status_code == 200 and "Valid certificate" in text
    assert holder.name in text and completed.curriculum.name in text and "Acme Support" in text
    assert holder.username not in text.replace(holder.name, "")


@pytest.mark.parametrize("forged", ["1-00000000000000000000", "abc", "999-1234", "99999999999999999999999-1"])
def test_a_wrong_code_is_not_a_valid_certificate(app, completed, forged):
    answer = app.test_client().get(f"/curricula/certificates/verify/{forged}")
    assert answer.status_code == 404 and "Not a valid certificate" in answer.get_data(as_text=True)


def test_a_code_with_another_assignments_number_fails(app, session, completed):
    code = re.search(r"Verification code <code>([^<]+)</code>", _certificate(app, completed)).group(1)
    other = session.exec(select(Assignment).where(Assignment.id != completed.assignment.id)).first()
    swapped = f"{other.id}-{code.partition('-')[2]}"
    assert app.test_client().get(f"/curricula/certificates/verify/{swapped}").status_code == 404
