"""Watching teams: the team dashboard, one trainee's drill-down, certificates and the trainer's dashboard panel."""
from flask import abort, render_template, request
from flask_login import current_user
from sqlmodel import select

from coach import db
from coach.access import any_signed_in, can_see_team, require_can_see, roles_required
from coach.curricula import bp
from coach.curricula.team_view import build
from coach.models import Assignment, Role, Team, User, utcnow
from coach.progress_data import (assignment_views, assignments_of, finished_attempts, levels_for,
                                 team_trainees, teams_visible_to)
from coach.skills import DEFAULT_PASS_MARK, DIMENSIONS, SKILL_NAMES


def _team(team_id: int) -> Team:
    team = db.get_session().get(Team, team_id)
    if team is None:
        abort(404)
    if not can_see_team(current_user, team):
        abort(403)
    return team


@bp.get("/teams")
@roles_required(Role.trainer)
def teams():
    session = db.get_session()
    return render_template("curricula/teams.html", teams=_team_summaries(session, teams_visible_to(session, current_user)))


@bp.get("/teams/panel")
@roles_required(Role.trainer)
def teams_panel():
    session = db.get_session()
    return render_template("curricula/_teams_panel.html", teams=_team_summaries(session, teams_visible_to(session, current_user)))


def _team_summaries(session, teams: list[Team]) -> list[dict]:
    summaries = []
    for team in teams:
        trainees = team_trainees(session, team)
        views = assignment_views(session, assignments_of(session, [t.id for t in trainees]))
        summaries.append({"team": team, "trainees": len(trainees),
                          "behind": sorted({v.user.name for v in views if v.status.behind and not v.status.complete}),
                          "complete": sum(1 for v in views if v.status.complete), "assignments": len(views)})
    return summaries


@bp.get("/teams/<int:team_id>")
@roles_required(Role.trainer)
def team_dashboard(team_id: int):
    team = _team(team_id)
    dashboard = build(db.get_session(), team, request.args.get("curriculum", type=int))
    template = "curricula/_heatmap.html" if request.headers.get("HX-Request") and request.args.get("part") == "heatmap" \
        else "curricula/team.html"
    return render_template(template, board=dashboard, skills=DIMENSIONS, skill_names=SKILL_NAMES, now=utcnow())


@bp.get("/teams/<int:team_id>/trainees/<username>")
@roles_required(Role.trainer)
def trainee(team_id: int, username: str):
    session = db.get_session()
    team = _team(team_id)
    person = session.exec(select(User).where(User.username == username, User.team_id == team.id)).first()
    if person is None:
        abort(404)
    views = assignment_views(session, assignments_of(session, [person.id]))
    marks = views[0].curriculum.pass_marks if views else {}
    return render_template("curricula/trainee.html", team=team, person=person, views=views,
                           levels=levels_for(session, [person])[person.id], skills=DIMENSIONS, skill_names=SKILL_NAMES,
                           marks={s: marks.get(s, DEFAULT_PASS_MARK) for s in DIMENSIONS},
                           attempts=list(reversed(finished_attempts(session, [person.id]).get(person.id, [])))[:20],
                           now=utcnow())


@bp.get("/assignments/<int:assignment_id>/certificate")
@any_signed_in
def certificate(assignment_id: int):
    session = db.get_session()
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    holder = session.get(User, assignment.user_id)
    require_can_see(current_user, holder, session)
    view = assignment_views(session, [assignment])[0]
    if not view.status.complete:
        return render_template("curricula/certificate.html", view=view, holder=holder, complete=False), 404
    signer = session.get(User, assignment.assigned_by)
    return render_template("curricula/certificate.html", view=view, holder=holder, complete=True, signer=signer,
                           skill_names=SKILL_NAMES)
