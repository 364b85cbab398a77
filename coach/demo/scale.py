"""A scaled demo for load tests: ``coach init --demo --scale N`` adds N x 200 trainees, 10,000 attempts, 2,000 calls.

Not everything is played: playing 10,000 attempts through the role-play player would take hours on a small
machine. The scaled attempts are copies of the demo's finished attempts (played by the real player and scorer)
with their times spread over six weeks and each skill score moved by a few points; they keep the played
attempt's state, scores and debrief but not its turns. The scaled calls reuse the demo calls' real first-pass
results and recordings, and half of them get a finalised review whose scores are the first pass's, moved a little.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import Session, select

from coach.demo.seed import ASSIGNED_DAYS_AGO, FOUNDATION_STEPS, FOUNDATIONS, HISTORY_DAYS
from coach.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    Call,
    CallStatus,
    Curriculum,
    Review,
    ReviewStatus,
    Role,
    Scenario,
    Team,
    User,
    utcnow,
)
from scoring import DIMENSIONS

TRAINEES = 200
ATTEMPTS = 10_000
CALLS = 2_000
TEAM_SIZE = 20
REVIEWERS = 2
REVIEWED_SHARE = 0.5
CHUNK = 1_000


def scale_demo(session: Session, scale: int) -> str:
    """Add ``scale`` x (200 trainees in teams of 20 with a trainer each, 10,000 attempts, 2,000 calls)."""
    if session.exec(select(User).where(User.username == "load-0001")).first():
        return "scaled demo: present already"
    template = session.exec(select(User).where(User.username == "tina")).first()
    curriculum = session.exec(select(Curriculum).where(Curriculum.name == FOUNDATIONS)).first()
    played = session.exec(select(Attempt).where(Attempt.status == AttemptStatus.finished)).all()
    calls = session.exec(select(Call).where(Call.status == CallStatus.ready)).all()
    if template is None or curriculum is None or not played:
        return "scaled demo: skipped, the demo history is missing (run `coach init --demo` first)"
    rng = random.Random(f"coach-scale-{scale}")
    now = utcnow()
    trainees, trainer_of = _people(session, scale, template.password_hash)
    assignments = _assignments(session, trainees, trainer_of, curriculum.id, now)
    attempts = _attempts(session, trainees, assignments, played, scale * ATTEMPTS, now, rng)
    reviewed = _calls(session, trainees, calls, scale * CALLS, now, rng) if calls else 0
    session.commit()
    return (f"scaled demo x{scale}: {len(trainees)} trainees in {len(trainer_of)} teams (password 'coach-demo'), "
            f"{attempts} attempts copied from {len(played)} played ones, "
            f"{scale * CALLS if calls else 0} calls reusing {len(calls)} real first passes ({reviewed} reviewed)")


def _people(session: Session, scale: int, password_hash: str) -> tuple[list[User], dict[int, int]]:
    """Trainees ``load-0001``..., trainers ``load-trainer-01``..., reviewers ``load-reviewer-1``...; one password hash
    (the demo's, so every account signs in with ``coach-demo``) instead of hashing 200 passwords."""
    trainees, trainer_of = [], {}
    for number in range(1, scale * REVIEWERS + 1):
        session.add(User(username=f"load-reviewer-{number}", display_name=f"Load Reviewer {number}",
                         role=Role("reviewer"), password_hash=password_hash))
    for team_number in range(1, scale * TRAINEES // TEAM_SIZE + 1):
        trainer = User(username=f"load-trainer-{team_number:02d}", display_name=f"Load Trainer {team_number}",
                       role=Role("trainer"), password_hash=password_hash)
        session.add(trainer)
        session.flush()
        team = Team(name=f"Load team {team_number:02d}", trainer_id=trainer.id)
        session.add(team)
        session.flush()
        trainer.team_id = team.id
        for member in range(TEAM_SIZE):
            number = (team_number - 1) * TEAM_SIZE + member + 1
            trainee = User(username=f"load-{number:04d}", display_name=f"Load Trainee {number}", role=Role("trainee"),
                           password_hash=password_hash, team_id=team.id)
            session.add(trainee)
            trainees.append(trainee)
        trainer_of[team.id] = trainer.id
    session.flush()
    return trainees, trainer_of


def _assignments(session: Session, trainees: list[User], trainer_of: dict[int, int], curriculum_id: int,
                 now) -> dict[int, Assignment]:
    assigned_at = now - timedelta(days=ASSIGNED_DAYS_AGO)
    found = {}
    for trainee in trainees:
        found[trainee.id] = Assignment(curriculum_id=curriculum_id, user_id=trainee.id, team_id=trainee.team_id,
                                       assigned_by=trainer_of[trainee.team_id], assigned_at=assigned_at)
        session.add(found[trainee.id])
    session.flush()
    return found


def _attempts(session: Session, trainees: list[User], assignments: dict[int, Assignment], played: list[Attempt],
              count: int, now, rng: random.Random) -> int:
    steps = {slug for slug, _ in FOUNDATION_STEPS}
    slugs = dict(session.exec(select(Scenario.id, Scenario.slug)).all())
    used: dict[tuple[int, str], int] = {}
    rows = []
    for index in range(count):
        trainee = trainees[index % len(trainees)]
        source = rng.choice(played)
        finished = now - timedelta(days=rng.uniform(0, HISTORY_DAYS))
        scores = {k: max(0, min(100, round(v + rng.gauss(0, 5)))) for k, v in (source.scores or {}).items() if k in DIMENSIONS}
        slug = slugs.get(source.scenario_id, "")
        assignment = assignments[trainee.id]
        from_assignment = slug in steps and finished > assignment.assigned_at and used.get((trainee.id, slug), 0) < 4
        if from_assignment:
            used[(trainee.id, slug)] = used.get((trainee.id, slug), 0) + 1
        rows.append({"user_id": trainee.id, "scenario_id": source.scenario_id,
                     "assignment_id": assignment.id if from_assignment else None, "status": AttemptStatus.finished,
                     "state": source.state, "mood": source.mood, "ending_id": source.ending_id, "outcome": source.outcome,
                     "overall": round(sum(scores.values()) / len(scores)) if scores else source.overall,
                     "scores": scores, "debrief": source.debrief,
                     "started_at": finished - timedelta(minutes=12), "finished_at": finished})
        if len(rows) == CHUNK:
            session.execute(insert(Attempt.__table__), rows)
            rows = []
    if rows:
        session.execute(insert(Attempt.__table__), rows)
    return count


def _calls(session: Session, trainees: list[User], demo_calls: list[Call], count: int, now, rng: random.Random) -> int:
    reviewers = session.exec(select(User).where(User.username.like("load-reviewer-%"))).all()
    rows = []
    for index in range(count):
        source = demo_calls[index % len(demo_calls)]
        day = now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
        rows.append({"recording_id": source.recording_id, "agent_id": trainees[index % len(trainees)].id,
                     "uploaded_by": reviewers[index % len(reviewers)].id, "call_date": day.date(),
                     "call_type": source.call_type, "external_id": f"LOAD-{index + 1:06d}",
                     "agent_channel": source.agent_channel, "status": CallStatus.ready, "result": source.result,
                     "created_at": day})
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Call.__table__), rows[start:start + CHUNK])
    ids = session.exec(select(Call.id, Call.result, Call.created_at).where(Call.external_id.like("LOAD-%"))).all()
    reviews = []
    for call_id, result, created_at in ids:
        if rng.random() >= REVIEWED_SHARE:
            continue
        scores = {}
        for skill in DIMENSIONS:
            auto = int((result.get("scores") or {}).get(skill, 50))
            score = max(0, min(100, round(auto + rng.gauss(0, 6))))
            scores[skill] = {"score": score, "auto": auto, "overridden": score != auto, "reason": ""}
        reviews.append({"call_id": call_id, "reviewer_id": reviewers[call_id % len(reviewers)].id,
                        "status": ReviewStatus.final, "scores": scores, "checklist": {}, "speaker_fixes": {},
                        "overall": round(sum(s["score"] for s in scores.values()) / len(scores)),
                        "created_at": created_at, "finalised_at": created_at + timedelta(hours=2)})
    for start in range(0, len(reviews), CHUNK):
        session.execute(insert(Review.__table__), reviews[start:start + CHUNK])
    return len(reviews)
