"""Loading progress from the database: observations per skill, assignment status, who may see which team.

The computation itself lives in ``coach.progress.levels`` and ``coach.curricula.status``; this module
only turns rows (attempts, finalised reviews, curricula, assignments) into their plain inputs.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from coach.curricula.status import AssignmentStatus, ScoredWork, StepSpec, as_of, evaluate
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
from coach.progress import snapshots, work_cache
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

# Only the columns progress reads: an attempt's role-play state, a scenario's definition and a call's first pass
# are large JSON documents, and decoding them for every row was most of a progress page's time.
ATTEMPT_COLUMNS = (Attempt.id, Attempt.user_id, Scenario.slug, Scenario.title, Attempt.assignment_id, Attempt.started_at,
                   Attempt.finished_at, Attempt.scores, Attempt.overall, Attempt.outcome)


def finished_attempts(session: Session, user_ids: list[int], assignment_ids: list[int] | None = None,
                      latest: int | None = None) -> dict[int, list[FinishedAttempt]]:
    """Every finished, scored attempt of these users, oldest first (only those of ``assignment_ids`` when given;
    only the ``latest`` few of them all when given)."""
    found: dict[int, list[FinishedAttempt]] = defaultdict(list)
    if not user_ids or assignment_ids == []:
        return found
    query = (select(*ATTEMPT_COLUMNS).join(Scenario, Scenario.id == Attempt.scenario_id)
             .where(Attempt.user_id.in_(user_ids), Attempt.status == AttemptStatus.finished, Attempt.finished_at.is_not(None)))
    if assignment_ids is not None:
        query = query.where(Attempt.assignment_id.in_(assignment_ids))
    if latest is not None:
        rows = list(reversed(session.exec(query.order_by(Attempt.finished_at.desc(), Attempt.id.desc()).limit(latest)).all()))
    else:
        rows = session.exec(query.order_by(Attempt.finished_at, Attempt.id)).all()
    for attempt_id, user_id, slug, title, assignment_id, started_at, finished_at, raw, overall, outcome in rows:
        scores = {k: v for k, v in (raw or {}).items() if k in DIMENSIONS and isinstance(v, (int, float))}
        if scores:
            found[user_id].append(FinishedAttempt(attempt_id, user_id, slug, title, assignment_id, as_utc(started_at),
                                                  as_utc(finished_at), scores, overall, outcome))
    return found


def latest_attempts(session: Session, user_ids: list[int], limit: int) -> list[FinishedAttempt]:
    """The ``limit`` most recently finished attempts of these users, newest first (kept under their change
    counters, ``coach.progress.work_cache``; the scenario titles are read fresh)."""
    versions = work_cache.work_versions(session, user_ids)

    def read() -> list[FinishedAttempt]:
        every = [a for per_user in finished_attempts(session, user_ids, latest=limit).values() for a in per_user]
        return sorted(every, key=lambda a: (a.finished_at, a.id), reverse=True)[:limit]

    found = work_cache.cached(session, ("latest-attempts", tuple(versions.items()), limit), read)
    titles = dict(session.exec(select(Scenario.slug, Scenario.title)).all()) if found else {}
    return [a if titles.get(a.scenario_slug, a.scenario_title) == a.scenario_title
            else replace(a, scenario_title=titles[a.scenario_slug]) for a in found]


def reviewed_calls(session: Session, user_ids: list[int], since: datetime | None = None) -> dict[int, list[ScoredWork]]:
    """One entry per call with finalised reviews (several reviewers of a call are averaged), oldest first."""
    if not user_ids:
        return {}
    query = (select(Review.call_id, Call.agent_id, Review.scores, Review.finalised_at).join(Call, Call.id == Review.call_id)
             .where(Call.agent_id.in_(user_ids), Review.status == ReviewStatus.final, Review.finalised_at.is_not(None),
                    Review.calibration_id.is_(None)))  # calibration scorecards are about reviewers, not the agent
    if since is not None:
        # a call's entry is as recent as its latest review, so any call reviewed since then is kept whole
        recent = (select(Review.call_id).where(Review.status == ReviewStatus.final, Review.finalised_at >= since))
        query = query.where(Review.call_id.in_(recent))
    per_call: dict[int, list[tuple]] = defaultdict(list)
    for call_id, agent_id, scores, finalised_at in session.exec(query).all():
        per_call[call_id].append((agent_id, scores, finalised_at))
    found: dict[int, list[ScoredWork]] = defaultdict(list)
    for call_id, reviews in per_call.items():
        scores = {}
        for skill in DIMENSIONS:
            values = [v for v in (_review_score(raw, skill) for _, raw, _ in reviews) if v is not None]
            if values:
                scores[skill] = round(sum(values) / len(values))
        if scores:
            at = max(as_utc(finalised_at) for _, _, finalised_at in reviews)
            found[reviews[0][0]].append(ScoredWork(at, scores, call_id))
    for work in found.values():
        work.sort(key=lambda w: w.at)
    return found


def _review_score(scores: dict | None, skill: str) -> float | None:
    entry = (scores or {}).get(skill)
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


def current_levels(session: Session, users: list[User]) -> dict[int, dict[str, SkillLevel]]:
    """Each user's five skill levels from the stored snapshots (recomputed only after their work changed);
    the levels carry no observations. Use ``levels_for`` for the whole series."""
    return snapshots.current_levels(session, [u.id for u in users], lambda ids: _levels_by_id(session, ids))


def levels_with_latest(session: Session, users: list[User]) -> dict[int, dict[str, SkillLevel]]:
    """Each user's five levels from the stored snapshots, carrying their latest observations
    (``snapshots.SERIES_POINTS`` a skill; ``count`` still counts every one)."""
    return snapshots.latest_levels(session, [u.id for u in users], lambda ids: _levels_by_id(session, ids))


def levels_with_history(session: Session, user: User) -> tuple[dict[str, SkillLevel], dict[str, list[int]]]:
    """One user's levels with their latest observations (``snapshots.SERIES_POINTS`` a skill), and the level
    after each of them."""
    return snapshots.levels_with_history(session, user.id, lambda ids: _levels_by_id(session, ids))


def _levels_by_id(session: Session, ids: list[int]) -> dict[int, dict[str, SkillLevel]]:
    now = utcnow()
    attempts, reviews = finished_attempts(session, ids), reviewed_calls(session, ids)
    return {i: skill_levels(observations(attempts.get(i, []), reviews.get(i, [])), now) for i in ids}


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
    """Every scenario row, without its definition (a large document progress never reads)."""
    return {s.slug: s for s in session.exec(select(Scenario).options(defer(Scenario.definition)))}


def curriculum_steps(session: Session, curriculum: Curriculum) -> list[CurriculumStep]:
    return list(session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == curriculum.id)
                             .order_by(CurriculumStep.position)))


def step_specs(steps: list[CurriculumStep], scenarios: dict[str, Scenario]) -> list[StepSpec]:
    specs = []
    for step in steps:
        if step.kind == "reviewed_calls":
            n = step.calls_required
            specs.append(StepSpec(step.position, "reviewed_calls", f"{n} reviewed real call{'s' if n != 1 else ''}",
                                  calls_required=n, due_days=step.due_days, pass_mark=step.pass_mark))
        else:
            scenario = scenarios.get(step.scenario_slug)
            specs.append(StepSpec(step.position, "scenario", scenario.title if scenario else step.scenario_slug,
                                  step.scenario_slug, tuple(scenario.skills) if scenario else (), due_days=step.due_days,
                                  pass_mark=step.pass_mark))
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
    """The status of each assignment; one whose steps are all passed is marked complete (stored).

    A status is kept (``coach.progress.work_cache``) under its person's change counter and its curriculum's steps
    and marks, and judged again at ``now`` for due dates. Only the assignments without a kept status read their
    attempts and the reviews since the earliest of them, so the cost follows the assignments that changed, not
    the people's whole history.
    """
    now = now or utcnow()
    if not assignments:
        return []
    scenarios = scenarios_by_slug(session)
    curricula: dict[int, tuple[Curriculum, list[StepSpec]]] = {}
    for curriculum_id in sorted({a.curriculum_id for a in assignments}):
        curriculum = session.get(Curriculum, curriculum_id)
        curricula[curriculum_id] = (curriculum, step_specs(curriculum_steps(session, curriculum), scenarios))
    user_ids = sorted({a.user_id for a in assignments})
    versions = work_cache.work_versions(session, user_ids)
    definitions = {curriculum_id: _definition(*pair) for curriculum_id, pair in curricula.items()}
    keys = {a.id: ("assignment-status", a.id, a.user_id, a.curriculum_id, as_utc(a.assigned_at), versions[a.user_id],
                   definitions[a.curriculum_id]) for a in assignments}
    kept = work_cache.lookup(session, list(keys.values()))
    missing = [a for a in assignments if keys[a.id] not in kept]
    computed = {keys[a.id]: status for a, status in zip(missing, _evaluate(session, missing, curricula, now))}
    work_cache.keep(session, computed)
    people = {u.id: u for u in session.exec(select(User).where(User.id.in_(user_ids)))}
    views, changed = [], False
    for assignment in assignments:
        key = keys[assignment.id]
        status = computed[key] if key in computed else as_of(kept[key], now)
        if status.complete and assignment.completed_at is None:
            assignment.completed_at = status.completed_at
            session.add(assignment)
            changed = True
        views.append(AssignmentView(assignment, curricula[assignment.curriculum_id][0], people[assignment.user_id], status))
    if changed:
        session.commit()
    return views


def _definition(curriculum: Curriculum, specs: list[StepSpec]) -> str:
    """A digest of what an assignment's status takes from its curriculum (steps, marks, attempts allowed), for the key
    it is kept under: a string hashes once, where the tuple of steps would be hashed again at every lookup."""
    described = repr((specs, sorted((curriculum.pass_marks or {}).items()), curriculum.attempts_allowed))
    return hashlib.sha256(described.encode()).hexdigest()


def _evaluate(session: Session, assignments: list[Assignment], curricula: dict, now: datetime) -> list[AssignmentStatus]:
    if not assignments:
        return []
    user_ids = sorted({a.user_id for a in assignments})
    attempts = finished_attempts(session, user_ids, assignment_ids=sorted({a.id for a in assignments}))
    with_calls = [a for a in assignments if any(s.kind == "reviewed_calls" for s in curricula[a.curriculum_id][1])]
    reviews = reviewed_calls(session, sorted({a.user_id for a in with_calls}),
                             since=min(as_utc(a.assigned_at) for a in with_calls)) if with_calls else {}
    statuses = []
    for assignment in assignments:
        curriculum, specs = curricula[assignment.curriculum_id]
        statuses.append(evaluate(specs, curriculum.pass_marks, curriculum.attempts_allowed, assignment.assigned_at,
                                 attempts_for_assignment(assignment, attempts.get(assignment.user_id, [])),
                                 reviews.get(assignment.user_id, []), now))
    return statuses


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
    played = defaultdict(int, session.exec(
        select(Attempt.scenario_id, func.count()).where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.finished,
                                                         Attempt.finished_at.is_not(None))
        .group_by(Attempt.scenario_id)).all())
    rows = session.exec(select(Scenario.id, Scenario.slug, Scenario.title, Scenario.skills, Scenario.difficulty)
                        .where(Scenario.archived == False)).all()  # noqa: E712
    choices = [ScenarioChoice(slug, title, tuple(skills), difficulty, slug in open_steps, played[scenario_id],
                              open_steps.get(slug))
               for scenario_id, slug, title, skills, difficulty in rows]
    return recommend(levels, choices, marks)
