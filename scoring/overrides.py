"""A person's override of a score: a whole number from 0 to 100 and the reason the scored person reads.

Role-play debriefs (a trainer) and QA scorecards (a reviewer) both take overrides; this is the one type and the
one check for both.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_REASON = 500
SCORE_PROBLEM = "Give the score as a whole number from 0 to 100."


@dataclass(frozen=True)
class ScoreOverride:
    """A person's score for one dimension, replacing the scorer's, and the reason the scored person reads."""

    score: int
    reason: str


def checked_score(score: str | int | None, *, error: type[ValueError]) -> int:
    """A person's score as an int in 0..100, or ``error``."""
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        raise error(SCORE_PROBLEM) from None
    if not 0 <= value <= 100:
        raise error(SCORE_PROBLEM)
    return value


def checked_override(score: str | int | None, reason: str | None, *, missing_reason: str,
                     error: type[ValueError]) -> ScoreOverride:
    """The score as an int in 0..100 and the trimmed reason (at most ``MAX_REASON`` characters), or ``error``."""
    value = checked_score(score, error=error)
    reason = (reason or "").strip()
    if not reason:
        raise error(missing_reason)
    return ScoreOverride(value, reason[:MAX_REASON])
