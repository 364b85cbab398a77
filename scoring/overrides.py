"""A person's override of a score: a whole number from 0 to 100 and the reason the scored person reads.

Role-play debriefs (a trainer) and QA scorecards (a reviewer) both take overrides; this is the one check for both.
"""
from __future__ import annotations

MAX_REASON = 500
SCORE_PROBLEM = "Give the score as a whole number from 0 to 100."


def checked_override(score: str | int | None, reason: str | None, *, missing_reason: str,
                     error: type[ValueError]) -> tuple[int, str]:
    """The score as an int in 0..100 and the trimmed reason (at most ``MAX_REASON`` characters), or ``error``."""
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        raise error(SCORE_PROBLEM) from None
    if not 0 <= value <= 100:
        raise error(SCORE_PROBLEM)
    reason = (reason or "").strip()
    if not reason:
        raise error(missing_reason)
    return value, reason[:MAX_REASON]
