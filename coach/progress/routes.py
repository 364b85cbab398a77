"""Progress pages: a person's skill charts, the trainee's dashboard panels and CSV downloads of progress."""
import csv
import io
import re

from flask import Blueprint, Response, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlmodel import select

from coach import db
from coach.models import Assignment, Curriculum, User, utcnow
from coach.permissions import can_see_user, requires, signed_in
from coach.progress import work_cache
from coach.progress.history import assignment_views, assignments_of, current_levels, recommendation_for, team_trainees
from coach.progress.levels import DEFAULT_PASS_MARK, DIMENSIONS, SKILL_NAMES
from coach.progress.page import build
from coach.web.links import practice_links
from coach.web.lookup import get_or_404, team_or_404, user_or_404
from coach.web.navigation import dashboard_panel, nav_link

bp = Blueprint("progress", __name__, url_prefix="/progress")
bp.app_context_processor(practice_links)
nav_link(bp, "mine", "My progress", "practise", order=20)
dashboard_panel(bp, "assigned_panel", "Assigned to you", "practise", order=10)
dashboard_panel(bp, "next_panel", "Practise next", "practise", order=11)


@bp.get("/")
@signed_in
def mine():
    return _page(current_user)


@bp.get("/people/<username>")
@signed_in
def person(username: str):
    return _page(user_or_404(username))


def _page(subject: User):
    session = db.get_session()
    version = work_cache.work_versions(session, [subject.id])[subject.id]  # read before the work, as snapshots do
    page = build(session, subject)
    series = work_cache.cached(session, ("progress-series", subject.id, version),
                               lambda: render_template("progress/_skill_series.html", page=page))
    return render_template("progress/page.html", page=page, skills=DIMENSIONS, skill_names=SKILL_NAMES, now=utcnow(),
                           own=subject.id == current_user.id, skill_series=Markup(series))


@bp.get("/panels/assigned")
@requires("practise")
def assigned_panel():
    session = db.get_session()
    views = assignment_views(session, assignments_of(session, [current_user.id]))
    return render_template("progress/_assigned_panel.html", views=views, now=utcnow())


@bp.get("/panels/next")
@requires("practise")
def next_panel():
    session = db.get_session()
    views = assignment_views(session, assignments_of(session, [current_user.id]))
    levels = current_levels(session, [current_user])[current_user.id]
    return render_template("progress/_next_panel.html", recommendation=recommendation_for(session, current_user, levels, views),
                           levels=levels, skill_names=SKILL_NAMES, skills=DIMENSIONS)


TEAM_COLUMNS = ["team", "username", "name", "skill", "level", "low", "high", "confidence", "trend", "observations",
                "pass_mark", "below_pass_mark"]
CURRICULUM_COLUMNS = ["curriculum", "username", "name", "assigned_at", "step", "step_title", "state", "tries",
                      "due_at", "overdue", "passed_at", "completed_at"]


@bp.get("/teams/<int:team_id>.csv")
@requires("export_progress")
def team_csv(team_id: int):
    session = db.get_session()
    team = team_or_404(team_id)
    trainees = team_trainees(session, team)
    levels = current_levels(session, trainees)
    rows = []
    for person in trainees:
        for skill in DIMENSIONS:
            level = levels[person.id][skill]
            rows.append([team.name, person.username, person.name, skill, _blank(level.level), _blank(level.low),
                         _blank(level.high), level.confidence, _blank(level.trend), level.count, DEFAULT_PASS_MARK,
                         "" if level.level is None else ("yes" if level.below(DEFAULT_PASS_MARK) else "no")])
    return _csv(f"progress-{team.name}", TEAM_COLUMNS, rows)


@bp.get("/curricula/<int:curriculum_id>.csv")
@requires("export_progress")
def curriculum_csv(curriculum_id: int):
    session = db.get_session()
    curriculum = get_or_404(Curriculum, curriculum_id)
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
