"""Sign-in throttling, per account and per client address, safe under concurrent guesses.

A try is *reserved* before its password is checked: counting the recent failures and recording the new try
happen in one transaction that holds a write lock, and the new try counts as a failure until it succeeds.
So twenty guesses sent at once get at most the limit checked against the password hash.

Over the last ``window_s`` seconds:

- an address with ``per_address`` failures (on any accounts) is refused: one client guessing many accounts;
- an account with ``per_account`` failures from one address is refused from that address;
- an account with ``per_account`` failures in all is refused from every address that has not signed in to it
  successfully in the last ``KNOWN_ADDRESS_DAYS``: guesses spread over many addresses stay bounded, while a
  stranger cannot lock the owner (an administrator, say) out from an address the owner has used before.

``coach user unlock NAME`` forgets an account's failures (``forget_failures``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from coach.models import LoginAttempt, utcnow

KNOWN_ADDRESS_DAYS = 30


@dataclass(frozen=True)
class Limits:
    per_account: int
    per_address: int
    window_s: int


@dataclass(frozen=True)
class Reservation:
    """A reserved try (``attempt_id``), or a refusal saying for how long and why ("account" or "address")."""

    attempt_id: int | None
    locked_for_s: int = 0
    locked_by: str = ""


def reserve(engine: Engine, username: str, remote_addr: str, limits: Limits) -> Reservation:
    """Refuse the try if a limit is reached, else record it as a failure until ``settle`` says otherwise."""
    with engine.connect() as connection:
        _lock_attempts(connection)
        now = utcnow()
        failed = (LoginAttempt.succeeded == False) & (LoginAttempt.at >= now - timedelta(seconds=limits.window_s))
        from_here = failed & (LoginAttempt.remote_addr == remote_addr)
        on_account = LoginAttempt.username == username

        def refusal(where, limit: int, locked_by: str) -> Reservation | None:
            return _refusal(connection, where, limit, limits.window_s, now, locked_by)

        refused = refusal(from_here, limits.per_address, "address") or refusal(from_here & on_account, limits.per_account, "account")
        if refused is None and not _known_address(connection, username, remote_addr, now):
            refused = refusal(failed & on_account, limits.per_account, "account")
        if refused is not None:
            connection.rollback()
            return refused
        row = connection.execute(insert(LoginAttempt).values(username=username, remote_addr=remote_addr, succeeded=False, at=now))
        connection.commit()
        return Reservation(attempt_id=row.inserted_primary_key[0])


def settle(engine: Engine, attempt_id: int) -> None:
    """The reserved try signed in: it no longer counts as a failure, and its address becomes known."""
    with engine.begin() as connection:
        connection.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))


def forget_failures(engine: Engine, username: str) -> int:
    """Delete the failed tries on ``username``, lifting its lock at once; returns how many."""
    with engine.begin() as connection:
        result = connection.execute(delete(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.succeeded == False))
        return result.rowcount


def _lock_attempts(connection: Connection) -> None:
    """Serialise reservations, so each one counts the tries that the one before it recorded."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the INSERT
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE login_attempts IN SHARE ROW EXCLUSIVE MODE")  # conflicts with itself


def _refusal(connection: Connection, where, limit: int, window_s: int, now: datetime, locked_by: str) -> Reservation | None:
    """A refusal if ``limit`` failures match ``where``; it lasts until the oldest of them leaves the window."""
    count, oldest = connection.execute(select(func.count(), func.min(LoginAttempt.at)).where(where)).one()
    if count < limit:
        return None
    locked_for = oldest + timedelta(seconds=window_s) - now
    return Reservation(attempt_id=None, locked_for_s=max(1, int(locked_for.total_seconds())), locked_by=locked_by)


def _known_address(connection: Connection, username: str, remote_addr: str, now: datetime) -> bool:
    since = now - timedelta(days=KNOWN_ADDRESS_DAYS)
    return connection.execute(select(LoginAttempt.id).where(
        LoginAttempt.username == username, LoginAttempt.remote_addr == remote_addr,
        LoginAttempt.succeeded == True, LoginAttempt.at >= since).limit(1)).first() is not None
