"""CSV downloads of progress: a team's skill levels, or every assignment of a curriculum step by step."""
import csv
import io
import re

from flask import Response, abort
from flask_login import current_user
from sqlmodel import select

from coach import db
from coach.access import can_see_team, can_see_user, roles_required
from coach.models import Assignment, Curriculum, Role, Team, User, utcnow
from coach.progress import bp
from coach.progress_data import assignment_views, levels_for, team_trainees
from coach.skills import DEFAULT_PASS_MARK, DIMENSIONS

TEAM_COLUMNS = ["team", "username", "name", "skill", "level", "low", "high", "confidence", "trend", "observations",
                "pass_mark", "below_pass_mark"]
CURRICULUM_COLUMNS = ["curriculum", "username", "name", "assigned_at", "step", "step_title", "state", "tries",
                      "due_at", "overdue", "passed_at", "completed_at"]


@bp.get("/teams/<int:team_id>.csv")
@roles_required(Role.trainer, Role.reviewer)
def team_csv(team_id: int):
    session = db.get_session()
    team = session.get(Team, team_id)
    if team is None:
        abort(404)
    if not can_see_team(current_user, team):
        abort(403)
    trainees = team_trainees(session, team)
    levels = levels_for(session, trainees)
    rows = []
    for person in trainees:
        for skill in DIMENSIONS:
            level = levels[person.id][skill]
            rows.append([team.name, person.username, person.name, skill, _blank(level.level), _blank(level.low),
                         _blank(level.high), level.confidence, _blank(level.trend), level.count, DEFAULT_PASS_MARK,
                         "" if level.level is None else ("yes" if level.below(DEFAULT_PASS_MARK) else "no")])
    return _csv(f"progress-{team.name}", TEAM_COLUMNS, rows)


@bp.get("/curricula/<int:curriculum_id>.csv")
@roles_required(Role.trainer, Role.reviewer)
def curriculum_csv(curriculum_id: int):
    session = db.get_session()
    curriculum = session.get(Curriculum, curriculum_id)
    if curriculum is None:
        abort(404)
    assignments = session.exec(select(Assignment).where(Assignment.curriculum_id == curriculum.id)
                               .order_by(Assignment.assigned_at)).all()
    visible = [a for a in assignments if can_see_user(current_user, session.get(User, a.user_id), session)]
    rows = []
    for view in assignment_views(session, visible):
        for step in view.status.steps:
            rows.append([curriculum.name, view.user.username, view.user.name, _iso(view.assignment.assigned_at),
                         step.step.position, step.step.title, step.state, step.used, _iso(step.due_at),
                         "yes" if step.overdue else "no", _iso(step.passed_at), _iso(view.status.completed_at)])
    return _csv(f"curriculum-{curriculum.name}", CURRICULUM_COLUMNS, rows)


def _blank(value):
    return "" if value is None else value


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def _csv(stem: str, header: list[str], rows: list[list]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        # a cell starting with = + - @ would run as a formula in a spreadsheet
        writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row])
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-")[:80] or "progress"
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{utcnow():%Y%m%d}.csv"'})
