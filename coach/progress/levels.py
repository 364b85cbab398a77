"""Soft-skill progress from scored observations: level, confidence band, trend, and what to practise next.

Pure computation (no Flask, no database). An observation is one score for one skill: an
attempt's role-play score or a finalised QA review of a real call. The method is described
in the README ("How progress is computed").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Literal, Sequence

from scoring.skills import DIMENSIONS, SKILL_NAMES  # noqa: F401  (re-exported for the progress pages)

DEFAULT_PASS_MARK = 70

HALF_LIFE_DAYS = 21.0  # an observation three weeks old counts half as much as one from today
PRIOR_SD = 20.0  # assumed spread of one person's scores before we have seen any
PRIOR_WEIGHT = 2.0  # how many observations' worth of belief the prior spread carries
Z_90 = 1.645  # the band is a 90 % interval
TREND_WINDOW = 5  # trend: mean of the last N observations minus the mean of the N before

Source = Literal["roleplay", "review"]


@dataclass(frozen=True)
class Observation:
    """One score (0-100) for one skill at one moment; ``ref`` is the attempt or review id."""

    at: datetime
    score: float
    source: Source = "roleplay"
    ref: int | None = None


@dataclass(frozen=True)
class SkillLevel:
    """Where a skill stands now: ``level`` with a ``low``..``high`` band, ``confidence`` 0..1 and ``trend`` in points."""

    skill: str
    level: int | None
    low: int | None
    high: int | None
    confidence: float
    trend: float | None
    count: int
    observations: tuple[Observation, ...] = field(default=(), repr=False)

    @property
    def known(self) -> bool:
        return self.level is not None

    def below(self, pass_mark: int) -> bool:
        return self.level is not None and self.level < pass_mark

    def to_dict(self) -> dict:
        """The API's form: level, band, confidence, trend and every observation, oldest first."""
        return {
            "level": self.level, "low": self.low, "high": self.high, "confidence": self.confidence,
            "trend": self.trend, "count": self.count,
            "series": [{"at": as_utc(o.at).isoformat(), "score": o.score, "source": o.source} for o in self.observations],
        }


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; every stored time is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def recency_weights(observations: Sequence[Observation], now: datetime, half_life_days: float = HALF_LIFE_DAYS) -> list[float]:
    """Exponential decay: weight 1 today, 0.5 after one half-life, 0.25 after two (future times count as today)."""
    now = as_utc(now)
    ages = [max(0.0, (now - as_utc(o.at)).total_seconds() / 86400) for o in observations]
    return [0.5 ** (age / half_life_days) for age in ages]


def skill_level(skill: str, observations: Iterable[Observation], now: datetime,
                half_life_days: float = HALF_LIFE_DAYS, trend_window: int = TREND_WINDOW) -> SkillLevel:
    """The recency-weighted level of one skill with its 90 % band, confidence and trend."""
    ordered = tuple(sorted(observations, key=lambda o: as_utc(o.at)))
    if not ordered:
        return SkillLevel(skill, None, None, None, 0.0, None, 0)
    weights = recency_weights(ordered, now, half_life_days)
    total = sum(weights)
    mean = sum(w * o.score for w, o in zip(weights, ordered)) / total
    effective_n = total ** 2 / sum(w * w for w in weights)
    spread = sum(w * (o.score - mean) ** 2 for w, o in zip(weights, ordered)) / total
    # the observed spread is blended with a prior spread, so two equal scores do not claim certainty
    sd = math.sqrt((effective_n * spread + PRIOR_WEIGHT * PRIOR_SD ** 2) / (effective_n + PRIOR_WEIGHT))
    half_width = Z_90 * sd / math.sqrt(effective_n)
    return SkillLevel(
        skill=skill,
        level=round(mean),
        low=max(0, round(mean - half_width)),
        high=min(100, round(mean + half_width)),
        confidence=confidence_from_half_width(half_width),
        trend=trend([o.score for o in ordered], trend_window),
        count=len(ordered),
        observations=ordered,
    )


def confidence_from_half_width(half_width: float) -> float:
    """1.0 for a band of ±0 points, 0.0 for ±50 or wider; rounded to two places."""
    return round(max(0.0, min(1.0, 1 - half_width / 50)), 2)


