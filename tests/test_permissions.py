"""The access matrix: every route × every kind of user × own and someone else's work.

Two teams: Blue (trainer tess; trainees ann and ben) and Red (trainer otto; trainee cy), a reviewer (rita) and an
admin (root). Ann and cy each have an attempt, a job, a call with a finalised scorecard, an assignment and a
certificate page. Every route is requested by every user with ann's objects and with cy's; the rules of
``coach.permissions`` say who may see whose work, and the test checks each answer against them.
"""
from __future__ import annotations

import pytest
from sqlmodel import select

from coach import permissions
from coach.calls.checklist import tick_checklist
from coach.calls.metrics import measure_call
from coach.calls.pipeline import CallResult, score_segments
from coach.calls.transcript import CallSegment, CallWord
from coach.models import (Assignment, Attempt, AttemptStatus, Call, CallStatus, Curriculum, DisputeStatus, Job, JobStatus,
                          Recording, ResponseKind, Review, ReviewStatus, Role, Scenario, ScorecardResponse, utcnow)
from coach.roleplay.scenario_store import sync_scenarios
from scenarios import LIBRARY_DIR, load_library
from scoring import DIMENSIONS

REFUSED = {403, 404}
SIGNED_OUT = {302, 401}
VIEWERS = ("ann", "ben", "cy", "tess", "otto", "rita", "root")
PUBLIC = {"static", "auth.login", "main.index", "main.health", "curricula.verify_certificate"}
SIGNS_OUT = {"auth.logout"}  # walked last would end the walk; the sessions tests cover it


def _first_pass(settings) -> dict:
    """A first pass from the real pipeline stages, on a two-line written call."""
    segments = []
    for speaker, start, text in (("agent", 0.0, "Hello, how can I help?"), ("customer", 3.0, "My parcel is late.")):
        words = [CallWord(token, start + 0.3 * i, start + 0.3 * i + 0.25) for i, token in enumerate(text.split())]
        segments.append(CallSegment(start, words[-1].end, speaker, text, words))
    return CallResult(duration=6.0, agent_channel="left", agent_channel_guessed=True, channels=1, segments=segments,
                      scorecard=score_segments(segments, settings), checklist=tick_checklist(segments, 6.0),
                      metrics=measure_call(segments, None, None, settings.dead_air_seconds), redactions=[],
                      waveform={"seconds_per_bin": 1.0, "channels": [[0.5] * 6]}).to_dict()


@pytest.fixture
def world(app, session, team_setup):
    """Ann's and cy's work, keyed by side ("ann", "cy"), as the URL arguments that reach it."""
    sync_scenarios(session, load_library(LIBRARY_DIR))
    scenario = session.exec(select(Scenario)).first()
    course = Curriculum(name="Basics", owner_id=team_setup["trainer"].id, pass_marks={})
    session.add(course)
    session.commit()
    sides = {}
    for name in ("ann", "cy"):
        person = team_setup[name]
        attempt = Attempt(user_id=person.id, scenario_id=scenario.id, status=AttemptStatus.finished, scores={},
                          state={"history": []}, finished_at=utcnow())
        job = Job(kind="roleplay_reply", payload={}, status=JobStatus.failed, created_by=person.id)
        recording = Recording(stored_name=f"{name}.wav", content_type="audio/wav")
        folder = app.config["COACH"].recordings_dir
        folder.mkdir(parents=True, exist_ok=True)
        (folder / recording.stored_name).write_bytes(b"RIFF")
        session.add_all([attempt, job, recording])
        session.commit()
        call = Call(recording_id=recording.id, agent_id=person.id, status=CallStatus.ready,
                    result=_first_pass(app.config["COACH"]))
        session.add(call)
        session.commit()
        marks = {d: {"score": 60, "auto": 60, "overridden": False, "reason": ""} for d in DIMENSIONS}
        review = Review(call_id=call.id, reviewer_id=team_setup["rita"].id, status=ReviewStatus.final, scores=marks, overall=60,
                        finalised_at=utcnow())
        assignment = Assignment(curriculum_id=course.id, user_id=person.id, team_id=person.team_id,
                                assigned_by=team_setup["trainer"].id)
        session.add_all([review, assignment])
        session.commit()
        dispute = ScorecardResponse(review_id=review.id, agent_id=person.id, kind=ResponseKind.disputed, reason=f"unfair to {name}",
                                    status=DisputeStatus.open)
        session.add(dispute)
        session.commit()
        team = team_setup["team" if name == "ann" else "other_team"]
        sides[name] = {
            "attempt_id": attempt.id, "index": 0, "job_id": job.id, "call_id": call.id, "review_id": review.id,
            "recording_id": recording.id,
            "assignment_id": assignment.id, "team_id": team.id, "team_name": team.name, "username": name,
            "curriculum_id": course.id, "slug": scenario.slug, "turn_id": "opening", "label": "default",
            "dimension": "empathy", "item": "greeting", "calibration_id": 1, "response_id": dispute.id, "digest": "0" * 64, "filename": "css/coach.css", "code": "x",
        }
    return sides


