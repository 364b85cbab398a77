"""A stand-in scorer for testing the role-play player and the scenario loader apart from scoring.

Its scorecards are shaped like ``scoring.Scorecard`` as far as ``scenarios.play`` reads them, with a level the
test chooses. It says nothing about how a reply is scored: use it where the scenario graph is under test (branches,
mood, endings, saved state, hostile scenario files), never to claim a score.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")


@dataclass
class FixedScorecard:
    """Every dimension at one level, a tip per dimension."""

    scores: dict[str, int]
    overall: int
    tips: dict[str, str] = field(default_factory=dict)
    evidence: list = field(default_factory=list)
    auto_fail: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"scores": dict(self.scores), "overall": self.overall, "tips": dict(self.tips)}


def fixed_scorer(level: int | Callable[[str], int]):
    """A scorer with the player's signature giving every dimension ``level`` (or ``level(reply)``)."""
    def score(reply, context="", facts=None, words=None, voice=None) -> FixedScorecard:
        value = level(reply) if callable(level) else level
        return FixedScorecard(dict.fromkeys(DIMENSIONS, value), value,
                              {dimension: f"tip for {dimension}" for dimension in DIMENSIONS})
    return score
