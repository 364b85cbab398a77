"""Who may use what: role checks for routes and owner checks for a trainee's own work."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user, login_required

from coach.models import Role, Team, User

STAFF = (Role.trainer, Role.reviewer, Role.admin)


def roles_required(*roles: Role) -> Callable:
    """Route decorator: signed-in users with one of ``roles`` (admins always); others get 403."""
    allowed = {Role(r) for r in roles} | {Role.admin}

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


def any_signed_in(view: Callable) -> Callable:
    """Route decorator: any signed-in user; what they see is narrowed by owner checks inside."""
    wrapped = login_required(view)
    wrapped.allowed_roles = set(Role)
    return wrapped


def can_see_team(viewer: User, team: Team) -> bool:
    """Reviewers and admins see every team; a trainer the teams they lead; a trainee none."""
    return viewer.role in (Role.admin, Role.reviewer) or (viewer.role == Role.trainer and team.trainer_id == viewer.id)


def can_see_user(viewer: User, subject: User, session) -> bool:
    """A trainee sees only themselves; others see whom they see through ``can_see_team``."""
    if viewer.id == subject.id or viewer.role in (Role.admin, Role.reviewer):
        return True
    team = session.get(Team, subject.team_id) if subject.team_id is not None else None
    return team is not None and can_see_team(viewer, team)


def require_can_see(viewer: User, subject: User, session) -> None:
    if not can_see_user(viewer, subject, session):
        abort(403)
