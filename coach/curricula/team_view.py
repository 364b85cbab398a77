"""What the trainer's team dashboard shows: the skills heatmap, who is behind, recent attempts, hard scenarios."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlmodel import Session

from coach.curricula.status import passes
from coach.models import Curriculum, Team, User, utcnow
from coach.progress.history import (
    AssignmentView,
    FinishedAttempt,
    assignment_views,
    assignments_of,
    current_levels,
    latest_attempts,
    scenarios_by_slug,
    team_average,
    team_trainees,
)
from coach.progress.levels import DEFAULT_PASS_MARK, DIMENSIONS, SkillLevel

RECENT_ATTEMPTS = 10
HARDEST_SCENARIOS = 5
STRUGGLE_WINDOW = 500  # "where the team struggles" reads the team's latest attempts, so the page stays bounded


@dataclass(frozen=True)
class HeatmapRow:
    trainee: User
    levels: dict[str, SkillLevel]


@dataclass(frozen=True)
class Struggle:
    slug: str
    title: str
    attempts: int
    average: int
    pass_rate: int  # % of attempts that reached the pass marks on the scenario's skills
    weakest_skill: str


@dataclass(frozen=True)
class TeamDashboard:
    team: Team
    trainees: list[User]
    heatmap: list[HeatmapRow]
    average: dict[str, int | None]
    pass_marks: dict[str, int]
    curricula: list[Curriculum]
    curriculum: Curriculum | None
    assignments: list[AssignmentView]
    behind: list[AssignmentView]
    recent: list[FinishedAttempt]
    struggles: list[Struggle]
    names: dict[int, str]


def build(session: Session, team: Team, curriculum_id: int | None = None) -> TeamDashboard:
    """The dashboard from stored levels and the team's latest attempts: bounded by the team, not its history."""
    now = utcnow()
    trainees = team_trainees(session, team)
    levels = current_levels(session, trainees)
    views = assignment_views(session, assignments_of(session, [t.id for t in trainees]), now)
    # the curriculum most of the team is working on comes first
    counts = Counter(v.curriculum.id for v in views)
    curricula = sorted({v.curriculum.id: v.curriculum for v in views}.values(), key=lambda c: -counts[c.id])
    chosen = next((c for c in curricula if c.id == curriculum_id), curricula[0] if curricula else None)
    marks = {skill: (chosen.pass_marks.get(skill, DEFAULT_PASS_MARK) if chosen else DEFAULT_PASS_MARK) for skill in DIMENSIONS}
    shown = [v for v in views if chosen is None or v.curriculum.id == chosen.id]
    attempts = latest_attempts(session, [t.id for t in trainees], STRUGGLE_WINDOW)
    return TeamDashboard(
        team=team, trainees=trainees,
        heatmap=[HeatmapRow(t, levels[t.id]) for t in trainees],
        average=team_average(levels), pass_marks=marks, curricula=curricula, curriculum=chosen,
        assignments=shown, behind=[v for v in views if v.status.behind and not v.status.complete],
        recent=attempts[:RECENT_ATTEMPTS],
        struggles=struggles(session, attempts, marks),
        names={t.id: t.name for t in trainees},
    )


def struggles(session: Session, attempts: list[FinishedAttempt], pass_marks: dict[str, int]) -> list[Struggle]:
    """Scenarios ordered by the team's mean attempt score, lowest first."""
    scenarios = scenarios_by_slug(session)
    by_slug: dict[str, list[FinishedAttempt]] = defaultdict(list)
    for attempt in attempts:
        by_slug[attempt.scenario_slug].append(attempt)
    found = []
    for slug, group in by_slug.items():
        skills = tuple(scenarios[slug].skills) if slug in scenarios else DIMENSIONS
        means = {skill: sum(a.scores.get(skill, 0) for a in group) / len(group) for skill in skills}
        average = sum(means.values()) / len(means)
        passed = sum(1 for a in group if passes(a.scores, skills, pass_marks))
        found.append(Struggle(slug, group[0].scenario_title, len(group), round(average),
                              round(100 * passed / len(group)), min(means, key=means.get)))
    return sorted(found, key=lambda s: (s.average, s.pass_rate))[:HARDEST_SCENARIOS]
