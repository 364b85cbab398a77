"""Curricula pages: build, copy, archive and assign curricula; watch teams, trainees and certificates."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from coach import db
from coach.curricula.certificates import assignment_number, is_genuine, verification_code
from coach.curricula.editing import (
    CurriculumError,
    assign,
    copy_curriculum,
    fill_form,
    prepare_form,
    save_curriculum,
    steps_from_form,
)
from coach.curricula.forms import ActionForm, AssignForm, CurriculumForm
from coach.curricula.team_view import build
from coach.models import Assignment, Curriculum, CurriculumStep, Team, User, utcnow
from coach.permissions import can_edit_curriculum, may, requires, signed_in, trainees_clause, visible_teams
from coach.progress.history import (
    assignment_views,
    assignments_of,
    current_levels,
    curriculum_steps,
    latest_attempts,
    scenarios_by_slug,
    step_specs,
    team_trainees,
)
from coach.progress.levels import DEFAULT_PASS_MARK, DIMENSIONS, SKILL_NAMES
from coach.web.links import practice_links
from coach.web.lookup import get_or_404, require_can_see, team_or_404
from coach.web.navigation import dashboard_panel, nav_link
from coach.web.pagination import paginate, paginate_with

bp = Blueprint("curricula", __name__, url_prefix="/curricula")
bp.app_context_processor(practice_links)
nav_link(bp, "index", "Curricula", "lead_teams", order=30)
nav_link(bp, "teams", "Team progress", "lead_teams", order=31)
dashboard_panel(bp, "teams_panel", "Your teams", "lead_teams", order=10)

PANEL_TEAMS = 10  # teams summarised at once: on the dashboard's panel and on each page of the teams overview
TRAINEE_ATTEMPTS = 20  # a trainee's page shows their latest attempts; role-play history pages through the rest


def _curriculum(curriculum_id: int) -> Curriculum:
    return get_or_404(Curriculum, curriculum_id)


@bp.get("/")
@requires("lead_teams")
def index():
    session = db.get_session()
    archived = request.args.get("archived") == "1"
    page = paginate(select(Curriculum).where(Curriculum.archived == archived).order_by(Curriculum.name, Curriculum.id))
    ids = [c.id for c in page.items]
    owners = {u.id: u.name for u in session.exec(select(User).where(User.id.in_({c.owner_id for c in page.items})))}
    counts = dict(session.exec(select(CurriculumStep.curriculum_id, func.count())
                               .where(CurriculumStep.curriculum_id.in_(ids)).group_by(CurriculumStep.curriculum_id)).all())
    return render_template("curricula/index.html", curricula=page, owners=owners, step_counts=counts, archived=archived)


@bp.route("/new", methods=["GET", "POST"])
@requires("lead_teams")
def create():
    form = CurriculumForm()
    return _edit_form(form, Curriculum(name="", owner_id=current_user.id), "New curriculum")


@bp.route("/<int:curriculum_id>/edit", methods=["GET", "POST"])
@requires("lead_teams")
def edit(curriculum_id: int):
    curriculum = _curriculum(curriculum_id)
    if not can_edit_curriculum(current_user, curriculum):
        abort(403)
    form = CurriculumForm()
    if request.method == "GET":
        fill_form(form, curriculum, curriculum_steps(db.get_session(), curriculum))
    return _edit_form(form, curriculum, f"Edit {curriculum.name}")


def _edit_form(form: CurriculumForm, curriculum: Curriculum, title: str):
    session = db.get_session()
    more_rows = "more_rows" in request.form
    prepare_form(form, session, extra_rows=3 if more_rows else 0)
    error = None
    if not more_rows and form.validate_on_submit():
        try:
            steps = steps_from_form(form, session)
        except CurriculumError as problem:
            error = str(problem)
        else:
            save_curriculum(session, curriculum, form, steps)
            flash(f"Saved {curriculum.name}.", "success")
            return redirect(url_for("curricula.detail", curriculum_id=curriculum.id))
    status = 422 if request.method == "POST" and not more_rows else 200
    return render_template("curricula/form.html", form=form, curriculum=curriculum, title=title, error=error), status


@bp.get("/<int:curriculum_id>")
@requires("lead_teams")
def detail(curriculum_id: int):
    session = db.get_session()
    curriculum = _curriculum(curriculum_id)
    specs = step_specs(curriculum_steps(session, curriculum), scenarios_by_slug(session))
    query = select(Assignment).where(Assignment.curriculum_id == curriculum.id)
    if not may(current_user, "administer"):
        teams = [t.id for t in visible_teams(session, current_user)]
        query = query.join(User, User.id == Assignment.user_id).where(User.team_id.in_(teams), trainees_clause(),
                                                                      User.active == True)  # noqa: E712
    page = paginate(query.order_by(Assignment.assigned_at.desc(), Assignment.id.desc()))
    views = assignment_views(session, page.items)
    return render_template("curricula/detail.html", curriculum=curriculum, steps=specs, views=views, page=page,
                           editable=can_edit_curriculum(current_user, curriculum), action=ActionForm(),
                           owner=session.get(User, curriculum.owner_id))


@bp.post("/<int:curriculum_id>/copy")
@requires("lead_teams")
def copy(curriculum_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    copied = copy_curriculum(db.get_session(), _curriculum(curriculum_id), current_user)
    flash(f"Copied as {copied.name}; it is yours to edit.", "success")
    return redirect(url_for("curricula.edit", curriculum_id=copied.id))


@bp.post("/<int:curriculum_id>/archive")
@requires("lead_teams")
def archive(curriculum_id: int):
    curriculum = _curriculum(curriculum_id)
    if not can_edit_curriculum(current_user, curriculum):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    curriculum.archived = request.form.get("restore") != "1"
    session = db.get_session()
    session.add(curriculum)
    session.commit()
    flash(f"{curriculum.name} is {'archived: trainees no longer see it' if curriculum.archived else 'restored'}.", "success")
    return redirect(url_for("curricula.detail", curriculum_id=curriculum.id))


@bp.route("/<int:curriculum_id>/assign", methods=["GET", "POST"])
@requires("lead_teams")
def assign_page(curriculum_id: int):
    session = db.get_session()
    curriculum = _curriculum(curriculum_id)
    teams = visible_teams(session, current_user)
    members = {t.id: team_trainees(session, t) for t in teams}
    form = AssignForm()
    form.teams.choices = [(t.id, f"{t.name} ({len(members[t.id])} trainees)") for t in teams]
    form.trainees.choices = [(u.id, f"{u.name} ({t.name})") for t in teams for u in members[t.id]]
    error = None
    if form.validate_on_submit():
        chosen_teams = [t for t in teams if t.id in set(form.teams.data or [])]
        chosen_people = [u for t in teams for u in members[t.id] if u.id in set(form.trainees.data or [])]
        try:
            report = assign(session, curriculum, chosen_teams, chosen_people, current_user)
        except CurriculumError as problem:
            error = str(problem)
        else:
            message = f"Assigned {curriculum.name} to {', '.join(report.assigned) or 'nobody new'}."
            if report.already:
                message += f" Already working on it: {', '.join(report.already)}."
            flash(message, "success")
            return redirect(url_for("curricula.detail", curriculum_id=curriculum.id))
    elif request.method == "POST":
        error = "Choose from the teams and trainees listed."
    return render_template("curricula/assign.html", form=form, curriculum=curriculum, error=error)


@bp.get("/teams")
@requires("lead_teams")
def teams():
    session = db.get_session()
    every = visible_teams(session, current_user)
    page = paginate_with(lambda offset, limit: every[offset:offset + limit], per_page=PANEL_TEAMS)
    return render_template("curricula/teams.html", teams=_team_summaries(session, page.items), page=page)


@bp.get("/teams/panel")
@requires("lead_teams")
def teams_panel():
    session = db.get_session()
    every = visible_teams(session, current_user)
    return render_template("curricula/_teams_panel.html", teams=_team_summaries(session, every[:PANEL_TEAMS]),
                           more=len(every) > PANEL_TEAMS)


def _team_summaries(session, teams: list[Team]) -> list[dict]:
    """Trainees, assignments complete and who is behind, per team: a fixed number of queries for all of them."""
    trainees = session.exec(select(User).where(User.team_id.in_([t.id for t in teams]), trainees_clause(),
                                               User.active == True)).all() if teams else []  # noqa: E712
    all_views = assignment_views(session, assignments_of(session, [t.id for t in trainees]))
    summaries = []
    for team in teams:
        members = [t for t in trainees if t.team_id == team.id]
        views = [v for v in all_views if v.user.team_id == team.id]
        summaries.append({"team": team, "trainees": len(members),
                          "behind": sorted({v.user.name for v in views if v.status.behind and not v.status.complete}),
                          "complete": sum(1 for v in views if v.status.complete), "assignments": len(views)})
    return summaries


@bp.get("/teams/<int:team_id>")
@requires("lead_teams")
def team_dashboard(team_id: int):
    team = team_or_404(team_id)
    dashboard = build(db.get_session(), team, request.args.get("curriculum", type=int))
    template = "curricula/_heatmap.html" if request.headers.get("HX-Request") and request.args.get("part") == "heatmap" \
        else "curricula/team.html"
    return render_template(template, board=dashboard, skills=DIMENSIONS, skill_names=SKILL_NAMES, now=utcnow())


@bp.get("/teams/<int:team_id>/trainees/<username>")
@requires("lead_teams")
def trainee(team_id: int, username: str):
    session = db.get_session()
    team = team_or_404(team_id)
    person = session.exec(select(User).where(User.username == username, User.team_id == team.id)).first()
    if person is None:
        abort(404)
    views = assignment_views(session, assignments_of(session, [person.id]))
    marks = views[0].curriculum.pass_marks if views else {}
    return render_template("curricula/trainee.html", team=team, person=person, views=views,
                           levels=current_levels(session, [person])[person.id], skills=DIMENSIONS,
                           skill_names=SKILL_NAMES, marks={s: marks.get(s, DEFAULT_PASS_MARK) for s in DIMENSIONS},
                           attempts=latest_attempts(session, [person.id], TRAINEE_ATTEMPTS),
                           attempts_shown=TRAINEE_ATTEMPTS,
                           now=utcnow())


@bp.get("/assignments/<int:assignment_id>/certificate")
@signed_in
def certificate(assignment_id: int):
    session = db.get_session()
    assignment = get_or_404(Assignment, assignment_id)
    holder = session.get(User, assignment.user_id)
    require_can_see(holder)
    view = assignment_views(session, [assignment])[0]
    if not view.status.complete:
        return render_template("curricula/certificate.html", view=view, holder=holder, complete=False), 404
    signer = session.get(User, assignment.assigned_by)
    return render_template("curricula/certificate.html", view=view, holder=holder, complete=True, signer=signer,
                           skill_names=SKILL_NAMES, organisation=current_app.config["COACH"].org_name,
                           code=verification_code(current_app.config["SECRET_KEY"], assignment.id,
                                                  view.status.completed_at))


@bp.get("/certificates/verify/<code>")
def verify_certificate(code: str):
    """Public: whether a certificate's code is genuine, and then only its holder, curriculum, date and organisation."""
    session = db.get_session()
    number = assignment_number(code)
    assignment = session.get(Assignment, number) if number is not None else None
    view = assignment_views(session, [assignment])[0] if assignment is not None else None
    valid = view is not None and is_genuine(current_app.config["SECRET_KEY"], code, assignment.id,
                                            view.status.completed_at)
    return render_template("curricula/verify.html", valid=valid, view=view if valid else None,
                           holder=session.get(User, assignment.user_id) if valid else None,
                           organisation=current_app.config["COACH"].org_name), 200 if valid else 404