def trend(scores: Sequence[float], window: int = TREND_WINDOW) -> float | None:
    """Mean of the last ``window`` scores minus the mean of the ``window`` before (shorter windows while history is short).

    ``None`` with fewer than two scores; positive means improving.
    """
    if len(scores) < 2:
        return None
    n = min(window, len(scores) // 2)
    recent, before = scores[-n:], scores[-2 * n:-n]
    return round(sum(recent) / n - sum(before) / n, 1)


def smoothed_series(observations: Sequence[Observation], half_life_days: float = HALF_LIFE_DAYS) -> list[tuple[datetime, int]]:
    """The level as it stood right after each observation: the trend line drawn through the points."""
    # the recency-weighted mean carried forward: one pass instead of a level per prefix (quadratic in history)
    ordered = sorted(observations, key=lambda o: as_utc(o.at))
    series, weighted, total, previous = [], 0.0, 0.0, None
    for o in ordered:
        at = as_utc(o.at)
        decay = 0.5 ** ((at - previous).total_seconds() / 86400 / half_life_days) if previous else 1.0
        weighted, total, previous = weighted * decay + o.score, total * decay + 1.0, at
        series.append((at, round(weighted / total)))
    return series


def skill_levels(observations: dict[str, Sequence[Observation]], now: datetime) -> dict[str, SkillLevel]:
    """``skill_level`` for each of the five dimensions (a skill with no observations is unknown)."""
    return {skill: skill_level(skill, observations.get(skill, ()), now) for skill in DIMENSIONS}


# --- what to practise next ------------------------------------------------------------------

@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario the trainee may play; ``assigned`` when an open assignment has it as an unpassed step."""

    slug: str
    title: str
    skills: tuple[str, ...]
    difficulty: str = "medium"
    assigned: bool = False
    times_played: int = 0
    assignment_id: int | None = None  # the open assignment it is a step of, for the "play" link


@dataclass(frozen=True)
class Recommendation:
    scenario: ScenarioChoice
    skill: str
    level: int | None
    reason: str


DIFFICULTY_FOR_LEVEL = ((50, "easy"), (70, "medium"), (101, "hard"))


def weakest_skills(levels: dict[str, SkillLevel], pass_marks: dict[str, int] | None = None) -> list[str]:
    """Skills from weakest to strongest: furthest below its pass mark first; a skill never scored comes first of all."""
    marks = pass_marks or {}

    def gap(skill: str) -> tuple:
        level = levels[skill].level if skill in levels else None
        if level is None:
            return (0, 0, DIMENSIONS.index(skill))
        return (1, level - marks.get(skill, DEFAULT_PASS_MARK), DIMENSIONS.index(skill))

    return sorted((s for s in DIMENSIONS), key=gap)


def recommend(levels: dict[str, SkillLevel], choices: Sequence[ScenarioChoice],
              pass_marks: dict[str, int] | None = None) -> Recommendation | None:
    """The scenario that best targets the weakest skill that any scenario trains.

    Among the scenarios training that skill: an assigned, unpassed step first; then one where the
    skill is listed earlier (its main focus); then a difficulty fitting the current level; then
    the one played least.
    """
    for skill in weakest_skills(levels, pass_marks):
        fitting = [c for c in choices if skill in c.skills]
        if not fitting:
            continue
        level = levels[skill].level if skill in levels else None
        suited = _difficulty_for(level)
        best = min(fitting, key=lambda c: (not c.assigned, c.skills.index(skill), c.difficulty != suited,
                                           c.times_played, c.title))
        return Recommendation(best, skill, level, _reason(skill, level, best))
    return None


def _difficulty_for(level: int | None) -> str:
    if level is None:
        return "easy"
    return next(name for limit, name in DIFFICULTY_FOR_LEVEL if level < limit)


def _reason(skill: str, level: int | None, choice: ScenarioChoice) -> str:
    name = SKILL_NAMES[skill].lower()
    where = "your weakest skill" if level is not None else "a skill you have not practised yet"
    now = f" (level {level})" if level is not None else ""
    assigned = " It is a step in your assignment." if choice.assigned else ""
    return f"It trains {name}, {where}{now}.{assigned}"
