"""Who may see or change what: every rule of Coach's access control, as plain functions of user and object.

Roles grant *abilities* (``ABILITIES``); admins hold every ability. Owner rules (a trainee's own work, a
trainer's own teams) are the ``can_*`` functions below. Views never restate a rule: they use the route
decorators here and the look-up-or-404 helpers in ``coach.web.lookup``, which call these functions.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user, login_required
from sqlmodel import Session, select

from coach.models import Attempt, Calibration, Call, Curriculum, Job, Review, ReviewStatus, Role, ScorecardResponse, Team, User

ABILITIES: dict[str, frozenset[Role]] = {
    "practise": frozenset({Role.trainee}),              # play role-plays, see one's own progress and calls
    "lead_teams": frozenset({Role.trainer}),            # curricula, assignments, team progress
    "override_roleplay": frozenset({Role.trainer}),     # change a role-play reply's score
    "review_calls": frozenset({Role.reviewer}),         # upload, review, calibrate and export real calls
    "manage_rubrics": frozenset({Role.trainer, Role.reviewer}),
    "export_progress": frozenset({Role.trainer, Role.reviewer}),
    "see_all_teams": frozenset({Role.reviewer}),
    "lead_a_team": frozenset({Role.trainer}),           # may be named a team's trainer
    "resolve_disputes": frozenset({Role.trainer, Role.reviewer}),  # uphold or change a disputed scorecard
    "administer": frozenset(),                          # users, teams, tokens: admins only
}


def may(user: User, ability: str) -> bool:
    """Whether ``user``'s role grants ``ability`` (admins hold every ability)."""
    return user.role == Role.admin or user.role in ABILITIES[ability]


def roles_with(ability: str) -> frozenset[Role]:
    """The roles that hold ``ability``, admins included (for queries and navigation)."""
    return ABILITIES[ability] | {Role.admin}


def is_staff(user: User) -> bool:
    """Trainers, reviewers and admins: everyone who watches trainees rather than being one."""
    return user.role != Role.trainee


# --- route decorators ---------------------------------------------------------------------------

def requires(ability: str) -> Callable:
    """Route decorator: signed-in users who hold ``ability``; others get 403."""
    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not may(current_user, ability):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = set(roles_with(ability))
        return wrapped

    return decorator


def signed_in(view: Callable) -> Callable:
    """Route decorator: any signed-in user; what they see is narrowed by the owner rules below."""
    wrapped = login_required(view)
    wrapped.allowed_roles = set(Role)
    return wrapped


# --- people and teams ---------------------------------------------------------------------------

def can_see_team(viewer: User, team: Team) -> bool:
    """Reviewers and admins see every team; a trainer the teams they lead; a trainee none."""
    return may(viewer, "see_all_teams") or (viewer.role == Role.trainer and team.trainer_id == viewer.id)


def _visible_teams_query(viewer: User):
    """``can_see_team`` as a query of teams; None for a viewer who sees none."""
    if may(viewer, "see_all_teams"):
        return select(Team)
    if viewer.role == Role.trainer:
        return select(Team).where(Team.trainer_id == viewer.id)
    return None


def visible_teams(session: Session, viewer: User) -> list[Team]:
    """The teams ``can_see_team`` lets ``viewer`` see, by name."""
    query = _visible_teams_query(viewer)
    return [] if query is None else list(session.exec(query.order_by(Team.name)))


def can_see_user(viewer: User, subject: User, session: Session) -> bool:
    """A trainee sees only themselves; others see whom they see through ``can_see_team``."""
    if viewer.id == subject.id or may(viewer, "see_all_teams"):
        return True
    team = session.get(Team, subject.team_id) if subject.team_id is not None else None
    return team is not None and can_see_team(viewer, team)


def can_lead_team(user: User) -> bool:
    """Whether ``user`` may be named the trainer of a team."""
    return may(user, "lead_a_team")


def is_trainee(user: User) -> bool:
    """Trainees are the people whose skills Coach tracks."""
    return user.role == Role.trainee


def trainees_clause():
    """A query condition for "is a trainee"."""
    return User.role == Role.trainee


def holders_clause(ability: str):
    """A query condition for "holds ``ability``" (admins included)."""
    return User.role.in_(roles_with(ability))


# --- role-play ----------------------------------------------------------------------------------

def can_start_attempt(user: User) -> bool:
    """Only trainees play role-plays; staff watch their attempts."""
    return user.role == Role.trainee


def can_view_attempt(viewer: User, attempt: Attempt, session: Session) -> bool:
    """The trainee themself, the trainer of their team, reviewers and admins."""
    owner = session.get(User, attempt.user_id)
    return owner is not None and can_see_user(viewer, owner, session)


def can_play_attempt(user: User, attempt: Attempt) -> bool:
    """Only the trainee who started it replies; everyone else who may see it reads it."""
    return user.id == attempt.user_id and user.role == Role.trainee


def can_override_attempt(user: User, attempt: Attempt, session: Session) -> bool:
    """Trainers who lead the trainee's team, and admins."""
    return may(user, "override_roleplay") and can_view_attempt(user, attempt, session)


# --- curricula ----------------------------------------------------------------------------------