def _url(rule, arguments: dict) -> str:
    path = rule.rule
    for name in rule.arguments:
        value = arguments[name]
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<path:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path


FIXTURE_KEYS = {"tess": "trainer", "otto": "other_trainer", "root": "admin"}


def _person(team_setup, name: str):
    return team_setup[FIXTURE_KEYS.get(name, name)]


def _may_see_side(viewer, owner, session) -> bool:
    return permissions.can_see_user(viewer, owner, session)


def _requests(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC | SIGNS_OUT or rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def test_every_route_answers_every_user_by_the_rules_without_a_leak_or_a_server_error(app, session, team_setup,
                                                                                      world, auth):
    problems = []
    for viewer_name in VIEWERS:
        client = app.test_client()
        auth.client = client
        auth.login(viewer_name)
        viewer = _person(team_setup, viewer_name)
        token = auth.csrf()
        for rule, method in _requests(app):
            view = app.view_functions[rule.endpoint]
            role_allowed = viewer.role in view.allowed_roles
            for side in ("ann", "cy"):
                url = _url(rule, world[side])
                response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
                status = response.status_code
                if status >= 500:
                    problems.append(f"{viewer_name} {method} {url}: {status}")
                    continue
                if not role_allowed and status not in REFUSED:
                    problems.append(f"{viewer_name} {method} {url}: role may not, got {status}")
                personal = bool(set(rule.arguments) & {"attempt_id", "job_id", "call_id", "assignment_id",
                                                       "team_id", "username", "response_id"})
                if personal and role_allowed and not _may_see_side(viewer, team_setup[side], session):
                    if status not in REFUSED and not (method == "POST" and status == 400):
                        problems.append(f"{viewer_name} {method} {url}: may not see {side}'s work, got {status}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("viewer_name, side, allowed", [
    ("ann", "ann", True), ("ann", "cy", False), ("ben", "ann", False), ("tess", "ann", True), ("tess", "cy", False),
    ("otto", "cy", True), ("rita", "cy", True), ("root", "ann", True),
])
def test_who_sees_whose_debrief_job_and_progress(app, team_setup, world, auth, viewer_name, side, allowed):
    auth.login(viewer_name)
    arguments = world[side]
    for url in (f"/practice/attempts/{arguments['attempt_id']}/debrief", f"/jobs/{arguments['job_id']}",
                f"/progress/people/{arguments['username']}"):
        status = auth.client.get(url).status_code
        assert (status == 200) is allowed, (url, status)


def test_signed_out_visitors_reach_no_route_but_sign_in(app, world):
    client = app.test_client()
    for rule, method in _requests(app):
        response = client.open(_url(rule, world["ann"]), method=method)
        assert response.status_code in SIGNED_OUT | {400, 404}, (rule.rule, method, response.status_code)


def test_only_admins_hold_administer_and_a_trainee_holds_no_staff_ability():
    assert permissions.roles_with("administer") == {Role.admin}
    trainee = type("U", (), {"role": Role.trainee})()
    assert [a for a in permissions.ABILITIES if permissions.may(trainee, a)] == ["practise"]


@pytest.mark.parametrize("viewer_name, allowed", [
    ("ann", False), ("ben", False), ("cy", False), ("tess", True), ("otto", False), ("rita", True), ("root", True),
])
def test_who_may_resolve_anns_dispute_and_see_it_listed(app, team_setup, world, auth, viewer_name, allowed):
    """A lead: the trainer of ann's team, QA reviewers, admins; never ann herself or another team's trainer."""
    auth.login(viewer_name)
    listing = auth.client.get("/calls/disputes")
    assert (listing.status_code == 200 and "unfair to ann" in listing.get_data(as_text=True)) is allowed
    response = auth.client.post(f"/calls/disputes/{world['ann']['response_id']}/resolve",
                                data={"csrf_token": auth.csrf(), "outcome": "uphold", "reason": "checked the call"})
    assert (response.status_code == 302) is allowed, response.status_code
