"""Signed-in sessions that really end: each carries its account's session version and the time it began.

Flask keeps the session in a signed cookie, so a copy of the cookie works wherever it is sent until the
server refuses it. The user loader refuses a session whose version is older than the account's (raised by
``accounts.end_sessions`` on sign-out, password change and deactivation) or that began more than
COACH_SESSION_HOURS ago. Flask-Login's remember cookie carries neither, so it never signs anyone in: Coach
offers no "remember me".
"""
from __future__ import annotations

import time

from flask import current_app, session
from flask_login import login_user, logout_user

from coach.models import User

VERSION_KEY = "_coach_session_version"
STARTED_KEY = "_coach_session_started"


def begin(user: User) -> None:
    """Sign ``user`` in on this browser."""
    login_user(user)
    session[VERSION_KEY] = user.session_version
    session[STARTED_KEY] = int(time.time())


def keep(user: User) -> None:
    """Keep this browser signed in after ``user``'s session version was raised here (a password change)."""
    session[VERSION_KEY] = user.session_version


def end() -> None:
    """Sign this browser out (the caller ends the account's other sessions with ``accounts.end_sessions``)."""
    logout_user()
    session.pop(VERSION_KEY, None)
    session.pop(STARTED_KEY, None)


def is_current(user: User) -> bool:
    """Whether this request's session may act for ``user``: same session version, begun within the lifetime."""
    started = session.get(STARTED_KEY)
    if session.get(VERSION_KEY) != user.session_version or not isinstance(started, int):
        return False
    return 0 <= time.time() - started <= current_app.permanent_session_lifetime.total_seconds()
