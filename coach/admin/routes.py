"""Administration: users, teams and API tokens."""
from flask import Blueprint, flash, redirect, render_template, url_for
from sqlmodel import select

from coach import db
from coach.admin.forms import TeamForm, TokenForm, UserForm
from coach.auth import accounts
from coach.models import ApiToken, Team, User
from coach.permissions import holders_clause, requires
from coach.web.navigation import nav_link

bp = Blueprint("admin", __name__, url_prefix="/admin")
nav_link(bp, "users", "Users", "administer", order=90)
nav_link(bp, "teams", "Teams", "administer", order=91)
nav_link(bp, "tokens", "API tokens", "administer", order=92)


def _team_choices(session) -> list[tuple[int, str]]:
    return [(0, "(no team)")] + [(t.id, t.name) for t in session.exec(select(Team).order_by(Team.name))]


@bp.route("/users", methods=["GET", "POST"])
@requires("administer")
def users():
    session = db.get_session()
    form = UserForm()
    form.team_id.choices = _team_choices(session)
    if form.validate_on_submit():
        try:
            accounts.create_user(session, form.username.data, form.password.data, form.role.data,
                                 form.display_name.data or "", session.get(Team, form.team_id.data) if form.team_id.data else None)
        except accounts.AccountError as error:
            form.username.errors.append(str(error))
        else:
            flash(f"Added {form.username.data}.", "success")
            return redirect(url_for("admin.users"))
    people = session.exec(select(User).order_by(User.role, User.username)).all()
    teams = {t.id: t.name for t in session.exec(select(Team))}
    return render_template("admin/users.html", form=form, people=people, teams=teams)


@bp.route("/teams", methods=["GET", "POST"])
@requires("administer")
def teams():
    session = db.get_session()
    form = TeamForm()
    trainers = session.exec(select(User).where(holders_clause("lead_a_team")).order_by(User.username)).all()
    form.trainer_id.choices = [(0, "(none yet)")] + [(t.id, t.name) for t in trainers]
    if form.validate_on_submit():
        try:
            accounts.create_team(session, form.name.data, session.get(User, form.trainer_id.data) if form.trainer_id.data else None)
        except accounts.AccountError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Added team {form.name.data}.", "success")
            return redirect(url_for("admin.teams"))
    all_teams = session.exec(select(Team).order_by(Team.name)).all()
    names = {u.id: u.name for u in trainers}
    sizes = {t.id: len(session.exec(select(User.id).where(User.team_id == t.id)).all()) for t in all_teams}
    return render_template("admin/teams.html", form=form, teams=all_teams, trainer_names=names, sizes=sizes)


@bp.route("/tokens", methods=["GET", "POST"])
@requires("administer")
def tokens():
    session = db.get_session()
    form = TokenForm()
    people = session.exec(select(User).order_by(User.username)).all()
    form.user_id.choices = [(u.id, f"{u.username} ({u.role.value})") for u in people]
    new_token = None
    if form.validate_on_submit():
        owner = session.get(User, form.user_id.data)
        new_token = accounts.create_api_token(session, owner, form.label.data or "")
        flash(f"Token created for {owner.username}. Copy it now: it is not shown again.", "success")
    rows = session.exec(select(ApiToken).order_by(ApiToken.created_at.desc())).all()
    return render_template("admin/tokens.html", form=form, tokens=rows, owners={u.id: u.username for u in people}, new_token=new_token)
