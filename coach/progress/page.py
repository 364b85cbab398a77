"""What one person's progress page shows, and the data its charts are drawn from."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from coach.models import Team, User, utcnow
from coach.progress import work_cache
from coach.progress.history import (
    AssignmentView,
    FinishedAttempt,
    assignment_views,
    assignments_of,
    current_levels,
    latest_attempts,
    levels_with_history,
    recommendation_for,
    team_average,
    team_trainees,
)
from coach.progress.levels import DEFAULT_PASS_MARK, DIMENSIONS, SKILL_NAMES, Recommendation, SkillLevel

RECENT_ATTEMPTS = 20  # the attempts table lists the latest ones; each skill's chart its latest observations


@dataclass(frozen=True)
class ProgressPage:
    person: User
    levels: dict[str, SkillLevel]
    team_average: dict[str, int | None]
    pass_marks: dict[str, int]
    views: list[AssignmentView]
    attempts: list[FinishedAttempt]
    recommendation: Recommendation | None
    charts: dict


def build(session: Session, person: User) -> ProgressPage:
    """The page from stored levels: its cost follows the team's size, not the length of anyone's history."""
    now = utcnow()
    team = session.get(Team, person.team_id) if person.team_id else None
    mates = team_trainees(session, team) if team else []
    levels, after = levels_with_history(session, person)
    views = assignment_views(session, assignments_of(session, [person.id]), now)
    open_views = [v for v in views if not v.status.complete] or views
    marks = open_views[0].curriculum.pass_marks if open_views else {}
    marks = {skill: marks.get(skill, DEFAULT_PASS_MARK) for skill in DIMENSIONS}
    average = _team_average(session, person, levels, mates) if mates else {s: None for s in DIMENSIONS}
    return ProgressPage(person, levels, average, marks, views,
                        latest_attempts(session, [person.id], RECENT_ATTEMPTS),
                        recommendation_for(session, person, levels, views),
                        chart_data(levels, after, average, marks))


def _team_average(session: Session, person: User, levels: dict[str, SkillLevel], mates: list[User]) -> dict[str, int | None]:
    """The mean level of the team's trainees and the person, kept under their change counters."""
    def compute() -> dict[str, int | None]:
        everyone = current_levels(session, mates)
        everyone[person.id] = levels
        return team_average(everyone)

    versions = work_cache.work_versions(session, [m.id for m in mates] + [person.id])
    return work_cache.cached(session, ("team-average", person.id, tuple(versions.items())), compute)


def chart_data(levels: dict[str, SkillLevel], after: dict[str, list[int]], average: dict[str, int | None],
               marks: dict[str, int]) -> dict:
    """Plain JSON for the Chart.js charts: per-skill points and the level after each, and the current-level comparison."""
    return {
        "skills": [{
            "skill": skill, "name": SKILL_NAMES[skill], "pass_mark": marks[skill],
            "points": [{"x": int(o.at.timestamp() * 1000), "y": o.score, "source": o.source}
                       for o in levels[skill].observations],
            "trend": [{"x": int(o.at.timestamp() * 1000), "y": value}
                      for o, value in zip(levels[skill].observations, after[skill])],
        } for skill in DIMENSIONS],
        "current": {
            "labels": [SKILL_NAMES[s] for s in DIMENSIONS],
            "you": [levels[s].level for s in DIMENSIONS],
            "team": [average[s] for s in DIMENSIONS],
            "pass_mark": [marks[s] for s in DIMENSIONS],
        },
    }