def can_edit_curriculum(user: User, curriculum: Curriculum) -> bool:
    """Its owner, and admins."""
    return user.role == Role.admin or curriculum.owner_id == user.id


# --- calls and reviews --------------------------------------------------------------------------

def can_review_calls(user: User) -> bool:
    return may(user, "review_calls")


def can_calibrate(user: User) -> bool:
    """Calibration sessions are for QA reviewers (and admins)."""
    return may(user, "review_calls")


def calibration_finished(session: Session, calibration: Calibration) -> bool:
    """Every reviewer asked to score it blind has finalised; until then nobody sees the others' scores."""
    reviews = session.exec(select(Review).where(Review.calibration_id == calibration.id)).all()
    final = {r.reviewer_id for r in reviews if r.status == ReviewStatus.final}
    seats = set(calibration.reviewer_ids) | {r.reviewer_id for r in reviews}
    if calibration.kind == "double":  # compared with the routine scorecard, which must be final too
        routine = session.exec(select(Review).where(Review.call_id == calibration.call_id, Review.calibration_id.is_(None),
                                                    Review.status == ReviewStatus.final)).first()
        if routine is None:
            return False
    return bool(seats) and seats <= final


def open_seat(session: Session, reviewer: User, call_id: int) -> Calibration | None:
    """The calibration in which ``reviewer`` still has to score this call blind, if any."""
    for calibration in session.exec(select(Calibration).where(Calibration.call_id == call_id).order_by(Calibration.id)):
        mine = session.exec(select(Review).where(Review.calibration_id == calibration.id,
                                                 Review.reviewer_id == reviewer.id)).first()
        if reviewer.id in calibration.reviewer_ids or mine is not None:
            if mine is None or mine.status != ReviewStatus.final:
                return calibration
    return None


def scores_blind(session: Session, reviewer: User, call_id: int) -> bool:
    """A reviewer with an open blind seat on the call sees neither the first pass nor anyone else's scorecard."""
    return open_seat(session, reviewer, call_id) is not None


def can_read_scorecard(viewer: User, review: Review, agent: User, session: Session) -> bool:
    """Calibration scorecards: QA only, once everyone has finalised (one's own always). Routine ones: QA sees every one
    unless scoring the call blind; the agent and their trainer see it once it is final."""
    if review.calibration_id is not None:
        if not may(viewer, "review_calls"):
            return False
        calibration = session.get(Calibration, review.calibration_id)
        return review.reviewer_id == viewer.id or (calibration is not None and calibration_finished(session, calibration))
    if may(viewer, "review_calls"):
        return review.reviewer_id == viewer.id or not scores_blind(session, viewer, review.call_id)
    return review.status == ReviewStatus.final and can_see_user(viewer, agent, session)


def can_hear_call(viewer: User, call: Call, session: Session) -> bool:
    """QA hears every call; the agent and their trainer once a routine scorecard of it is final."""
    if may(viewer, "review_calls"):
        return True
    agent = session.get(User, call.agent_id)
    has_final = session.exec(select(Review).where(Review.call_id == call.id, Review.calibration_id.is_(None),
                                                  Review.status == ReviewStatus.final)).first()
    return has_final is not None and agent is not None and can_see_user(viewer, agent, session)


def can_respond_to_scorecard(user: User, review: Review, call: Call) -> bool:
    """Only the agent on the call answers a finalised routine scorecard (acknowledge or dispute)."""
    return (user.id == call.agent_id and review.status == ReviewStatus.final and review.calibration_id is None)


def can_resolve_dispute(user: User, response: ScorecardResponse, agent: User, session: Session) -> bool:
    """A lead: a trainer who leads the agent's team, any QA reviewer, an admin; never the agent themself."""
    if user.id == agent.id or not may(user, "resolve_disputes"):
        return False
    return can_see_user(user, agent, session)


def disputes_visible_to(session: Session, lead: User, offset: int = 0, limit: int | None = None) -> list[ScorecardResponse]:
    """The disputes ``lead`` may resolve (``can_resolve_dispute``, as a query), newest first; ``limit`` of them from
    ``offset`` when given."""
    if not may(lead, "resolve_disputes"):
        return []
    query = (select(ScorecardResponse).where(ScorecardResponse.status.is_not(None), ScorecardResponse.agent_id != lead.id)
             .order_by(ScorecardResponse.created_at.desc(), ScorecardResponse.id.desc()))
    if not may(lead, "see_all_teams"):
        teams = _visible_teams_query(lead)
        if teams is None:
            return []
        led = select(User.id).where(User.team_id.in_(teams.with_only_columns(Team.id)))
        query = query.where(ScorecardResponse.agent_id.in_(led))
    return list(session.exec(query.offset(offset).limit(limit) if limit else query))


# --- jobs ---------------------------------------------------------------------------------------

def can_view_job(viewer: User, job: Job, session: Session) -> bool:
    """Whoever queued it; admins and reviewers; a trainer when the job was queued by someone they may see."""
    if job.created_by == viewer.id or may(viewer, "see_all_teams"):
        return True
    if viewer.role != Role.trainer or job.created_by is None:
        return False
    owner = session.get(User, job.created_by)
    return owner is not None and can_see_user(viewer, owner, session)
