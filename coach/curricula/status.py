"""Where a trainee stands in one assignment: each step passed or not, attempts used, due dates, completion.

Pure computation over plain values (no Flask, no database); ``coach.progress.history`` feeds it.
A scenario step is passed by an attempt (within the attempts allowed) that reaches the pass mark
on every skill the scenario trains; a "reviewed real calls" step by that many finalised reviews,
made since the assignment, that reach the pass mark on every skill.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, Sequence

from coach.progress.levels import DEFAULT_PASS_MARK, DIMENSIONS, as_utc

StepState = Literal["passed", "in_progress", "not_started", "out_of_attempts"]
STATE_LABELS = {"passed": "Passed", "in_progress": "Not passed yet", "not_started": "Not started",
                "out_of_attempts": "Out of attempts"}


@dataclass(frozen=True)
class StepSpec:
    position: int
    kind: str  # "scenario" | "reviewed_calls"
    title: str
    scenario_slug: str = ""
    skills: tuple[str, ...] = ()
    calls_required: int = 0
    due_days: int | None = None
    pass_mark: int | None = None  # the step's own mark for each skill, instead of the curriculum's


@dataclass(frozen=True)
class ScoredWork:
    """A finished attempt (``scenario_slug`` set) or a finalised review of a real call."""

    at: datetime
    scores: dict
    ref: int
    scenario_slug: str = ""


@dataclass(frozen=True)
class StepStatus:
    step: StepSpec
    state: StepState
    used: int  # attempts counted (scenario) or passing reviews found (calls)
    best: dict  # the best scores seen on the step's skills
    passed_at: datetime | None
    due_at: datetime | None
    overdue: bool

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class AssignmentStatus:
    steps: tuple[StepStatus, ...]
    completed_at: datetime | None

    @property
    def complete(self) -> bool:
        return self.completed_at is not None

    @property
    def passed(self) -> int:
        return sum(1 for s in self.steps if s.state == "passed")

    @property
    def overdue(self) -> list[StepStatus]:
        return [s for s in self.steps if s.overdue]

    @property
    def stuck(self) -> list[StepStatus]:
        return [s for s in self.steps if s.state == "out_of_attempts"]

    @property
    def behind(self) -> bool:
        """Behind: a step is overdue, or its attempts ran out without a pass."""
        return bool(self.overdue or self.stuck)

    @property
    def next_step(self) -> StepStatus | None:
        return next((s for s in self.steps if s.state in ("in_progress", "not_started")), None)

    @property
    def next_due(self) -> datetime | None:
        dues = [s.due_at for s in self.steps if s.state != "passed" and s.due_at]
        return min(dues) if dues else None


def passes(scores: dict, skills: Sequence[str], pass_marks: dict) -> bool:
    """Every listed skill reaches its pass mark (a skill missing from ``scores`` fails)."""
    return all(scores.get(skill, -1) >= pass_marks.get(skill, DEFAULT_PASS_MARK) for skill in skills)


def step_marks(step: StepSpec, pass_marks: dict) -> dict:
    """The marks a step is judged by: its own mark for every skill when it has one, else the curriculum's."""
    return pass_marks if step.pass_mark is None else {skill: step.pass_mark for skill in DIMENSIONS}


def evaluate(steps: Sequence[StepSpec], pass_marks: dict, attempts_allowed: int | None, assigned_at: datetime,
             attempts: Sequence[ScoredWork], reviews: Sequence[ScoredWork], now: datetime) -> AssignmentStatus:
    """Each step's status for one trainee; the assignment is complete when every step is passed."""
    assigned_at, now = as_utc(assigned_at), as_utc(now)
    statuses = tuple(
        _calls_step(step, pass_marks, assigned_at, reviews, now) if step.kind == "reviewed_calls"
        else _scenario_step(step, pass_marks, attempts_allowed, assigned_at, attempts, now)
        for step in sorted(steps, key=lambda s: s.position)
    )
    complete = bool(statuses) and all(s.state == "passed" for s in statuses)
    return AssignmentStatus(statuses, max(s.passed_at for s in statuses) if complete else None)


def _due(step: StepSpec, assigned_at: datetime) -> datetime | None:
    return assigned_at + timedelta(days=step.due_days) if step.due_days is not None else None


def _scenario_step(step: StepSpec, pass_marks: dict, allowed: int | None, assigned_at: datetime,
                   attempts: Sequence[ScoredWork], now: datetime) -> StepStatus:
    mine = sorted((a for a in attempts if a.scenario_slug == step.scenario_slug), key=lambda a: as_utc(a.at))
    counted = mine[:allowed] if allowed else mine
    skills = step.skills or DIMENSIONS
    marks = step_marks(step, pass_marks)
    passed = next((a for a in counted if passes(a.scores, skills, marks)), None)
    if passed:
        state = "passed"
    elif allowed and len(counted) >= allowed:
        state = "out_of_attempts"
    else:
        state = "in_progress" if counted else "not_started"
    return _status(step, state, len(counted), counted, skills, passed, assigned_at, now)


def _calls_step(step: StepSpec, pass_marks: dict, assigned_at: datetime, reviews: Sequence[ScoredWork],
                now: datetime) -> StepStatus:
    recent = sorted((r for r in reviews if as_utc(r.at) >= assigned_at), key=lambda r: as_utc(r.at))
    marks = step_marks(step, pass_marks)
    good = [r for r in recent if passes(r.scores, DIMENSIONS, marks)]
    needed = max(1, step.calls_required)
    passed = good[needed - 1] if len(good) >= needed else None
    state = "passed" if passed else ("in_progress" if recent else "not_started")
    return _status(step, state, len(good), recent, DIMENSIONS, passed, assigned_at, now)


def _status(step, state, used, work, skills, passed, assigned_at, now) -> StepStatus:
    best = {skill: max(w.scores[skill] for w in work if skill in w.scores)
            for skill in skills if any(skill in w.scores for w in work)}
    due_at = _due(step, assigned_at)
    return StepStatus(step, state, used, best, as_utc(passed.at) if passed else None, due_at, _overdue(state, due_at, now))


def _overdue(state: StepState, due_at: datetime | None, now: datetime) -> bool:
    return state != "passed" and due_at is not None and now > due_at


def as_of(status: AssignmentStatus, now: datetime) -> AssignmentStatus:
    """The same status judged at ``now``: of a step's status only whether it is overdue depends on the moment."""
    now = as_utc(now)
    if all(s.overdue == _overdue(s.state, s.due_at, now) for s in status.steps):
        return status
    return AssignmentStatus(tuple(replace(s, overdue=_overdue(s.state, s.due_at, now)) for s in status.steps),
                            status.completed_at)
