"""Every table Coach stores, for all areas: accounts, rubrics, role-play, recordings and calls, QA reviews, curricula.

JSON columns hold the structured results of the pure libraries (scorecards, transcripts, metrics)
exactly as their ``to_dict()`` gives them, so an old row keeps the rubric version that produced it.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, Optional

from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _json(default=dict) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class Role(str, Enum):
    trainee = "trainee"
    trainer = "trainer"
    reviewer = "reviewer"
    admin = "admin"


# --- accounts -------------------------------------------------------------------------------

class Team(SQLModel, table=True):
    __tablename__ = "teams"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=80)
    # use_alter breaks the teams <-> users foreign-key cycle when tables are created in order
    trainer_id: Optional[int] = Field(default=None, sa_column=Column(
        Integer, ForeignKey("users.id", use_alter=True, name="fk_teams_trainer_id"), index=True))
    created_at: datetime = Field(default_factory=utcnow)
    # the team's own scoring rubric; none means the site rubric (COACH_RUBRIC). use_alter: teams -> rubrics -> users -> teams
    rubric_id: Optional[int] = Field(default=None, sa_column=Column(
        Integer, ForeignKey("rubrics.id", use_alter=True, name="fk_teams_rubric_id"), index=True))


class User(UserMixin, SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_role_username", "role", "username"),)  # the admin list, by role then name
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    display_name: str = Field(default="", max_length=120)
    role: Role = Field(default=Role.trainee)
    password_hash: str
    team_id: Optional[int] = Field(default=None, foreign_key="teams.id", index=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # raised on sign-out, password change and deactivation: a session cookie of an older version is refused
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_active(self) -> bool:
        return self.active


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_created_at", "created_at"),)  # the admin list, newest first
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    label: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: Optional[datetime] = None
    revoked: bool = False


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempts"
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(index=True, max_length=64)
    remote_addr: str = Field(default="", max_length=64)
    succeeded: bool = False
    at: datetime = Field(default_factory=utcnow, index=True)


# --- scoring rubrics -----------------------------------------------------------------------

class UploadedRubric(SQLModel, table=True):
    """A rubric a trainer or QA reviewer loaded, as its YAML text; never changed afterwards, so the
    "name@version" a scorecard keeps always means these weights (a changed rubric gets a new version)."""
    __tablename__ = "rubrics"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=80)
    version: str = Field(max_length=40)
    yaml_text: str = Field(sa_column=Column(Text, nullable=False))
    uploaded_by: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


# --- jobs -----------------------------------------------------------------------------------

class JobStatus(str, Enum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(SQLModel, table=True):
    """Background work and its progress, polled by the pages; a failed job can be retried."""
    __tablename__ = "jobs"
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(index=True, max_length=40)
    status: JobStatus = Field(default=JobStatus.queued, index=True)
    stage: str = Field(default="queued", max_length=80)
    progress: float = 0.0
    error: str = ""
    payload: dict = _json()
    result: dict = _json()
    tries: int = 0
    created_by: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    started_at: Optional[datetime] = None
    finished_at: Optional[datetime] = None
    heartbeat_at: Optional[datetime] = None
    worker_pid: Optional[int] = None


# --- recordings -----------------------------------------------------------------------------

class Recording(SQLModel, table=True):
    """An original audio file kept unchanged under the recordings folder with a generated name."""
    __tablename__ = "recordings"
    id: Optional[int] = Field(default=None, primary_key=True)
    stored_name: str = Field(unique=True, max_length=120)
    original_name: str = Field(default="", max_length=255)  # shown to people, never used as a path
    content_type: str = Field(default="", max_length=100)
    size_bytes: int = 0
    sha256: str = Field(default="", max_length=64, index=True)
    duration_s: Optional[float] = None
    channels: Optional[int] = None
    uploaded_by: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


# --- role-play ------------------------------------------------------------------------------

class Scenario(SQLModel, table=True):
    __tablename__ = "scenarios"
    id: Optional[int] = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=80)
    title: str = Field(max_length=200)
    channel: str = Field(max_length=10)
    difficulty: str = Field(default="", max_length=20)
    skills: list = _json(list)
    definition: dict = _json()
    source_path: str = Field(default="", max_length=500)
    content_hash: str = Field(default="", max_length=64)
    archived: bool = False
    synced_at: datetime = Field(default_factory=utcnow)


class AttemptStatus(str, Enum):
    in_progress = "in_progress"
    finished = "finished"
    abandoned = "abandoned"


class Attempt(SQLModel, table=True):
    __tablename__ = "attempts"
    # progress reads a person's finished attempts in time order, the team dashboard a team's latest ones
    __table_args__ = (Index("ix_attempts_user_status_finished", "user_id", "status", "finished_at"),
                      Index("ix_attempts_user_started", "user_id", "started_at"))  # a person's practice history
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    scenario_id: int = Field(foreign_key="scenarios.id", index=True)
    assignment_id: Optional[int] = Field(default=None, foreign_key="assignments.id", index=True)
    status: AttemptStatus = Field(default=AttemptStatus.in_progress)
    state: dict = _json()  # the serialised RolePlay state between requests
    mood: int = 50
    ending_id: str = Field(default="", max_length=80)
    outcome: str = Field(default="", max_length=20)
    overall: Optional[int] = None
    scores: dict = _json()  # attempt-level score per dimension
    debrief: dict = _json()
    started_at: datetime = Field(default_factory=utcnow, index=True)
    finished_at: Optional[datetime] = None


class AttemptTurn(SQLModel, table=True):
    __tablename__ = "attempt_turns"
    id: Optional[int] = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempts.id", index=True)
    index: int
    customer_turn_id: str = Field(max_length=80)
    customer_line: str
    reply_text: str = ""
    recording_id: Optional[int] = Field(default=None, foreign_key="recordings.id")
    job_id: Optional[int] = Field(default=None, foreign_key="jobs.id")
    transcript: dict = _json()
    scorecard: dict = _json()  # the scorer's, never changed afterwards
    overrides: dict = _json()  # a trainer's scores: {dimension: {"score", "reason", "by", "by_name", "at"}}
    overall: Optional[int] = None  # the scorecard's overall, with the trainer's overrides applied
    mood_before: Optional[int] = None
    mood_after: Optional[int] = None
    reaction: str = ""
    created_at: datetime = Field(default_factory=utcnow)


# --- QA of real calls -----------------------------------------------------------------------

class CallStatus(str, Enum):
    processing = "processing"
    ready = "ready"
    failed = "failed"


class Call(SQLModel, table=True):
    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_status_created", "status", "created_at"),)  # the reviewer's queue of waiting calls
    id: Optional[int] = Field(default=None, primary_key=True)
    recording_id: int = Field(foreign_key="recordings.id", index=True)
    agent_id: int = Field(foreign_key="users.id", index=True)
    uploaded_by: Optional[int] = Field(default=None, foreign_key="users.id")
    call_date: date = Field(default_factory=lambda: utcnow().date(), index=True)
    call_type: str = Field(default="", max_length=60)
    external_id: str = Field(default="", max_length=120)
    agent_channel: str = Field(default="auto", max_length=10)
    status: CallStatus = Field(default=CallStatus.processing)
    job_id: Optional[int] = Field(default=None, foreign_key="jobs.id")
    result: dict = _json()  # the first pass, as `coach score-call --json` prints it
    created_at: datetime = Field(default_factory=utcnow)


class ReviewStatus(str, Enum):
    draft = "draft"
    final = "final"


class Calibration(SQLModel, table=True):
    """One call given to several reviewers so their scorecards can be compared."""
    __tablename__ = "calibrations"
    id: Optional[int] = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    lead_id: int = Field(foreign_key="users.id")
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    # "session": a lead's calibration; "double": a routine call quietly given to a second reviewer
    kind: str = Field(default="session", max_length=10, sa_column_kwargs={"server_default": "session"})
    # who is asked to score it blind (their scorecards carry calibration_id once started)
    reviewer_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))


class Review(SQLModel, table=True):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("call_id", "reviewer_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    reviewer_id: int = Field(foreign_key="users.id", index=True)
    calibration_id: Optional[int] = Field(default=None, foreign_key="calibrations.id")
    status: ReviewStatus = Field(default=ReviewStatus.draft)
    scores: dict = _json()  # {dimension: {"score", "auto", "overridden", "reason"}}
    checklist: dict = _json()  # {item: {"done", "at"}}
    speaker_fixes: dict = _json()  # {segment index: "agent"|"customer"}
    overall: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    finalised_at: Optional[datetime] = Field(default=None, index=True)


class ReviewComment(SQLModel, table=True):
    __tablename__ = "review_comments"
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", index=True)
    at_s: Optional[float] = None
    text: str
    created_at: datetime = Field(default_factory=utcnow)


class ResponseKind(str, Enum):
    acknowledged = "acknowledged"
    disputed = "disputed"


class DisputeStatus(str, Enum):
    open = "open"
    upheld = "upheld"  # the lead kept the scores
    changed = "changed"  # the lead changed a score


class ScorecardResponse(SQLModel, table=True):
    """An agent's answer to a finalised scorecard: acknowledged, or disputed with a reason until a lead resolves it."""
    __tablename__ = "scorecard_responses"
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", unique=True)
    agent_id: int = Field(foreign_key="users.id", index=True)
    kind: ResponseKind
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    status: Optional[DisputeStatus] = Field(default=None, index=True)  # disputes only
    created_at: datetime = Field(default_factory=utcnow)
    resolved_by: Optional[int] = Field(default=None, foreign_key="users.id")
    resolution: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    dimension: str = Field(default="", max_length=40)  # the score the lead changed, with its old and new value
    old_score: Optional[int] = None
    new_score: Optional[int] = None
    resolved_at: Optional[datetime] = None


