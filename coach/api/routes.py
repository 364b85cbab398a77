"""``GET /api/v1/users/<username>/progress`` and ``GET /api/v1/teams/<team>/progress``.

Levels come from the stored snapshots, so a call reads five numbers and the latest observations a person, not
their whole history; ``series`` holds each skill's latest ``snapshots.SERIES_POINTS`` observations.
"""
from flask import Blueprint, g, jsonify
from sqlmodel import select

from coach import db
from coach.api.auth import error, token_required
from coach.models import Team, User
from coach.permissions import can_see_team, can_see_user, is_trainee
from coach.progress.history import levels_with_latest, team_trainees
from coach.web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _progress(user: User, levels: dict) -> dict:
    return {"user": user.username, "skills": {skill: level.to_dict() for skill, level in levels.items()}}


@bp.get("/users/<username>/progress")
@token_required
def user_progress(username: str):
    session, viewer = db.get_session(), g.api_user
    if is_trainee(viewer) and username.lower() != viewer.username:
        return error(403, "a trainee's token reads only that trainee's own progress")
    subject = session.exec(select(User).where(User.username == username.lower())).first()
    if subject is None:
        return error(404, f"no user named {username!r}")
    if not can_see_user(viewer, subject, session):
        return error(403, f"your account may not see {username}'s progress")
    return jsonify(_progress(subject, levels_with_latest(session, [subject])[subject.id]))


@bp.get("/teams/<team_name>/progress")
@token_required
def team_progress(team_name: str):
    session, viewer = db.get_session(), g.api_user
    if is_trainee(viewer):
        return error(403, "a trainee's token reads only that trainee's own progress")
    team = session.exec(select(Team).where(Team.name == team_name)).first()
    if team is None:
        return error(404, f"no team named {team_name!r}")
    if not can_see_team(viewer, team):
        return error(403, f"your account may not see the team {team_name!r}")
    members = team_trainees(session, team)
    levels = levels_with_latest(session, members)
    return jsonify({"team": team.name, "members": [_progress(m, levels[m.id]) for m in members]})
