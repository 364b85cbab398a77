"""Loading progress from the database: observations per skill, assignment status, who may see which team.

The computation itself lives in ``coach.progress.levels`` and ``coach.curricula.status``; this module
only turns rows (attempts, finalised reviews, curricula, assignments) into their plain inputs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from coach.curricula.status import AssignmentStatus, ScoredWork, StepSpec, evaluate
from coach.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    Call,
    Curriculum,
    CurriculumStep,
    Review,
    ReviewStatus,
    Scenario,
    Team,
    User,
    utcnow,
)
from coach.permissions import trainees_clause
from coach.progress.levels import (
    DIMENSIONS,
    Observation,
    Recommendation,
    ScenarioChoice,
    SkillLevel,
    as_utc,
    recommend,
    skill_levels,
)


@dataclass(frozen=True)
class FinishedAttempt:
    id: int
    user_id: int
    scenario_slug: str
    scenario_title: str
    assignment_id: int | None
    started_at: datetime
    finished_at: datetime
    scores: dict
    overall: int | None
    outcome: str


# --- raw work ---------------------------------------------------------------------------------

def finished_attempts(session: Session, user_ids: list[int]) -> dict[int, list[FinishedAttempt]]:
    """Every finished, scored attempt of these users, oldest first."""
    found: dict[int, list[FinishedAttempt]] = defaultdict(list)
    if not user_ids:
        return found
    rows = session.exec(
        select(Attempt, Scenario).join(Scenario, Scenario.id == Attempt.scenario_id)
        .where(Attempt.user_id.in_(user_ids), Attempt.status == AttemptStatus.finished, Attempt.finished_at.is_not(None))
        .order_by(Attempt.finished_at)
    ).all()
    for attempt, scenario in rows:
        scores = {k: v for k, v in (attempt.scores or {}).items() if k in DIMENSIONS and isinstance(v, (int, float))}
        if scores:
            found[attempt.user_id].append(FinishedAttempt(
                attempt.id, attempt.user_id, scenario.slug, scenario.title, attempt.assignment_id,
                as_utc(attempt.started_at), as_utc(attempt.finished_at), scores, attempt.overall, attempt.outcome))
    return found


def reviewed_calls(session: Session, user_ids: list[int]) -> dict[int, list[ScoredWork]]:
    """One entry per call with finalised reviews (several reviewers of a call are averaged), oldest first."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(Review, Call).join(Call, Call.id == Review.call_id)
        .where(Call.agent_id.in_(user_ids), Review.status == ReviewStatus.final, Review.finalised_at.is_not(None))
    ).all()
    per_call: dict[int, list[tuple[Review, Call]]] = defaultdict(list)
    for review, call in rows:
        per_call[call.id].append((review, call))
    found: dict[int, list[ScoredWork]] = defaultdict(list)
    for call_id, pairs in per_call.items():
        scores = {}
        for skill in DIMENSIONS:
            values = [_review_score(review, skill) for review, _ in pairs]
            values = [v for v in values if v is not None]
            if values:
                scores[skill] = round(sum(values) / len(values))
        if scores:
            at = max(as_utc(review.finalised_at) for review, _ in pairs)
            found[pairs[0][1].agent_id].append(ScoredWork(at, scores, call_id))
    for work in found.values():
        work.sort(key=lambda w: w.at)
    return found


def _review_score(review: Review, skill: str) -> float | None:
    entry = (review.scores or {}).get(skill)
    value = entry.get("score") if isinstance(entry, dict) else entry
    return value if isinstance(value, (int, float)) else None


# --- skill levels -----------------------------------------------------------------------------

def observations(attempts: list[FinishedAttempt], reviews: list[ScoredWork]) -> dict[str, list[Observation]]:
    by_skill: dict[str, list[Observation]] = {skill: [] for skill in DIMENSIONS}
    for attempt in attempts:
        for skill, score in attempt.scores.items():
            by_skill[skill].append(Observation(attempt.finished_at, score, "roleplay", attempt.id))
    for review in reviews:
        for skill, score in review.scores.items():
            by_skill[skill].append(Observation(review.at, score, "review", review.ref))
    return by_skill


def levels_for(session: Session, users: list[User], now: datetime | None = None) -> dict[int, dict[str, SkillLevel]]:
    """Each user's five skill levels."""
    now = now or utcnow()
    ids = [u.id for u in users]
    attempts, reviews = finished_attempts(session, ids), reviewed_calls(session, ids)
    return {u.id: skill_levels(observations(attempts.get(u.id, []), reviews.get(u.id, [])), now) for u in users}


def team_average(levels: dict[int, dict[str, SkillLevel]]) -> dict[str, int | None]:
    """The mean current level per skill over members with a level."""
    average = {}
    for skill in DIMENSIONS:
        known = [person[skill].level for person in levels.values() if person[skill].level is not None]
        average[skill] = round(sum(known) / len(known)) if known else None
    return average


