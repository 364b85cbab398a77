"""Accounts: creating users, checking passwords with a sign-in rate limit, API tokens."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from coach.models import ApiToken, LoginAttempt, Role, Team, User, utcnow
from coach.permissions import can_lead_team

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why."""


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_for_s: int = 0


def create_user(session: Session, username: str, password: str, role: Role | str = "trainee",
                display_name: str = "", team: Team | None = None) -> User:
    """Add a user with a hashed password; refuses duplicates and short passwords."""
    username = username.strip().lower()
    if not username or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise AccountError("a username uses letters, digits, '.', '-' and '_' only")
    if session.exec(select(User).where(User.username == username)).first():
        raise AccountError(f"the username {username!r} is taken")
    check_password_strength(password)
    user = User(username=username, display_name=display_name.strip(), role=Role(role),
                password_hash=generate_password_hash(password), team_id=team.id if team else None)
    session.add(user)
    session.commit()
    return user


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def set_password(session: Session, user: User, password: str) -> None:
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)
    session.add(user)
    session.commit()


def sign_in(session: Session, username: str, password: str, remote_addr: str,
            max_failures: int, window_s: int) -> SignInResult:
    """Check a password, refusing further tries after ``max_failures`` failures within the window."""
    username = username.strip().lower()
    since = utcnow() - timedelta(seconds=window_s)
    failures = session.exec(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.succeeded == False,  # noqa: E712
            LoginAttempt.at >= since)
    ).one()
    if failures >= max_failures:
        oldest = session.exec(
            select(func.min(LoginAttempt.at)).where(
                LoginAttempt.username == username, LoginAttempt.succeeded == False,  # noqa: E712
                LoginAttempt.at >= since)
        ).one()
        return SignInResult(None, locked_for_s=max(1, int((oldest - since).total_seconds())))
    user = session.exec(select(User).where(User.username == username)).first()
    ok = user is not None and user.active and check_password_hash(user.password_hash, password)
    session.add(LoginAttempt(username=username, remote_addr=remote_addr[:64], succeeded=ok))
    session.commit()
    return SignInResult(user if ok else None)


def create_api_token(session: Session, user: User, label: str = "") -> str:
    """A new token for ``user``; only its hash is stored, so the token is shown once."""
    token = "coach_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label[:80]))
    session.commit()
    return token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(session: Session, token: str) -> User | None:
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token), ApiToken.revoked == False)).first()  # noqa: E712
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = utcnow()
    session.add(row)
    session.commit()
    return user


def create_team(session: Session, name: str, trainer: User | None = None) -> Team:
    name = name.strip()
    if not name:
        raise AccountError("a team needs a name")
    if session.exec(select(Team).where(Team.name == name)).first():
        raise AccountError(f"the team {name!r} exists already")
    if trainer is not None and not can_lead_team(trainer):
        raise AccountError(f"{trainer.username} is a {trainer.role.value}, not a trainer")
    team = Team(name=name, trainer_id=trainer.id if trainer else None)
    session.add(team)
    session.commit()
    return team
