"""Finalised QA reviews and trainers' role-play overrides as training rows for ``coach models train --from-reviews``.

Each finalised scorecard gives one row per call: what the customer said (context), what the agent said
(reply, with the reviewer's speaker fixes applied, already redacted) and the reviewer's final score per
dimension (``Review.scores[d]["score"]``, the number progress reads too). Each role-play reply a trainer
overrode gives one row too (``coach.roleplay.overrides.overridden_turn_rows``).
"""
from __future__ import annotations

from sqlmodel import Session, select

from coach import db
from coach.config import settings_from_env
from coach.models import Call, Review, ReviewStatus
from coach.roleplay.overrides import overridden_turn_rows
from scoring import DIMENSIONS

Row = tuple[str, str, dict[str, float]]


def finalised_review_rows(session: Session | None = None) -> list[Row]:
    """(context, reply, {dimension: human score}) for every finalised call review, then every overridden role-play reply."""
    if session is None:
        return _with_own_session()
    rows = []
    query = select(Review, Call).join(Call, Review.call_id == Call.id).where(Review.status == ReviewStatus.final)
    for review, call in session.exec(query.order_by(Review.id)):
        context, reply = _call_text(call, review.speaker_fixes)
        if not reply:
            continue
        scores = {d: float(review.scores[d]["score"]) for d in DIMENSIONS if d in review.scores}
        rows.append((context, reply, scores))
    return rows + overridden_turn_rows(session)


def _call_text(call: Call, fixes: dict) -> tuple[str, str]:
    customer, agent = [], []
    for index, segment in enumerate(call.result.get("segments", [])):
        speaker = fixes.get(str(index), segment["speaker"])
        (agent if speaker == "agent" else customer).append(segment["text"])
    return " ".join(customer).strip(), " ".join(agent).strip()


def _with_own_session() -> list[Row]:
    engine = db.make_engine(settings_from_env().database_url)
    try:
        with db.session_scope(engine) as session:
            return finalised_review_rows(session)
    finally:
        engine.dispose()
