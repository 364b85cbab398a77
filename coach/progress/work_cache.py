"""Values computed from people's work, kept in each process and keyed by the shared change counters.

``skill_snapshots.changes`` is raised in the same transaction as any change to a person's finished attempts or
finalised reviews (``coach.progress.snapshots``). A value computed from that work (an assignment's status, a team's
recent attempts) is kept here under a key holding the counters it was computed at; a reader first reads the
counters (one query), so a change made by any process or server gives a new key and the value is recomputed.
Nothing is invalidated in place, so a stale entry is never served: it is only left unread until the memo is full.
The memo is per database engine (tests run many databases in one process) and bounded.
"""
from __future__ import annotations

import threading
import weakref
from typing import Callable, Hashable

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from coach.models import SkillSnapshot

MAX_ENTRIES = 50_000  # a few KB each at most; the memo is emptied when full

_memos: "weakref.WeakKeyDictionary[Engine, dict]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def work_versions(session: Session, user_ids: list[int]) -> dict[int, int]:
    """Each person's change counter (0 for someone whose work never changed)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    found = dict(session.exec(select(SkillSnapshot.user_id, SkillSnapshot.changes).where(SkillSnapshot.user_id.in_(ids))).all())
    return {user_id: found.get(user_id, 0) for user_id in ids}


def _memo(session: Session) -> dict:
    engine = session.get_bind()
    with _lock:
        memo = _memos.get(engine)
        if memo is None:
            memo = _memos[engine] = {}
        return memo


def lookup(session: Session, keys: list[Hashable]) -> dict[Hashable, object]:
    """The kept values of those ``keys`` that are present."""
    memo = _memo(session)
    return {key: memo[key] for key in keys if key in memo}


def keep(session: Session, values: dict[Hashable, object]) -> None:
    memo = _memo(session)
    with _lock:
        if len(memo) + len(values) > MAX_ENTRIES:
            memo.clear()
        memo.update(values)


def cached(session: Session, key: Hashable, compute: Callable[[], object]):
    """The value kept under ``key``, computed and kept when absent."""
    found = lookup(session, [key])
    if key in found:
        return found[key]
    value = compute()
    keep(session, {key: value})
    return value
