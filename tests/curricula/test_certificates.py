"""A certificate names the organisation and carries a code that anyone may check at /curricula/certificates/verify/;
the code is an HMAC of the assignment and its completion time (coach/curricula/certificates.py)."""
import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from coach.curricula.certificates import assignment_number, is_genuine, verification_code
from coach.demo.seed import load_demo
from coach.models import Assignment, Attempt, AttemptStatus, Curriculum, Scenario, User, utcnow
from coach.progress.history import assignment_views, curriculum_steps
from coach.roleplay.scenario_store import sync_scenarios
from scenarios import LIBRARY_DIR, load_library
from scoring import DIMENSIONS


@pytest.fixture
def completed(app, session):
    """A demo trainee's assignment completed for real: a finished attempt at 100 on every skill for each step (the
    stored results of played attempts; what is under test is the certificate, not the scoring)."""
    sync_scenarios(session, load_library(LIBRARY_DIR))
    load_demo(session, app.config["COACH"], calls=False)
    assignment = session.exec(select(Assignment).order_by(Assignment.id)).first()
    scenarios = {row.slug: row for row in session.exec(select(Scenario))}
    for step in curriculum_steps(session, session.get(Curriculum, assignment.curriculum_id)):
        finished = utcnow()
        session.add(Attempt(user_id=assignment.user_id, scenario_id=scenarios[step.scenario_slug].id,
                            assignment_id=assignment.id, status=AttemptStatus.finished, outcome="resolved",
                            scores=dict.fromkeys(DIMENSIONS, 100), overall=100,
                            started_at=finished - timedelta(minutes=5), finished_at=finished))
    session.commit()
    view = assignment_views(session, [assignment])[0]
    assert view.status.complete, [step.label for step in view.status.steps]
    return view


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


def test_a_code_is_checkable_only_with_the_key_and_the_completion_it_was_made_for():
    done = datetime(2026, 11, 28, 14, 5, 30, 123456)
    code = verification_code("key", 7, done)
    assert assignment_number(code) == 7 and is_genuine("key", code, 7, done.replace(microsecond=0))
    assert not is_genuine("other key", code, 7, done)
    assert not is_genuine("key", code, 7, done + timedelta(seconds=1))  # a completion that moved voids the code
    assert not is_genuine("key", code, 7, None) and not is_genuine("key", code, 8, done)
    assert [assignment_number(c) for c in ("abc", "0-x", f"{2**63}-x", "-1-x")] == [None] * 4
