"""Fixtures for progress tests: the real scenario library in the database, and finished work of known scores."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from coach.auth import accounts
from coach.models import (Assignment, Attempt, AttemptStatus, Call, Curriculum, CurriculumStep, Recording, Review,
                          ReviewStatus, Scenario, utcnow)
from coach.roleplay.scenario_store import sync_scenarios
from scenarios import LIBRARY_DIR, load_library


@pytest.fixture(scope="session")
def library():
    return load_library(LIBRARY_DIR)


@pytest.fixture
def scenarios(session, library) -> dict[str, Scenario]:
    sync_scenarios(session, library)
    return {row.slug: row for row in session.exec(select(Scenario))}


@pytest.fixture
def add_attempt(session, scenarios):
    """A finished attempt with the given per-skill scores, ``days_ago`` in the past."""
    def add(user, slug: str, scores: dict, days_ago: float = 0, assignment=None) -> Attempt:
        when = utcnow() - timedelta(days=days_ago)
        attempt = Attempt(user_id=user.id, scenario_id=scenarios[slug].id, status=AttemptStatus.finished,
                          assignment_id=assignment.id if assignment else None, scores=scores,
                          overall=round(sum(scores.values()) / len(scores)), outcome="resolved",
                          started_at=when - timedelta(minutes=5), finished_at=when)
        session.add(attempt)
        session.commit()
        return attempt
    return add


@pytest.fixture
def add_review(session):
    """A QA review of a real call by ``agent``: ``final`` or draft, with {skill: score}."""
    def add(agent, reviewer, scores: dict, days_ago: float = 0, final: bool = True, call=None) -> Review:
        if call is None:
            recording = Recording(stored_name=f"rec-{utcnow().timestamp()}-{agent.id}-{reviewer.id}.wav")
            session.add(recording)
            session.flush()
            call = Call(recording_id=recording.id, agent_id=agent.id)
            session.add(call)
            session.flush()
        review = Review(call_id=call.id, reviewer_id=reviewer.id,
                        status=ReviewStatus.final if final else ReviewStatus.draft,
                        scores={k: {"score": v, "auto": v, "overridden": False, "reason": ""} for k, v in scores.items()},
                        finalised_at=utcnow() - timedelta(days=days_ago) if final else None)
        session.add(review)
        session.commit()
        return review
    return add


@pytest.fixture
def curriculum(session, team_setup, scenarios):
    """Tess's curriculum: late-delivery (due in 7 days) then jargon-trap, pass mark 60, two attempts a step."""
    course = Curriculum(name="Basics", owner_id=team_setup["trainer"].id, attempts_allowed=2,
                        pass_marks={skill: 60 for skill in ("active_listening", "empathy", "clarity", "jargon", "ownership")})
    session.add(course)
    session.flush()
    session.add(CurriculumStep(curriculum_id=course.id, position=1, scenario_slug="late-delivery", due_days=7))
    session.add(CurriculumStep(curriculum_id=course.id, position=2, scenario_slug="jargon-trap", due_days=14))
    session.commit()
    return course


@pytest.fixture
def assign(session, team_setup):
    def assign(course, user, days_ago: float = 0) -> Assignment:
        assignment = Assignment(curriculum_id=course.id, user_id=user.id, team_id=user.team_id,
                                assigned_by=team_setup["trainer"].id, assigned_at=utcnow() - timedelta(days=days_ago))
        session.add(assignment)
        session.commit()
        return assignment
    return assign


@pytest.fixture
def token_for(session):
    return lambda user: accounts.create_api_token(session, user, "test")
