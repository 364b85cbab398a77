"""An agent's answer to a finalised scorecard (acknowledge, or dispute with a reason) and a lead's resolution
(uphold, or change one score with a reason). Plain functions over the session; no Flask."""
from __future__ import annotations

from sqlmodel import Session, select

from coach.models import DisputeStatus, ResponseKind, Review, ScorecardResponse, User, utcnow
from coach.review.scorecards import ReviewError, overall_of
from scoring import DIMENSIONS, Rubric
from scoring.overrides import MAX_REASON, checked_override

UPHOLD, CHANGE = "uphold", "change"


def response_to(session: Session, review: Review) -> ScorecardResponse | None:
    return session.exec(select(ScorecardResponse).where(ScorecardResponse.review_id == review.id)).first()


def respond(session: Session, review: Review, agent: User, kind: str, reason: str = "") -> ScorecardResponse:
    """The agent acknowledges the scorecard, or disputes it; a dispute says why, for the lead who resolves it."""
    if response_to(session, review) is not None:
        raise ReviewError("You have already answered this scorecard.")
    try:
        kind = ResponseKind(kind)
    except ValueError:
        raise ReviewError("Acknowledge the scorecard or dispute it.") from None
    reason = (reason or "").strip()[:MAX_REASON]
    if kind == ResponseKind.disputed and not reason:
        raise ReviewError("Say what you dispute and why: the lead who resolves it reads your reason.")
    response = ScorecardResponse(review_id=review.id, agent_id=agent.id, kind=kind, reason=reason,
                                 status=DisputeStatus.open if kind == ResponseKind.disputed else None)
    session.add(response)
    session.commit()
    return response


def resolve(session: Session, response: ScorecardResponse, review: Review, lead: User, outcome: str, reason: str,
            rubric: Rubric, dimension: str = "", score: str | int | None = None) -> ScorecardResponse:
    """Close an open dispute: uphold the scorecard, or change one score (the overall follows the rubric)."""
    if response.status != DisputeStatus.open:
        raise ReviewError("This dispute is already resolved.")
    if outcome not in (UPHOLD, CHANGE):
        raise ReviewError("Uphold the scorecard or change a score.")
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise ReviewError("Say why: the agent reads the resolution.")
    response.resolved_by, response.resolution, response.resolved_at = lead.id, reason, utcnow()
    if outcome == UPHOLD:
        response.status = DisputeStatus.upheld
    else:
        if dimension not in DIMENSIONS:
            raise ReviewError("Choose the score to change.")
        change = checked_override(score, reason, error=ReviewError, missing_reason="Say why the score changes.")
        scores = dict(review.scores)
        response.dimension, response.old_score, response.new_score = dimension, scores[dimension]["score"], change.score
        scores[dimension] = {**scores[dimension], "score": change.score, "overridden": True,
                             "reason": f"Changed after a dispute: {change.reason}"}
        review.scores, review.overall = scores, overall_of(scores, rubric)
        response.status = DisputeStatus.changed
        session.add(review)
    session.add(response)
    session.commit()
    return response
