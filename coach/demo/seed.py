"""Demo data for ``coach init --demo``: a team with a trainer, a reviewer, trainees and six weeks of history.

The history is played, not invented: every attempt goes through the role-play player
(``coach.roleplay.practice``, i.e. ``scenarios.play.RolePlay`` and the real scorer) with scripted replies
of varying quality, and only its times are moved into the past. The story: Alex improves week
by week, Sam is warm and owns problems but keeps using jargon, Jordan is steady.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from coach.auth import accounts
from coach.config import Settings
from coach.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    AttemptTurn,
    Curriculum,
    CurriculumStep,
    Scenario,
    Team,
    User,
    utcnow,
)
from coach.progress.history import assignment_views
from coach.roleplay import practice
from coach.roleplay.scenario_store import scenario_from_row

DEMO_PASSWORD = "coach-demo"
DEMO_TEAM = "Support North"
DEMO_PEOPLE = (
    ("admin", "Ada Admin", "admin", False),
    ("tina", "Tina Trainer", "trainer", False),
    ("rob", "Rob Reviewer", "reviewer", False),
    ("alex", "Alex Trainee", "trainee", True),
    ("sam", "Sam Trainee", "trainee", True),
    ("jordan", "Jordan Trainee", "trainee", True),
)
FOUNDATIONS = "Difficult customers: foundations"
FOUNDATION_STEPS = (("late-delivery", 7), ("angry-refund", 14), ("jargon-trap", 21), ("elderly-plain-language", 28))
REAL_CALLS = "Real calls sign-off"
HISTORY_DAYS = 42
ASSIGNED_DAYS_AGO = 35
MAX_TURNS = 8


def load_demo(session: Session, settings: Settings, calls: bool = False) -> str:
    """Create the demo accounts (password ``coach-demo``), curricula and history; what exists already is kept.

    With ``calls`` also the demo call recordings, their first passes (Whisper) and QA reviews (``coach.demo.reviews``).
    """
    people = _load_people(session)
    history = _load_history(session, settings)
    if not calls:
        return f"{people}\n{history}"
    from coach.demo.reviews import load_demo_calls  # pulls in the speech stack only when needed
    return f"{people}\n{history}\n{load_demo_calls(session, settings)}"


def _load_people(session: Session) -> str:
    if session.exec(select(User).where(User.username == "tina")).first():
        return "demo users: present already"
    trainer = accounts.create_user(session, "tina", DEMO_PASSWORD, "trainer", "Tina Trainer")
    team = accounts.create_team(session, DEMO_TEAM, trainer)
    trainer.team_id = team.id
    session.add(trainer)
    for username, name, role, in_team in DEMO_PEOPLE:
        if username != "tina":
            accounts.create_user(session, username, DEMO_PASSWORD, role, name, team if in_team else None)
    return f"demo users: {', '.join(p[0] for p in DEMO_PEOPLE)} (password {DEMO_PASSWORD!r}), team {DEMO_TEAM!r}"


# --- the trainees' story ------------------------------------------------------------------------

@dataclass(frozen=True)
class Trainee:
    """How a demo trainee replies: ``quality(week_fraction)`` 0..1, and a habit that colours every reply."""

    username: str
    start: float
    end: float
    spread: float
    habit: str = ""  # "jargon": technical words in every reply

    def quality(self, progress: float, rng: random.Random) -> float:
        level = self.start + (self.end - self.start) * progress
        return min(1.0, max(0.0, rng.gauss(level, self.spread)))


STORY = (
    Trainee("alex", start=0.1, end=1.1, spread=0.06),
    Trainee("sam", start=0.9, end=0.95, spread=0.03, habit="jargon"),
    Trainee("jordan", start=0.72, end=0.76, spread=0.08),
)
# (day, scenario) of each trainee's sessions over six weeks; day 0 is six weeks ago
SESSIONS = {
    "alex": [(1, "angry-refund"), (3, "repeat-caller"), (5, "late-delivery"), (9, "late-delivery"), (12, "angry-refund"),
             (15, "policy-no-empathy"), (17, "angry-refund"), (20, "jargon-trap"), (24, "late-delivery"),
             (27, "jargon-trap"), (30, "cancellation-retention"), (33, "elderly-plain-language"),
             (36, "late-delivery"), (38, "angry-refund"), (39, "repeat-caller"), (41, "billing-double-charge")],
    "sam": [(2, "late-delivery"), (5, "angry-refund"), (8, "late-delivery"), (11, "angry-refund"), (14, "jargon-trap"),
            (18, "repeat-caller"), (21, "jargon-trap"), (25, "policy-no-empathy"), (28, "jargon-trap"),
            (32, "billing-double-charge"), (35, "cancellation-retention"), (38, "jargon-trap"), (41, "late-delivery")],
    "jordan": [(2, "angry-refund"), (6, "late-delivery"), (10, "policy-no-empathy"), (13, "late-delivery"),
               (17, "angry-refund"), (22, "repeat-caller"), (26, "angry-refund"), (31, "jargon-trap"),
               (35, "social-media-threat"), (40, "chat-wrong-item")],
}

FEELING = re.compile(r"\b(sorry|apologi[sz]e|understand|frustrat\w*|fair|must be|i know how|i can hear|not okay|you're right)\b", re.I)
JARGON = ("I've logged it as a tier 2 ticket in the CRM, per our SLA.",
          "I'll raise a work order and disposition the case in the backlog queue.",
          "Our L2 team will action the RMA once the case queue clears.")
DISMISSIVE = ("That's our policy, I'm afraid.", "There's nothing I can do about that.",
              "You'll have to call back later.", "As I said, it's not something I can change.",
              "I don't make the rules.")
GENERIC_GOOD = ("I'm sorry about this. I'll sort it out for you myself now, and I'll confirm by email today.")


def scripted_reply(model_reply: str | None, quality: float, habit: str, rng: random.Random) -> str:
    """A reply of roughly ``quality``: the scenario's model reply, thinned out, or a dismissive line."""
    good = (model_reply or GENERIC_GOOD).strip()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", good) if s]
    if quality >= 0.85:
        reply = good
    elif quality >= 0.65:  # the facts and the action, without the acknowledgement
        reply = " ".join(s for s in sentences if not FEELING.search(s)) or sentences[-1]
    elif quality >= 0.4:  # only the last thing said
        reply = sentences[-1]
    else:
        reply = rng.choice(DISMISSIVE)
    if habit == "jargon":
        reply = f"{reply} {rng.choice(JARGON)}"
    return reply


