"""Links from progress pages into the role-play player, by endpoint name only (no blueprint imports).

The player's blueprint owns these pages; when it is not installed the links are simply not shown.
"""
from __future__ import annotations

from flask import current_app, url_for

PLAY_ENDPOINT = "roleplay.briefing"  # the scenario's briefing page, where an attempt starts
DEBRIEF_ENDPOINT = "roleplay.debrief"


def play_url(scenario_slug: str, assignment_id: int | None = None) -> str | None:
    if PLAY_ENDPOINT not in current_app.view_functions:
        return None
    extra = {"assignment": assignment_id} if assignment_id else {}
    return url_for(PLAY_ENDPOINT, slug=scenario_slug, **extra)


def debrief_url(attempt_id: int) -> str | None:
    if DEBRIEF_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(DEBRIEF_ENDPOINT, attempt_id=attempt_id)


def practice_links() -> dict:
    """Template context: ``play_url(slug, assignment_id)`` and ``debrief_url(attempt_id)``."""
    return {"play_url": play_url, "debrief_url": debrief_url}
