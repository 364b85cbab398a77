"""How a reply's scores move the simulated customer's mood (0 furious, 100 calm)."""
from __future__ import annotations

from dataclasses import dataclass, field

MOOD_MIN, MOOD_MAX = 0, 100


def _default_weights() -> dict[str, tuple[float, float]]:
    # (weight, neutral score): a score above neutral calms, below it frustrates. The neutral
    # points sit near what a flat, polite reply scores, so only warmth and commitment calm.
    return {
        "empathy": (0.4, 30),
        "ownership": (0.4, 35),
        "active_listening": (0.2, 40),
    }


def _default_penalties() -> dict[str, tuple[float, float]]:
    # Only hurt: plain, jargon-free wording is expected, not rewarded.
    return {
        "jargon": (0.4, 60),
        "clarity": (0.2, 50),
    }


def _default_move_credit() -> dict[str, int]:
    # The same move earns the same mood in every scenario: doing something for the customer and showing you heard
    # them calm; pushing them away upsets. Apologies and policy are neutral on their own: words without action.
    return {"offers": 5, "acknowledges": 4, "apologises": 1, "asks_for": 0, "explains_policy": 0, "deflects": -8}


@dataclass(frozen=True)
class MoodModel:
    """Empathy and ownership calm the customer; jargon, muddle and deflection frustrate."""

    weights: dict[str, tuple[float, float]] = field(default_factory=_default_weights)
    penalties: dict[str, tuple[float, float]] = field(default_factory=_default_penalties)
    scale: float = 0.4
    auto_fail_penalty: int = 15
    largest_rise: int = 20
    largest_drop: int = 25
    move_credit: dict[str, int] = field(default_factory=_default_move_credit)

    def move_change(self, kinds: set[str]) -> int:
        """The mood the reply's moves earn (each kind of move counts once), the same in every scenario."""
        return sum(self.move_credit.get(kind, 0) for kind in kinds)

    def change(self, scores: dict[str, int], volatility: float = 1.0, auto_fail: bool = False) -> int:
        """The mood change one reply causes, before any scenario-specific ``mood_change``."""
        raw = 0.0
        for dimension, (weight, neutral) in self.weights.items():
            if dimension in scores:
                raw += weight * (scores[dimension] - neutral)
        for dimension, (weight, neutral) in self.penalties.items():
            if dimension in scores:
                raw += weight * min(0, scores[dimension] - neutral)
        change = round(raw * self.scale * volatility)
        if auto_fail:
            change -= self.auto_fail_penalty
        return max(-self.largest_drop, min(self.largest_rise, change))


def clamp_mood(mood: int) -> int:
    return max(MOOD_MIN, min(MOOD_MAX, mood))


def mood_label(mood: int) -> str:
    """A word for the mood meter."""
    if mood < 20:
        return "furious"
    if mood < 40:
        return "upset"
    if mood < 60:
        return "uneasy"
    if mood < 80:
        return "calmer"
    return "calm"