# --- history ------------------------------------------------------------------------------------

def _load_history(session: Session, settings: Settings) -> str:
    if session.exec(select(Curriculum).where(Curriculum.name == FOUNDATIONS)).first():
        return "demo history: present already"
    scenarios = {row.slug: row for row in session.exec(select(Scenario).where(Scenario.archived == False))}  # noqa: E712
    needed = {slug for plan in SESSIONS.values() for _, slug in plan} | {slug for slug, _ in FOUNDATION_STEPS}
    missing = sorted(needed - set(scenarios))
    if missing:
        return f"demo history: skipped, scenarios missing ({', '.join(missing)}); run `coach scenarios sync` first"
    users = {u.username: u for u in session.exec(select(User))}
    team = session.exec(select(Team).where(Team.name == DEMO_TEAM)).one()
    now = utcnow()
    start = now - timedelta(days=HISTORY_DAYS)
    foundations, real_calls = _curricula(session, users["tina"])
    assigned_at = now - timedelta(days=ASSIGNED_DAYS_AGO)
    assignments = {}
    for trainee in STORY:
        assignments[trainee.username] = Assignment(curriculum_id=foundations.id, user_id=users[trainee.username].id,
                                                   team_id=team.id, assigned_by=users["tina"].id, assigned_at=assigned_at)
        session.add(assignments[trainee.username])
    session.add(Assignment(curriculum_id=real_calls.id, user_id=users["alex"].id, team_id=team.id,
                           assigned_by=users["tina"].id, assigned_at=now - timedelta(days=3)))
    session.commit()
    played = 0
    step_slugs = {slug for slug, _ in FOUNDATION_STEPS}
    for trainee in STORY:
        rng = random.Random(f"coach-demo-{trainee.username}")
        user = users[trainee.username]
        for day, slug in SESSIONS[trainee.username]:
            when = start + timedelta(days=day, hours=9 + rng.randrange(8), minutes=rng.randrange(60))
            assignment = assignments[trainee.username]
            from_assignment = slug in step_slugs and when > assigned_at and assignment.completed_at is None
            _play(session, settings, user, scenarios[slug], trainee, day / HISTORY_DAYS, when, rng,
                  assignment.id if from_assignment else None)
            played += 1
            if from_assignment:
                assignment_views(session, [assignment], now=when + timedelta(hours=1))
    assignment_views(session, list(assignments.values()), now)
    return f"demo history: {played} role-play attempts over {HISTORY_DAYS // 7} weeks, curricula {FOUNDATIONS!r} and {REAL_CALLS!r}"


