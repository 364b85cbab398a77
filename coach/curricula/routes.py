"""Building curricula: list, create, edit, copy, archive, assign."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from coach import db
from coach.access import roles_required
from coach.curricula import bp
from coach.curricula.editing import (CurriculumError, assign, can_edit, copy_curriculum, fill_form, prepare_form,
                                     save_curriculum, steps_from_form)
from coach.curricula.forms import ActionForm, AssignForm, CurriculumForm
from coach.models import Assignment, Curriculum, Role, User
from coach.progress_data import (assignment_views, curriculum_steps, scenarios_by_slug, step_specs, team_trainees,
                                 teams_visible_to)


def _curriculum(curriculum_id: int) -> Curriculum:
    curriculum = db.get_session().get(Curriculum, curriculum_id)
    if curriculum is None:
        abort(404)
    return curriculum


@bp.get("/")
@roles_required(Role.trainer)
def index():
    session = db.get_session()
    archived = request.args.get("archived") == "1"
    rows = session.exec(select(Curriculum).where(Curriculum.archived == archived).order_by(Curriculum.name)).all()
    owners = {u.id: u.name for u in session.exec(select(User).where(User.id.in_({c.owner_id for c in rows})))} if rows else {}
    counts = {c.id: len(curriculum_steps(session, c)) for c in rows}
    return render_template("curricula/index.html", curricula=rows, owners=owners, step_counts=counts, archived=archived)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.trainer)
def create():
    form = CurriculumForm()
    return _edit_form(form, Curriculum(name="", owner_id=current_user.id), "New curriculum")


@bp.route("/<int:curriculum_id>/edit", methods=["GET", "POST"])
@roles_required(Role.trainer)
def edit(curriculum_id: int):
    curriculum = _curriculum(curriculum_id)
    if not can_edit(current_user, curriculum):
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
@roles_required(Role.trainer)
def detail(curriculum_id: int):
    session = db.get_session()
    curriculum = _curriculum(curriculum_id)
    specs = step_specs(curriculum_steps(session, curriculum), scenarios_by_slug(session))
    visible = {u.id for team in teams_visible_to(session, current_user) for u in team_trainees(session, team)}
    assignments = session.exec(select(Assignment).where(Assignment.curriculum_id == curriculum.id)
                               .order_by(Assignment.assigned_at.desc())).all()
    views = assignment_views(session, [a for a in assignments if a.user_id in visible or current_user.role == Role.admin])
    return render_template("curricula/detail.html", curriculum=curriculum, steps=specs, views=views,
                           editable=can_edit(current_user, curriculum), action=ActionForm(),
                           owner=session.get(User, curriculum.owner_id))


@bp.post("/<int:curriculum_id>/copy")
@roles_required(Role.trainer)
def copy(curriculum_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    copied = copy_curriculum(db.get_session(), _curriculum(curriculum_id), current_user)
    flash(f"Copied as {copied.name}; it is yours to edit.", "success")
    return redirect(url_for("curricula.edit", curriculum_id=copied.id))


@bp.post("/<int:curriculum_id>/archive")
@roles_required(Role.trainer)
def archive(curriculum_id: int):
    curriculum = _curriculum(curriculum_id)
    if not can_edit(current_user, curriculum):
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
@roles_required(Role.trainer)
def assign_page(curriculum_id: int):
    session = db.get_session()
    curriculum = _curriculum(curriculum_id)
    teams = teams_visible_to(session, current_user)
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
