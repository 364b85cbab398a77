"""Administration: users (add, change, (de)activate, reset a password), teams and API tokens (create, revoke)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from coach import db
from coach.admin.forms import AccountForm, ConfirmForm, RevokeForm, TeamForm, TokenForm, UserForm
from coach.auth import accounts
from coach.models import ApiToken, Team, User
from coach.permissions import holders_clause, requires
from coach.web.lookup import user_or_404
from coach.web.navigation import nav_link
from coach.web.pagination import paginate

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
    people = paginate(select(User).order_by(User.role, User.username, User.id))
    teams = dict(form.team_id.choices)
    return render_template("admin/users.html", form=form, people=people, teams=teams)


@bp.route("/users/<username>", methods=["GET", "POST"])
@requires("administer")
def user(username: str):
    """One account: change its role and team; the (de)activate and reset buttons post elsewhere."""
    session = db.get_session()
    person = user_or_404(username)
    form = AccountForm(data={"role": person.role.value, "team_id": person.team_id or 0})
    form.team_id.choices = _team_choices(session)
    error = None
    if form.validate_on_submit():
        team = session.get(Team, form.team_id.data) if form.team_id.data else None
        try:
            accounts.change_account(session, person, current_user, role=form.role.data, team=team,
                                    clear_team=team is None)
        except accounts.AccountError as problem:
            error = str(problem)
        else:
            flash(f"Saved {person.username}.", "success")
            return redirect(url_for("admin.user", username=person.username))
    return _user_page(person, form, error=error)


def _user_page(person: User, form: AccountForm | None = None, error: str | None = None, new_password: str | None = None):
    session = db.get_session()
    if form is None:
        form = AccountForm(formdata=None, data={"role": person.role.value, "team_id": person.team_id or 0})
        form.team_id.choices = _team_choices(session)
    tokens = session.exec(select(ApiToken).where(ApiToken.user_id == person.id).order_by(ApiToken.created_at.desc())).all()
    status = 422 if error else 200
    return render_template("admin/user.html", person=person, form=form, action=ConfirmForm(), error=error,
                           new_password=new_password, tokens=tokens, is_self=person.id == current_user.id), status


@bp.post("/users/<username>/deactivate")
@requires("administer")
def deactivate(username: str):
    return _set_active(username, False)


@bp.post("/users/<username>/activate")
@requires("administer")
def activate(username: str):
    return _set_active(username, True)


def _set_active(username: str, active: bool):
    person = user_or_404(username)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accounts.change_active(db.get_session(), person, active, actor=current_user)
    except accounts.AccountError as problem:
        return _user_page(person, error=str(problem))
    flash(f"{person.username} is active again." if active else
          f"{person.username} is deactivated: they cannot sign in, their sessions and API tokens stopped, "
          "their history stays.", "success")
    return redirect(url_for("admin.user", username=person.username))


@bp.post("/users/<username>/password")
@requires("administer")
def reset_password(username: str):
    """A new random password, shown once on the page it answers with (never flashed: flashes live in the cookie)."""
    person = user_or_404(username)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    new_password = accounts.random_password()
    accounts.set_password(db.get_session(), person, new_password)
    return _user_page(person, new_password=new_password)


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
    shown = paginate(select(Team).order_by(Team.name, Team.id))
    sizes = dict(session.exec(select(User.team_id, func.count()).where(User.team_id.in_([t.id for t in shown.items]))
                              .group_by(User.team_id)).all())
    names = {u.id: u.name for u in trainers}
    return render_template("admin/teams.html", form=form, teams=shown, trainer_names=names, sizes=sizes)


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
    rows = paginate(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return render_template("admin/tokens.html", form=form, tokens=rows, owners={u.id: u.username for u in people},
                           new_token=new_token, revoke=ConfirmForm())


@bp.post("/tokens/revoke")
@requires("administer")
def revoke_token():
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.revoke_api_token(db.get_session(), form.token_id.data)
    except accounts.AccountError:
        abort(404)
    flash(f"Token {form.token_id.data} is revoked: it stops working at once.", "success")
    return redirect(url_for("admin.tokens"))
