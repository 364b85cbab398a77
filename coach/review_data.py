"""Training rows for ``coach models train --from-reviews``: finalised QA reviews and trainer overrides.

Placeholder written by the scoring engine (issue 3) until the review feature reads them from the database.
"""
from __future__ import annotations


def finalised_review_rows() -> list[tuple[str, str, dict[str, float]]]:
    """(customer context, agent reply, {dimension: human score 0-100}) for every finalised review or override.

    Returns no rows until the review feature (coach/review) stores per-reply human scores.
    """
    return []
