"""Demo data for ``coach init --demo``: a team with a trainer, a reviewer, trainees and their history."""
from __future__ import annotations

from sqlmodel import Session, select

from coach import accounts
from coach.config import Settings
from coach.models import Role, User

DEMO_PASSWORD = "coach-demo"
DEMO_TEAM = "Support North"
DEMO_PEOPLE = (
    ("admin", "Ada Admin", Role.admin, False),
    ("tina", "Tina Trainer", Role.trainer, False),
    ("rob", "Rob Reviewer", Role.reviewer, False),
    ("alex", "Alex Trainee", Role.trainee, True),
    ("sam", "Sam Trainee", Role.trainee, True),
    ("jordan", "Jordan Trainee", Role.trainee, True),
)


def load_demo(session: Session, settings: Settings) -> str:
    """Create the demo accounts (all with password ``coach-demo``); does nothing if they exist."""
    if session.exec(select(User).where(User.username == "tina")).first():
        return "demo data: present already"
    trainer = accounts.create_user(session, "tina", DEMO_PASSWORD, Role.trainer, "Tina Trainer")
    team = accounts.create_team(session, DEMO_TEAM, trainer)
    trainer.team_id = team.id
    session.add(trainer)
    for username, name, role, in_team in DEMO_PEOPLE:
        if username != "tina":
            accounts.create_user(session, username, DEMO_PASSWORD, role, name, team if in_team else None)
    return f"demo data: users {', '.join(p[0] for p in DEMO_PEOPLE)} (password {DEMO_PASSWORD!r}), team {DEMO_TEAM!r}"
