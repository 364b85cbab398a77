"""Stored skill levels per person, so pages read five numbers instead of recomputing them from every observation.

A person's row in ``skill_snapshots`` carries ``changes``, raised in the same transaction as any change to their
finished attempts (a reply that ends an attempt, a trainer's override) or finalised reviews (SQLAlchemy flush
events below, so every writer is covered without knowing of this module). The stored levels are used while
``computed_for`` equals ``changes``; otherwise they are recomputed and stored again. ``changes`` is read before
the observations, so a change committed meanwhile leaves the new snapshot stale-marked, never wrong.

A level does not depend on the moment it is read: recency weights halve every 21 days for every observation
alike, and the common factor cancels out of the weighted mean, spread and effective count.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from coach.models import Attempt, Call, Review, SkillSnapshot, utcnow
from coach.progress.levels import DIMENSIONS, Observation, SkillLevel, smoothed_series

SERIES_POINTS = 40  # a skill's chart shows its latest observations; its level counts every one

LEVEL_FIELDS = ("level", "low", "high", "confidence", "trend", "count")


# --- reading ----------------------------------------------------------------------------------

def current_levels(session: Session, user_ids: list[int],
                   compute) -> dict[int, dict[str, SkillLevel]]:
    """Each person's five levels (without observations), from the stored snapshots where they still hold.

    ``compute(user_ids)`` gives ``{user_id: {skill: SkillLevel}}`` with observations, for the people to recompute.
    """
    found, _ = _read(session, user_ids, compute, with_series=False)
    return found


def levels_with_history(session: Session, user_id: int, compute) -> tuple[dict[str, SkillLevel], dict[str, list[int]]]:
    """One person's levels with their latest observations, and the level after each of those observations."""
    found, smoothed = _read(session, [user_id], compute, with_series=True)
    return found[user_id], smoothed[user_id]


def latest_levels(session: Session, user_ids: list[int], compute) -> dict[int, dict[str, SkillLevel]]:
    """Each person's five levels carrying their latest observations (``SERIES_POINTS`` a skill)."""
    found, _ = _read(session, user_ids, compute, with_series=True)
    return found


def _read(session: Session, user_ids: list[int], compute, with_series: bool):
    ids = sorted(set(user_ids))
    columns = [SkillSnapshot.user_id, SkillSnapshot.changes, SkillSnapshot.computed_for, SkillSnapshot.levels]
    if with_series:
        columns.append(SkillSnapshot.series)
    rows = {row[0]: row for row in session.exec(select(*columns).where(SkillSnapshot.user_id.in_(ids))).all()} if ids else {}
    levels, smoothed, stale = {}, {}, []
    for user_id in ids:
        row = rows.get(user_id)
        if row is not None and row[2] is not None and row[2] == row[1] and row[3]:
            levels[user_id] = _levels_from(row[3], row[4] if with_series else None)
            smoothed[user_id] = _smoothed_from(row[4]) if with_series else {}
        else:
            stale.append(user_id)
    if stale:
        computed = compute(stale)
        for user_id in stale:
            levels_json, series_json = _payload(computed[user_id])
            _store(session, user_id, rows[user_id][1] if user_id in rows else 0, levels_json, series_json)
            levels[user_id] = _levels_from(levels_json, series_json if with_series else None)
            smoothed[user_id] = _smoothed_from(series_json) if with_series else {}
        session.commit()
    return levels, smoothed


def _payload(levels: dict[str, SkillLevel]) -> tuple[dict, dict]:
    stored = {skill: {name: getattr(level, name) for name in LEVEL_FIELDS} for skill, level in levels.items()}
    series = {}
    for skill, level in levels.items():
        after = smoothed_series(level.observations)[-SERIES_POINTS:]
        latest = level.observations[-SERIES_POINTS:]
        series[skill] = [[int(o.at.timestamp() * 1000), o.score, o.source, o.ref, value]
                         for o, (_, value) in zip(latest, after)]
    return stored, series


def _levels_from(stored: dict, series: dict | None) -> dict[str, SkillLevel]:
    levels = {}
    for skill in DIMENSIONS:
        values = stored.get(skill) or {"level": None, "low": None, "high": None, "confidence": 0.0, "trend": None, "count": 0}
        observations = tuple(Observation(datetime.fromtimestamp(ms / 1000, timezone.utc), score, source, ref)
                             for ms, score, source, ref, _ in (series or {}).get(skill, ()))
        levels[skill] = SkillLevel(skill, *(values[name] for name in LEVEL_FIELDS), observations=observations)
    return levels


def _smoothed_from(series: dict) -> dict[str, list[int]]:
    return {skill: [point[4] for point in series.get(skill, ())] for skill in DIMENSIONS}


def _store(session: Session, user_id: int, changes: int, levels: dict, series: dict) -> None:
    """Keep the snapshot unless ``changes`` moved on since it was read (then the next reader recomputes)."""
    values = {"user_id": user_id, "changes": changes, "computed_for": changes, "levels": levels, "series": series,
              "computed_at": utcnow()}
    statement = _insert(session.get_bind().dialect.name, values)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id"], set_={"computed_for": changes, "levels": levels, "series": series,
                                          "computed_at": values["computed_at"]},
        where=SkillSnapshot.__table__.c.changes == changes)
    session.execute(statement)


def _insert(dialect: str, values: dict):
    table = SkillSnapshot.__table__
    return (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)).values(**values)


# --- invalidation -----------------------------------------------------------------------------

def mark_changed(connection, user_id: int | None) -> None:
    """Raise ``changes`` for a person, creating the row if needed; run inside the writer's transaction."""
    if user_id is None:
        return
    table = SkillSnapshot.__table__
    statement = _insert(connection.dialect.name, {"user_id": user_id, "changes": 1, "computed_for": None,
                                                  "levels": {}, "series": {}, "computed_at": utcnow()})
    connection.execute(statement.on_conflict_do_update(index_elements=["user_id"],
                                                       set_={"changes": table.c.changes + 1}))


def _changed(target, *names: str) -> bool:
    state = inspect(target)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Attempt, "after_insert")
@event.listens_for(Attempt, "after_delete")
def _attempt_added_or_removed(_mapper, connection, attempt: Attempt) -> None:
    if attempt.finished_at is not None:
        mark_changed(connection, attempt.user_id)


@event.listens_for(Attempt, "after_update")
def _attempt_updated(_mapper, connection, attempt: Attempt) -> None:
    if _changed(attempt, "status", "scores", "finished_at", "user_id", "assignment_id"):
        mark_changed(connection, attempt.user_id)
        old_owner = inspect(attempt).attrs.user_id.history.deleted
        if old_owner:
            mark_changed(connection, old_owner[0])


def _agent_of(connection, call_id: int) -> int | None:
    return connection.execute(select(Call.agent_id).where(Call.id == call_id)).scalar()


@event.listens_for(Review, "after_insert")
@event.listens_for(Review, "after_delete")
def _review_added_or_removed(_mapper, connection, review: Review) -> None:
    if review.finalised_at is not None:
        mark_changed(connection, _agent_of(connection, review.call_id))


@event.listens_for(Review, "after_update")
def _review_updated(_mapper, connection, review: Review) -> None:
    if _changed(review, "status", "scores", "finalised_at", "call_id"):
        mark_changed(connection, _agent_of(connection, review.call_id))


@event.listens_for(Call, "after_update")
def _call_updated(_mapper, connection, call: Call) -> None:
    if _changed(call, "agent_id"):
        mark_changed(connection, call.agent_id)
        for old_agent in inspect(call).attrs.agent_id.history.deleted:
            mark_changed(connection, old_agent)
