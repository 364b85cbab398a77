"""Look-up-or-404 for the views: fetch a row, then let ``coach.permissions`` decide; views never restate a rule.

A missing row (or an id no database can hold) is a 404; a row the signed-in user may not see is a 403.
"""
from __future__ import annotations

from typing import TypeVar

from flask import abort
from flask_login import current_user
from sqlmodel import select

from coach import db, permissions
from coach.models import Attempt, Calibration, Job, ScorecardResponse, Team, User

MAX_ID = 2**63 - 1
Row = TypeVar("Row")


def get_or_404(model: type[Row], row_id: int) -> Row:
    """The row of ``model`` with ``row_id``, else 404."""
    if not 0 < row_id <= MAX_ID:
        abort(404)
    row = db.get_session().get(model, row_id)
    if row is None:
        abort(404)
    return row


def allowed_or_403(allowed: bool) -> None:
    if not allowed:
        abort(403)


def team_or_404(team_id: int) -> Team:
    """A team the signed-in user may see."""
    team = get_or_404(Team, team_id)
    allowed_or_403(permissions.can_see_team(current_user, team))
    return team


def user_or_404(username: str) -> User:
    """A person the signed-in user may see, by username."""
    subject = db.get_session().exec(select(User).where(User.username == username.lower())).first()
    if subject is None:
        abort(404)
    require_can_see(subject)
    return subject


def require_can_see(subject: User) -> None:
    allowed_or_403(permissions.can_see_user(current_user, subject, db.get_session()))


def attempt_or_404(attempt_id: int) -> Attempt:
    """An attempt the signed-in user may read."""
    attempt = get_or_404(Attempt, attempt_id)
    allowed_or_403(permissions.can_view_attempt(current_user, attempt, db.get_session()))
    return attempt


def job_or_404(job_id: int) -> Job:
    """A job whose progress the signed-in user may watch and retry."""
    job = get_or_404(Job, job_id)
    allowed_or_403(permissions.can_view_job(current_user, job, db.get_session()))
    return job


def calibration_or_404(calibration_id: int) -> Calibration:
    """A calibration the signed-in user may follow (its scores stay hidden until every reviewer has finalised)."""
    calibration = get_or_404(Calibration, calibration_id)
    allowed_or_403(permissions.can_calibrate(current_user))
    return calibration


def dispute_or_404(response_id: int) -> ScorecardResponse:
    """An agent's dispute the signed-in user may resolve."""
    response = get_or_404(ScorecardResponse, response_id)
    agent = db.get_session().get(User, response.agent_id)
    allowed_or_403(agent is not None and permissions.can_resolve_dispute(current_user, response, agent, db.get_session()))
    return response