# --- teams ------------------------------------------------------------------------------------

def team_trainees(session: Session, team: Team) -> list[User]:
    return list(session.exec(select(User).where(User.team_id == team.id, trainees_clause(), User.active == True)  # noqa: E712
                             .order_by(User.username)))


# --- curricula and assignments ----------------------------------------------------------------

def scenarios_by_slug(session: Session) -> dict[str, Scenario]:
    return {s.slug: s for s in session.exec(select(Scenario))}


def curriculum_steps(session: Session, curriculum: Curriculum) -> list[CurriculumStep]:
    return list(session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == curriculum.id)
                             .order_by(CurriculumStep.position)))


def step_specs(steps: list[CurriculumStep], scenarios: dict[str, Scenario]) -> list[StepSpec]:
    specs = []
    for step in steps:
        if step.kind == "reviewed_calls":
            n = step.calls_required
            specs.append(StepSpec(step.position, "reviewed_calls", f"{n} reviewed real call{'s' if n != 1 else ''}",
                                  calls_required=n, due_days=step.due_days))
        else:
            scenario = scenarios.get(step.scenario_slug)
            specs.append(StepSpec(step.position, "scenario", scenario.title if scenario else step.scenario_slug,
                                  step.scenario_slug, tuple(scenario.skills) if scenario else (), due_days=step.due_days))
    return specs


def attempts_for_assignment(assignment: Assignment, attempts: list[FinishedAttempt]) -> list[ScoredWork]:
    """Attempts started from this assignment; free practice counts towards skill levels but not towards steps."""
    return [ScoredWork(a.finished_at, a.scores, a.id, a.scenario_slug) for a in attempts if a.assignment_id == assignment.id]


@dataclass(frozen=True)
class AssignmentView:
    assignment: Assignment
    curriculum: Curriculum
    user: User
    status: AssignmentStatus


def assignment_views(session: Session, assignments: list[Assignment], now: datetime | None = None) -> list[AssignmentView]:
    """The status of each assignment; one whose steps are all passed is marked complete (stored)."""
    now = now or utcnow()
    user_ids = sorted({a.user_id for a in assignments})
    attempts, reviews = finished_attempts(session, user_ids), reviewed_calls(session, user_ids)
    scenarios = scenarios_by_slug(session)
    curricula: dict[int, tuple[Curriculum, list[StepSpec]]] = {}
    views, changed = [], False
    for assignment in assignments:
        if assignment.curriculum_id not in curricula:
            curriculum = session.get(Curriculum, assignment.curriculum_id)
            curricula[assignment.curriculum_id] = (curriculum, step_specs(curriculum_steps(session, curriculum), scenarios))
        curriculum, specs = curricula[assignment.curriculum_id]
        status = evaluate(specs, curriculum.pass_marks, curriculum.attempts_allowed, assignment.assigned_at,
                          attempts_for_assignment(assignment, attempts.get(assignment.user_id, [])),
                          reviews.get(assignment.user_id, []), now)
        if status.complete and assignment.completed_at is None:
            assignment.completed_at = status.completed_at
            session.add(assignment)
            changed = True
        views.append(AssignmentView(assignment, curriculum, session.get(User, assignment.user_id), status))
    if changed:
        session.commit()
    return views


def assignments_of(session: Session, user_ids: list[int], include_archived: bool = False) -> list[Assignment]:
    if not user_ids:
        return []
    query = (select(Assignment).join(Curriculum, Curriculum.id == Assignment.curriculum_id)
             .where(Assignment.user_id.in_(user_ids)).order_by(Assignment.assigned_at.desc()))
    if not include_archived:
        query = query.where(Curriculum.archived == False)  # noqa: E712
    return list(session.exec(query))


# --- what to practise next --------------------------------------------------------------------

def recommendation_for(session: Session, user: User, levels: dict[str, SkillLevel],
                       views: list[AssignmentView]) -> Recommendation | None:
    """The open scenario that best targets the trainee's weakest skill (assigned, unpassed steps preferred)."""
    open_steps = {s.step.scenario_slug: v.assignment.id for v in reversed(views) if not v.status.complete
                  for s in v.status.steps if s.step.kind == "scenario" and s.state in ("in_progress", "not_started")}
    marks = next((v.curriculum.pass_marks for v in views if not v.status.complete), None)
    played = defaultdict(int)
    for attempt in finished_attempts(session, [user.id]).get(user.id, []):
        played[attempt.scenario_slug] += 1
    choices = [ScenarioChoice(s.slug, s.title, tuple(s.skills), s.difficulty, s.slug in open_steps, played[s.slug],
                              open_steps.get(s.slug))
               for s in session.exec(select(Scenario).where(Scenario.archived == False))]  # noqa: E712
    return recommend(levels, choices, marks)