# --- curricula ------------------------------------------------------------------------------

class Curriculum(SQLModel, table=True):
    __tablename__ = "curricula"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    description: str = ""
    owner_id: int = Field(foreign_key="users.id", index=True)
    pass_marks: dict = _json()  # {dimension: 0..100}
    attempts_allowed: Optional[int] = None
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class CurriculumStep(SQLModel, table=True):
    __tablename__ = "curriculum_steps"
    id: Optional[int] = Field(default=None, primary_key=True)
    curriculum_id: int = Field(foreign_key="curricula.id", index=True)
    position: int
    kind: str = Field(default="scenario", max_length=20)  # "scenario" | "reviewed_calls"
    scenario_slug: str = Field(default="", max_length=80)
    calls_required: int = 0
    due_days: Optional[int] = None
    pass_mark: Optional[int] = None  # this step's pass mark for each of its skills; None: the curriculum's marks


class Assignment(SQLModel, table=True):
    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_curriculum_assigned", "curriculum_id", "assigned_at"),)  # a curriculum's page
    id: Optional[int] = Field(default=None, primary_key=True)
    curriculum_id: int = Field(foreign_key="curricula.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    team_id: Optional[int] = Field(default=None, foreign_key="teams.id")
    assigned_by: int = Field(foreign_key="users.id")
    assigned_at: datetime = Field(default_factory=utcnow)
    completed_at: Optional[datetime] = None


# --- progress -------------------------------------------------------------------------------

class SkillSnapshot(SQLModel, table=True):
    """A person's five skill levels as last computed (``coach.progress.snapshots``), so pages need not recompute them
    from every observation. ``changes`` is raised in the same transaction as any change to the person's finished
    attempts or finalised reviews; the stored levels hold while ``computed_for`` equals it."""
    __tablename__ = "skill_snapshots"
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True))
    changes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    computed_for: Optional[int] = None
    levels: dict = _json()  # {skill: {level, low, high, confidence, trend, count}}
    series: dict = _json()  # {skill: [[ms, score, source, ref, level after], ...]}, the latest observations
    computed_at: datetime = Field(default_factory=utcnow)
