"""A person's progress page and the trainee's dashboard panels."""
from flask import abort, render_template
from flask_login import current_user
from sqlmodel import select

from coach import db
from coach.access import any_signed_in, require_can_see, roles_required
from coach.models import Role, User, utcnow
from coach.progress import bp
from coach.progress.page import build
from coach.progress_data import assignment_views, assignments_of, levels_for, recommendation_for
from coach.skills import DIMENSIONS, SKILL_NAMES


@bp.get("/")
@any_signed_in
def mine():
    return _page(current_user)


@bp.get("/people/<username>")
@any_signed_in
def person(username: str):
    session = db.get_session()
    subject = session.exec(select(User).where(User.username == username)).first()
    if subject is None:
        abort(404)
    require_can_see(current_user, subject, session)
    return _page(subject)


def _page(subject: User):
    page = build(db.get_session(), subject)
    return render_template("progress/page.html", page=page, skills=DIMENSIONS, skill_names=SKILL_NAMES, now=utcnow(),
                           own=subject.id == current_user.id)


@bp.get("/panels/assigned")
@roles_required(Role.trainee)
def assigned_panel():
    session = db.get_session()
    views = assignment_views(session, assignments_of(session, [current_user.id]))
    return render_template("progress/_assigned_panel.html", views=views, now=utcnow())


@bp.get("/panels/next")
@roles_required(Role.trainee)
def next_panel():
    session = db.get_session()
    views = assignment_views(session, assignments_of(session, [current_user.id]))
    levels = levels_for(session, [current_user])[current_user.id]
    return render_template("progress/_next_panel.html", recommendation=recommendation_for(session, current_user, levels, views),
                           levels=levels, skill_names=SKILL_NAMES, skills=DIMENSIONS)
