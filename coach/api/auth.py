"""Bearer-token authentication for the API: no or bad token is a 401 JSON answer, never a sign-in redirect."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import g, jsonify, request

from coach import db
from coach.auth import accounts
from coach.models import Role


def error(status: int, message: str):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="coach"'
    return response


def token_required(view: Callable) -> Callable:
    """Route decorator: ``Authorization: Bearer TOKEN`` of an active user; ``g.api_user`` is its owner."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error(401, "send an API token: Authorization: Bearer TOKEN")
        user = accounts.user_for_token(db.get_session(), token.strip())
        if user is None:
            return error(401, "the API token is unknown or revoked")
        g.api_user = user
        return view(*args, **kwargs)

    wrapped.allowed_roles = set(Role)  # every role may hold a token; what it sees is narrowed per route
    return wrapped