def _curricula(session: Session, trainer: User) -> tuple[Curriculum, Curriculum]:
    foundations = Curriculum(
        name=FOUNDATIONS, owner_id=trainer.id, attempts_allowed=4,
        description="Four role-plays for a new starter: acknowledge, own the problem, speak plainly.",
        pass_marks={"active_listening": 45, "empathy": 40, "clarity": 70, "jargon": 70, "ownership": 45})
    real_calls = Curriculum(
        name=REAL_CALLS, owner_id=trainer.id,
        description="A last role-play, then two real calls reviewed by QA at the pass marks.",
        pass_marks={"active_listening": 50, "empathy": 40, "clarity": 70, "jargon": 70, "ownership": 50})
    session.add(foundations)
    session.add(real_calls)
    session.flush()
    for position, (slug, due) in enumerate(FOUNDATION_STEPS, start=1):
        session.add(CurriculumStep(curriculum_id=foundations.id, position=position, scenario_slug=slug, due_days=due))
    session.add(CurriculumStep(curriculum_id=real_calls.id, position=1, scenario_slug="policy-no-empathy", due_days=7))
    session.add(CurriculumStep(curriculum_id=real_calls.id, position=2, kind="reviewed_calls", calls_required=2, due_days=21))
    session.commit()
    return foundations, real_calls


def _play(session: Session, settings: Settings, user: User, row: Scenario, trainee: Trainee, progress: float,
          when: datetime, rng: random.Random, assignment_id: int | None) -> Attempt:
    """Play one attempt through the real player and scorer, then move its times to ``when``."""
    try:
        attempt = practice.start_attempt(session, user, row, assignment_id)
    except practice.PracticeError:  # out of attempts for the assignment: practise outside it
        attempt = practice.start_attempt(session, user, row, None)
    scenario = scenario_from_row(row)
    for _ in range(MAX_TURNS):
        turn_id = attempt.state.get("turn_id")
        if attempt.status != AttemptStatus.in_progress or turn_id is None:
            break
        turn = scenario.turn(turn_id)
        text = scripted_reply(turn.model_reply, trainee.quality(progress, rng), trainee.habit, rng)
        practice.apply_reply(session, attempt, text, settings)
    if attempt.status == AttemptStatus.in_progress:  # a loop that did not end: leave it abandoned
        attempt.status = AttemptStatus.abandoned
    turns = session.exec(select(AttemptTurn).where(AttemptTurn.attempt_id == attempt.id).order_by(AttemptTurn.index)).all()
    attempt.started_at = when
    for index, turn in enumerate(turns):
        turn.created_at = when + timedelta(minutes=1 + 2 * index)
        session.add(turn)
    if attempt.finished_at is not None:
        attempt.finished_at = when + timedelta(minutes=2 + 2 * len(turns))
    session.add(attempt)
    session.commit()
    return attempt
