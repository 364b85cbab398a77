"""Agreement between raters of the same calls: ICC(1,1) with a bootstrap confidence interval, each reviewer's bias,
the trend by month, and an alert when the AI's agreement with reviewers drops after a scoring change.

Pure: plain values in and out (no Flask, no database), so it is tested against published values.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from statistics import mean
from typing import Sequence

import numpy as np

from scoring import DIMENSIONS

AI = "AI first pass"
BOOTSTRAP_ROUNDS = 1000
ALERT_DROP = 0.1  # an ICC this much lower under the newest scoring version raises the alert
ALERT_MIN_CALLS = 3  # calls rated under the newest version before it is judged


@dataclass(frozen=True)
class RatedCall:
    """One call scored by several raters: the AI's first pass and each reviewer's blind scorecard."""

    key: int  # the calibration
    at: datetime  # when its last scorecard was finalised
    version: str  # the rubric and scoring models behind the first pass
    ai: dict[str, float]  # dimension -> score
    humans: dict[str, dict[str, float]]  # reviewer name -> dimension -> score


@dataclass(frozen=True)
class Estimate:
    value: float | None  # None: undefined (too few calls, or no variation at all)
    low: float | None
    high: float | None
    pairs: int


@dataclass(frozen=True)
class DimensionReport:
    dimension: str
    reviewers: Estimate  # reviewer to reviewer
    ai: Estimate  # AI to reviewer
    bias: dict[str, float]  # rater -> mean points above (+) or below (-) the reviewers' average on a call
    strictest: str | None
    most_lenient: str | None
    trend: list[tuple[str, float | None, float | None, int]]  # (month, reviewers ICC, AI ICC, calls)


@dataclass(frozen=True)
class Alert:
    dimension: str
    before: float
    after: float
    old_version: str
    new_version: str


def icc_oneway(units: Sequence[Sequence[float]]) -> float | None:
    """ICC(1,1) of Shrout & Fleiss (1979): absolute agreement of single ratings when different raters rate each unit
    (rows are units, columns ratings). None when undefined: fewer than two units or two ratings, or no variation."""
    x = np.asarray(units, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return None
    n, k = x.shape
    row_means = x.mean(axis=1)
    between = k * ((row_means - x.mean()) ** 2).sum() / (n - 1)
    within = ((x - row_means[:, None]) ** 2).sum() / (n * (k - 1))
    denominator = between + (k - 1) * within
    return None if denominator == 0 else float((between - within) / denominator)


def estimate(groups: list[list[tuple[float, float]]], rounds: int = BOOTSTRAP_ROUNDS, level: float = 0.95,
             random_state: int = 0) -> Estimate:
    """ICC over every pair of ratings in every group (a call), with a percentile bootstrap interval that resamples
    whole calls: pairs from one call are not independent."""
    groups = [g for g in groups if g]
    pairs = [pair for group in groups for pair in group]
    value = icc_oneway(pairs)
    if value is None or len(groups) < 2:
        return Estimate(value, None, None, len(pairs))
    rng = np.random.default_rng(random_state)
    samples = []
    for _ in range(rounds):
        picked = rng.integers(0, len(groups), len(groups))
        found = icc_oneway([pair for i in picked for pair in groups[i]])
        if found is not None:
            samples.append(found)
    if not samples:
        return Estimate(value, None, None, len(pairs))
    low, high = np.quantile(samples, [(1 - level) / 2, 1 - (1 - level) / 2])
    return Estimate(round(value, 3), round(float(low), 3), round(float(high), 3), len(pairs))


def reviewer_pairs(call: RatedCall, dimension: str) -> list[tuple[float, float]]:
    return list(combinations([scores[dimension] for scores in call.humans.values()], 2))


def ai_pairs(call: RatedCall, dimension: str) -> list[tuple[float, float]]:
    return [(call.ai[dimension], scores[dimension]) for scores in call.humans.values()]


def bias(calls: list[RatedCall], dimension: str) -> dict[str, float]:
    """Each rater's average distance from the reviewers' mean on the calls they rated (negative: stricter).
    A reviewer counts only on calls with another reviewer, so their own score is not most of the mean."""
    offsets: dict[str, list[float]] = defaultdict(list)
    for call in calls:
        scores = {name: s[dimension] for name, s in call.humans.items()}
        if not scores:
            continue
        average = mean(scores.values())
        offsets[AI].append(call.ai[dimension] - average)
        if len(scores) >= 2:
            for name, score in scores.items():
                offsets[name].append(score - average)
    return {name: round(mean(values), 1) for name, values in offsets.items()}


def report(calls: list[RatedCall], rounds: int = BOOTSTRAP_ROUNDS) -> list[DimensionReport]:
    """Per dimension: reviewer-to-reviewer and AI-to-reviewer ICC with intervals, bias, strictest and most lenient
    reviewer, and the monthly trend."""
    months = sorted({c.at.strftime("%Y-%m") for c in calls})
    rows = []
    for d in DIMENSIONS:
        offsets = bias(calls, d)
        people = {name: value for name, value in offsets.items() if name != AI}
        trend = []
        for month in months:
            in_month = [c for c in calls if c.at.strftime("%Y-%m") == month]
            trend.append((month, icc_oneway([p for c in in_month for p in reviewer_pairs(c, d)]),
                          icc_oneway([p for c in in_month for p in ai_pairs(c, d)]), len(in_month)))
        rows.append(DimensionReport(
            dimension=d, reviewers=estimate([reviewer_pairs(c, d) for c in calls], rounds),
            ai=estimate([ai_pairs(c, d) for c in calls], rounds), bias=offsets,
            strictest=min(people, key=people.get) if len(people) >= 2 else None,
            most_lenient=max(people, key=people.get) if len(people) >= 2 else None, trend=trend))
    return rows


def alerts(calls: list[RatedCall]) -> list[Alert]:
    """Dimensions whose AI-to-reviewer ICC under the newest scoring version is at least ``ALERT_DROP`` below the
    version before (judged once ``ALERT_MIN_CALLS`` calls are rated under the newest)."""
    order: list[str] = []
    for call in sorted(calls, key=lambda c: c.at):
        if call.version in order:
            order.remove(call.version)
        order.append(call.version)
    if len(order) < 2:
        return []
    old, new = order[-2], order[-1]
    before = [c for c in calls if c.version == old]
    after = [c for c in calls if c.version == new]
    if len(after) < ALERT_MIN_CALLS:
        return []
    found = []
    for d in DIMENSIONS:
        was = icc_oneway([p for c in before for p in ai_pairs(c, d)])
        now = icc_oneway([p for c in after for p in ai_pairs(c, d)])
        if was is not None and now is not None and was - now >= ALERT_DROP:
            found.append(Alert(d, round(was, 2), round(now, 2), old, new))
    return found
