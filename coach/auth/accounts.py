"""Accounts: creating users, checking passwords under the sign-in throttle, ending sessions, API tokens."""
from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from coach.auth import throttle
from coach.models import ApiToken, Role, Team, User, utcnow
from coach.permissions import can_lead_team, may, roles_with

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why."""


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_for_s: int = 0
    locked_by: str = ""  # "account" or "address" when the throttle refused the try


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
    """Change the password; every session of the account ends (``end_sessions``)."""
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)
    end_sessions(session, user)


def end_sessions(session: Session, user: User) -> None:
    """Raise the account's session version, so every session cookie issued before is refused."""
    user.session_version = (user.session_version or 0) + 1
    session.add(user)
    session.commit()


def set_active(session: Session, user: User, active: bool) -> None:
    """(De)activate an account; its sessions end either way, so reactivation revives no old cookie."""
    user.active = active
    end_sessions(session, user)


def random_password() -> str:
    """A password for a reset by an administrator, shown once."""
    return secrets.token_urlsafe(12)


def change_account(session: Session, user: User, actor: User | None, role: Role | str | None = None,
                   team: Team | None = None, clear_team: bool = False) -> None:
    """Give ``user`` a new role and/or team; ``actor`` (None from the command line) may not demote themself,
    and a trainer who leads a team keeps a role that may lead it."""
    if role is not None:
        role = Role(role)
        if actor is not None and actor.id == user.id and may(actor, "administer") and role not in roles_with("administer"):
            raise AccountError("you cannot take away your own administrator role; ask another administrator")
        led = session.exec(select(Team).where(Team.trainer_id == user.id)).all()
        if led and role not in roles_with("lead_a_team"):
            raise AccountError(f"{user.username} leads {', '.join(t.name for t in led)}; name another trainer first")
        user.role = role
    if clear_team:
        user.team_id = None
    elif team is not None:
        user.team_id = team.id
    session.add(user)
    session.commit()


def change_active(session: Session, user: User, active: bool, actor: User | None = None) -> None:
    """``set_active`` as asked by ``actor`` (None from the command line), who may not deactivate themself."""
    if not active and actor is not None and actor.id == user.id:
        raise AccountError("you cannot deactivate your own account; ask another administrator")
    set_active(session, user, active)


def sign_in(session: Session, username: str, password: str, remote_addr: str,
            max_failures: int, window_s: int, max_address_failures: int | None = None) -> SignInResult:
    """Check a password under the sign-in throttle (``coach.auth.throttle``); an address may fail
    ``max_address_failures`` times (default: four times ``max_failures``) over all accounts.

    Known, unknown and inactive usernames cost the same: the password is always checked against a hash.
    """
    username = username.strip().lower()
    remote_addr = remote_addr[:64]
    limits = throttle.Limits(per_account=max_failures, per_address=max_address_failures or 4 * max_failures,
                             window_s=window_s)
    engine = session.get_bind().engine
    reservation = throttle.reserve(engine, username, remote_addr, limits)
    if reservation.attempt_id is None:
        return SignInResult(None, locked_for_s=reservation.locked_for_s, locked_by=reservation.locked_by)
    user = session.exec(select(User).where(User.username == username)).first()
    matches = check_password_hash(user.password_hash if user is not None else _dummy_hash(), password)
    if not (matches and user.active):
        return SignInResult(None)
    throttle.settle(engine, reservation.attempt_id)
    return SignInResult(user)


def unlock(session: Session, username: str) -> int:
    """Lift the sign-in lock on ``username`` by forgetting its failed tries; returns how many."""
    return throttle.forget_failures(session.get_bind().engine, username.strip().lower())


@functools.cache
def _dummy_hash() -> str:
    """A hash made like real ones, checked for unknown usernames so they answer as slowly as known ones."""
    return generate_password_hash(secrets.token_urlsafe(16))


def create_api_token(session: Session, user: User, label: str = "") -> str:
    """A new token for ``user``; only its hash is stored, so the token is shown once."""
    token = "coach_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label[:80]))
    session.commit()
    return token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def revoke_api_token(session: Session, token_id: int) -> ApiToken:
    """Stop the token working at once; the row stays, so the list shows who held it and when it was used."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise AccountError(f"no API token with id {token_id}")
    row.revoked = True
    session.add(row)
    session.commit()
    return row


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
