"""Role-play practice: start an attempt, take typed or recorded replies, move the customer on, finish with a debrief.

Below the blueprints (no Flask request handling). A typed reply is scored here at once; a recorded
reply is checked (size, the trainee's storage, a decode), stored and handed to a ``roleplay_reply`` job
(``coach/jobs/roleplay_reply.py``) that transcribes it and then calls ``apply_reply`` exactly as a typed reply does.
A redo answers one customer line again without moving the conversation: typed, it is scored at once
(``redo_reply``); spoken, the recording is checked and kept the same way and a ``roleplay_redo`` job
(``coach/jobs/roleplay_redo.py``) transcribes it and scores it with ``redo_reply``, keeping the result on the job.
"""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Callable

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from coach.config import Settings
from coach.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    AttemptTurn,
    Call,
    Curriculum,
    CurriculumStep,
    Job,
    JobStatus,
    Recording,
    User,
    utcnow,
)
from coach.models import Scenario as ScenarioRow
from coach.permissions import can_start_attempt
from coach.roleplay.scenario_store import scenario_from_row
from coach.rubrics import store as rubric_store
from coach.speech.audio import AudioError, DecodedAudio, decode_audio
from coach.speech.live import BYTES_PER_SECOND, LiveAudioError, LiveTake
from coach.speech.storage import AUDIO_SUFFIXES, removed_on_failure, store_recording
from scenarios.play import RolePlay, RolePlayError
from scoring import Rubric, score_reply
from scoring.jargon import load_jargon_lexicon

REPLY_JOB = "roleplay_reply"
LIVE_REPLY_JOB = "roleplay_live_reply"
REDO_JOB = "roleplay_redo"
MAX_REPLY_CHARS = 4000
MAX_REPLY_SECONDS = 180  # a role-play reply is a turn in a conversation, not a call
RECORD_AGAIN = "Record your reply again, or type it instead."
# The order a spoken reply takes: hear them, care, act, then say what happens next.
BETTER_REPLY_ORDER = ("active_listening", "empathy", "ownership", "clarity", "jargon")


class PracticeError(Exception):
    """A practice step that cannot be done; the message tells the trainee what to do instead."""


# --- the scenario library -----------------------------------------------------------------------

@dataclass(frozen=True)
class AssignedScenario:
    """A scenario the trainee was assigned through a curriculum that is not complete yet."""

    scenario: ScenarioRow
    assignment: Assignment
    curriculum: Curriculum
    due: datetime | None


@dataclass
class Library:
    assigned: list[AssignedScenario] = field(default_factory=list)
    open: list[ScenarioRow] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)


def scenario_library(session: Session, user: User, channel: str | None = None, skill: str | None = None) -> Library:
    """Assigned scenarios first, then the open ones; both filtered by channel and targeted skill."""
    rows = session.exec(select(ScenarioRow).where(ScenarioRow.archived == False)  # noqa: E712
                        .order_by(ScenarioRow.difficulty, ScenarioRow.title)).all()
    library = Library(channels=sorted({row.channel for row in rows}), skills=sorted({s for row in rows for s in row.skills}))
    shown = [row for row in rows if (not channel or row.channel == channel) and (not skill or skill in row.skills)]
    by_slug = {row.slug: row for row in shown}
    library.assigned = [entry for entry in assigned_scenarios(session, user) if entry.scenario.slug in by_slug]
    assigned_slugs = {entry.scenario.slug for entry in library.assigned}
    library.open = [row for row in shown if row.slug not in assigned_slugs]
    return library


def assigned_scenarios(session: Session, user: User) -> list[AssignedScenario]:
    """The scenario steps of the user's open assignments, soonest due first."""
    found = []
    rows = session.exec(
        select(Assignment, Curriculum, CurriculumStep, ScenarioRow)
        .join(Curriculum, Curriculum.id == Assignment.curriculum_id)
        .join(CurriculumStep, CurriculumStep.curriculum_id == Curriculum.id)
        .join(ScenarioRow, ScenarioRow.slug == CurriculumStep.scenario_slug)
        .where(Assignment.user_id == user.id, Assignment.completed_at.is_(None), CurriculumStep.kind == "scenario",
               Curriculum.archived == False, ScenarioRow.archived == False)  # noqa: E712
        .order_by(Assignment.assigned_at, CurriculumStep.position)
    ).all()
    seen = set()
    for assignment, curriculum, step, row in rows:
        if row.slug in seen:
            continue
        seen.add(row.slug)
        due = assignment.assigned_at + timedelta(days=step.due_days) if step.due_days is not None else None
        found.append(AssignedScenario(row, assignment, curriculum, due))
    return sorted(found, key=lambda entry: (entry.due is None, entry.due or entry.assignment.assigned_at))


def scenario_by_slug(session: Session, slug: str) -> ScenarioRow | None:
    return session.exec(select(ScenarioRow).where(ScenarioRow.slug == slug, ScenarioRow.archived == False)).first()  # noqa: E712


def customer_audio_path(row: ScenarioRow, turn_id: str) -> Path | None:
    """The recorded line of a turn, only when it is an audio file inside its scenario's folder."""
    turn = scenario_from_row(row).turn(turn_id)
    if turn is None or not turn.audio or not row.source_path:
        return None
    folder = Path(row.source_path).resolve().parent
    path = (folder / turn.audio).resolve()
    if not path.is_relative_to(folder) or path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
        return None
    return path


# --- attempts -----------------------------------------------------------------------------------

def start_attempt(session: Session, user: User, row: ScenarioRow, assignment_id: int | None = None) -> Attempt:
    """A new attempt at the scenario's first customer line; from an assignment when one is given."""
    if not can_start_attempt(user):
        raise PracticeError("Only trainees play role-plays; your account can watch their attempts.")
    if row.archived:
        raise PracticeError(f"The scenario '{row.title}' has been withdrawn from the library.")
    if assignment_id is not None:
        _check_assignment(session, user, row, assignment_id)
    role_play = RolePlay(scenario_from_row(row))
    attempt = Attempt(user_id=user.id, scenario_id=row.id, assignment_id=assignment_id,
                      state=role_play.to_dict(), mood=role_play.mood)
    session.add(attempt)
    session.commit()
    return attempt


def _check_assignment(session: Session, user: User, row: ScenarioRow, assignment_id: int) -> None:
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.user_id != user.id:
        raise PracticeError("That assignment is not yours; start the scenario from your own library.")
    curriculum = session.get(Curriculum, assignment.curriculum_id)
    step = session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == assignment.curriculum_id,
                                                     CurriculumStep.scenario_slug == row.slug)).first()
    if step is None:
        raise PracticeError(f"'{row.title}' is not part of the curriculum '{curriculum.name}'.")
    if curriculum.attempts_allowed:
        used = session.exec(select(func.count()).select_from(Attempt).where(
            Attempt.assignment_id == assignment_id, Attempt.scenario_id == row.id)).one()
        if used >= curriculum.attempts_allowed:
            raise PracticeError(f"You have used all {curriculum.attempts_allowed} attempts this assignment allows "
                                f"for '{row.title}'. You can still practise it outside the assignment.")


def role_play_of(attempt: Attempt, row: ScenarioRow, settings: Settings | None = None,
                 rubric: Rubric | None = None) -> RolePlay:
    """The attempt's role-play resumed from its saved state, scoring with ``rubric`` (else the site rubric)."""
    scenario = scenario_from_row(row)
    try:
        return RolePlay.from_dict(scenario, attempt.state, scorer=_scorer(settings, rubric) if settings else None)
    except RolePlayError as error:
        raise PracticeError(f"This attempt cannot continue because its scenario changed ({error}). "
                            "Start the scenario again.") from None


@functools.lru_cache(maxsize=8)
def _lexicon(path: str | None):
    return load_jargon_lexicon(path)


def _scorer(settings: Settings, rubric: Rubric | None = None):
    lexicon = _lexicon(str(settings.jargon_lexicon) if settings.jargon_lexicon else None)
    return functools.partial(score_reply, rubric=rubric or rubric_store.site_rubric(settings), lexicon=lexicon)


def attempt_turns(session: Session, attempt: Attempt) -> list[AttemptTurn]:
    return session.exec(select(AttemptTurn).where(AttemptTurn.attempt_id == attempt.id).order_by(AttemptTurn.index)).all()


def turns_taken(attempt: Attempt) -> int:
    return len(attempt.state.get("history", []))


# --- replies ------------------------------------------------------------------------------------

def submit_typed_reply(session: Session, attempt: Attempt, text: str, settings: Settings) -> AttemptTurn:
    """Score a typed reply and move the customer on."""
    text = (text or "").strip()
    if not text:
        raise PracticeError("Write your reply to the customer first.")
    if len(text) > MAX_REPLY_CHARS:
        raise PracticeError(f"Your reply is {len(text):,} characters; keep it under {MAX_REPLY_CHARS:,}, as you would on a call.")
    return apply_reply(session, attempt, text, settings)


def apply_reply(session: Session, attempt: Attempt, text: str, settings: Settings, *, words=None, voice=None,
                recording_id: int | None = None, job_id: int | None = None, transcript: dict | None = None,
                expected_index: int | None = None) -> AttemptTurn:
    """Score the reply with the trainee's rubric (their team's, else the site's), advance the role-play and keep
    the turn; finish the attempt when an ending is reached.

    ``expected_index`` (a recorded reply) refuses to answer a customer line that was answered meanwhile.
    """
    session.refresh(attempt)
    if attempt.status != AttemptStatus.in_progress:
        raise PracticeError("This role-play is over; start the scenario again to practise it once more.")
    index = turns_taken(attempt)
    if expected_index is not None and expected_index != index:
        raise PracticeError("This customer line was already answered (perhaps by typing); "
                            "record or type a reply to the customer's latest line.")
    row = session.get(ScenarioRow, attempt.scenario_id)
    role_play = role_play_of(attempt, row, settings, rubric_store.rubric_for_user(session, settings, attempt.user_id))
    result = role_play.reply(text, words=words, voice=voice)
    turn = AttemptTurn(
        attempt_id=attempt.id, index=index, customer_turn_id=result.turn_id, customer_line=result.customer_line,
        reply_text=text, recording_id=recording_id, job_id=job_id, transcript=transcript or {},
        scorecard=result.scorecard.to_dict(), overall=result.scorecard.overall,
        mood_before=result.mood_before, mood_after=result.mood_after, reaction=result.reaction,
    )
    attempt.state = role_play.to_dict()
    attempt.mood = role_play.mood
    if role_play.finished:
        _finish(attempt, role_play)
    session.add(turn)
    session.add(attempt)
    session.commit()
    return turn


def _finish(attempt: Attempt, role_play: RolePlay) -> None:
    attempt.status = AttemptStatus.finished
    attempt.ending_id = role_play.ending.id
    attempt.outcome = role_play.outcome
    summarise_attempt(attempt, role_play)
    attempt.finished_at = utcnow()


def summarise_attempt(attempt: Attempt, role_play: RolePlay) -> None:
    """The attempt's overall, per-skill scores and stored debrief, from the role-play's turns.

    Also called after a trainer overrides a turn's scores (``coach.roleplay.overrides``), so progress reads one aggregation.
    """
    review = role_play.debrief()
    attempt.overall = review.overall
    attempt.scores = dict(review.average_scores)
    attempt.debrief = debrief_record(role_play)


def debrief_record(role_play: RolePlay) -> dict:
    """The stored debrief: the scenarios library's review plus the ending's line and a better reply."""
    review = role_play.debrief()
    history = role_play.state.history
    data = review.to_dict()
    ending = role_play.ending
    data["ending_customer"] = ending.customer if ending else ""
    data["best_index"] = next((i for i, record in enumerate(history) if record is review.best), None)
    data["weakest_index"] = next((i for i, record in enumerate(history) if record is review.weakest), None)
    data["better_reply_source"] = "scenario" if review.better_reply else "tips"
    data["better_reply_tips"] = []
    if review.weakest is not None and not review.better_reply:
        reply, tips = better_reply_from_tips(review.weakest.scores, review.weakest.tips, review.weakest.examples)
        data["better_reply"], data["better_reply_tips"] = reply, tips
    return data


def better_reply_from_tips(scores: dict[str, int], tips: dict[str, str], examples: dict[str, str]
                           ) -> tuple[str, list[dict]]:
    """A stronger reply assembled from the phrasings the scorer suggested for the reply's weakest skills."""
    weak = [d for d in BETTER_REPLY_ORDER if d in scores and scores[d] < 60] or \
        sorted((d for d in scores if d in tips), key=scores.get)[:2]
    chosen = [{"dimension": d, "tip": tips[d]} for d in BETTER_REPLY_ORDER if d in weak and tips.get(d)]
    phrasings = [examples[item["dimension"]].strip() for item in chosen if examples.get(item["dimension"])]
    return " ".join(phrasings), chosen


@dataclass(frozen=True)
class Redo:
    """A reply tried again against the same customer line, scored as the first was; the conversation is unchanged.

    ``recording_id`` is the spoken redo's recording (None when typed).
    """

    turn: AttemptTurn
    text: str
    before: dict[str, int]
    before_overall: int
    after: dict
    recording_id: int | None = None

    def to_dict(self) -> dict:
        """What a ``roleplay_redo`` job keeps as its result (``stored_redo`` reads it back)."""
        return {"attempt_id": self.turn.attempt_id, "turn_index": self.turn.index, "text": self.text,
                "before": self.before, "before_overall": self.before_overall, "after": self.after,
                "recording_id": self.recording_id}


def stored_redo(turn: AttemptTurn, result: dict) -> Redo:
    """The redo a ``roleplay_redo`` job scored, from its result."""
    return Redo(turn, result["text"], result["before"], result["before_overall"], result["after"],
                result.get("recording_id"))


def redo_reply(session: Session, attempt: Attempt, turn: AttemptTurn, text: str, settings: Settings, *,
               words=None, voice=None, recording_id: int | None = None) -> Redo:
    """Score ``text`` as a new answer to ``turn``'s customer line, with the same context, facts and rubric;
    a spoken redo passes its timed ``words`` and ``voice`` features, as a recorded reply does."""
    text = (text or "").strip()
    if not text:
        raise PracticeError("Write the reply you would give this time first.")
    if len(text) > MAX_REPLY_CHARS:
        raise PracticeError(f"Your reply is {len(text):,} characters; keep it under {MAX_REPLY_CHARS:,}.")
    scenario = scenario_from_row(session.get(ScenarioRow, attempt.scenario_id))
    context = [earlier.customer_line for earlier in attempt_turns(session, attempt) if earlier.index <= turn.index]
    scorer = _scorer(settings, rubric_store.rubric_for_user(session, settings, attempt.user_id))
    scorecard = scorer(text, context, facts=scenario.fact_text(), words=words, voice=voice)
    return Redo(turn, text, dict(turn.scorecard.get("scores", {})), turn.overall or 0, scorecard.to_dict(), recording_id)


def submit_recorded_redo(session: Session, queue, attempt: Attempt, turn: AttemptTurn, audio: bytes | BinaryIO,
                         settings: Settings, user: User, *, original_name: str = "",
                         next_url: Callable[[int], str] | None = None) -> Job:
    """Check a spoken redo of ``turn`` and keep it as a reply recording is kept, then queue its transcription
    and scoring; the conversation is not touched. ``next_url(recording_id)`` is where the page reads the result."""
    _check_voice_scenario(session, attempt)
    recording = keep_reply_recording(session, _read_reply(audio, settings), settings, user, original_name)
    payload = {"attempt_id": attempt.id, "turn_index": turn.index, "recording_id": recording.id}
    if next_url:
        payload["next_url"] = next_url(recording.id)
    return queue.submit(session, REDO_JOB, payload, created_by=user.id)


def redo_job(session: Session, attempt: Attempt, turn: AttemptTurn, recording_id: int) -> Job | None:
    """The ``roleplay_redo`` job of this recording, among the trainee's recent redos of the attempt."""
    jobs = session.exec(select(Job).where(Job.kind == REDO_JOB, Job.created_by == attempt.user_id)
                        .order_by(Job.id.desc()).limit(50)).all()
    return next((job for job in jobs if job.payload.get("recording_id") == recording_id
                 and job.payload.get("attempt_id") == attempt.id and job.payload.get("turn_index") == turn.index), None)


def submit_recorded_reply(session: Session, queue, attempt: Attempt, audio: bytes | BinaryIO, settings: Settings,
                          user: User, *, original_name: str = "", next_url: str = "") -> Job:
    """Check the recording, keep it as it came and queue its transcription; the job answers the current customer line.

    Nothing is stored unless it fits the reply size, fits the trainee's storage and decodes as a usable reply;
    its stored type is the decoded container's, never the uploader's.
    """
    session.refresh(attempt)
    if attempt.status != AttemptStatus.in_progress:
        raise PracticeError("This role-play is over; start the scenario again to practise it once more.")
    _check_voice_scenario(session, attempt)
    recording = keep_reply_recording(session, _read_reply(audio, settings), settings, user, original_name)
    payload = {"attempt_id": attempt.id, "recording_id": recording.id, "turn_index": turns_taken(attempt)}
    if next_url:
        payload["next_url"] = next_url
    return queue.submit(session, REPLY_JOB, payload, created_by=user.id)


def _check_voice_scenario(session: Session, attempt: Attempt) -> None:
    if session.get(ScenarioRow, attempt.scenario_id).channel != "voice":
        raise PracticeError("This is a chat scenario: type your reply.")


def keep_reply_recording(session: Session, data: bytes, settings: Settings, user_id: int | User,
                         original_name: str = "") -> Recording:
    """Store a reply recording as it came, with its row, once it fits the trainee's storage and decodes as a
    usable reply; its stored type is the decoded container's, never the uploader's."""
    user_id = user_id.id if isinstance(user_id, User) else user_id
    _check_storage(session, user_id, len(data), settings)
    checked = check_reply_audio(data, settings)
    stored = store_recording(data, settings.recordings_dir, checked.content_type)
    with removed_on_failure(stored):
        recording = Recording(stored_name=stored.stored_name, original_name=(original_name or "reply")[:255],
                              content_type=checked.content_type, size_bytes=stored.size, sha256=stored.sha256,
                              duration_s=checked.duration, channels=checked.n_channels, uploaded_by=user_id)
        session.add(recording)
        session.commit()
    return recording


def start_live_reply(session: Session, queue, attempt: Attempt, settings: Settings, user: User, *,
                     next_url: str = "") -> Job:
    """Queue the job that transcribes a reply while the trainee speaks (``coach/jobs/roleplay_live_reply.py``);
    the browser then streams the audio to ``add_live_audio``."""
    session.refresh(attempt)
    if attempt.status != AttemptStatus.in_progress:
        raise PracticeError("This role-play is over; start the scenario again to practise it once more.")
    _check_voice_scenario(session, attempt)
    _check_storage(session, user.id, 0, settings)
    payload = {"attempt_id": attempt.id, "turn_index": turns_taken(attempt), "take": uuid.uuid4().hex}
    if next_url:
        payload["next_url"] = next_url
    return queue.submit_streaming(session, LIVE_REPLY_JOB, payload, created_by=user.id)


def live_take(settings: Settings, job: Job) -> LiveTake:
    return LiveTake(settings.recordings_dir, job.payload["take"])


def add_live_audio(settings: Settings, job: Job, offset: int, data: bytes, final: bool) -> int:
    """Append a streamed piece of the reply at ``offset``; ``final`` marks Stop. Returns the bytes received."""
    if job.kind != LIVE_REPLY_JOB or job.status not in (JobStatus.queued, JobStatus.running) or job.payload.get("recording_id"):
        raise PracticeError(f"This recording was already handled. {RECORD_AGAIN}")
    limit = min(settings.max_reply_bytes, int(reply_seconds(settings) * BYTES_PER_SECOND))
    try:
        return live_take(settings, job).append(offset, data, limit, final)
    except LiveAudioError as error:
        raise PracticeError(f"{str(error).capitalize()}. {RECORD_AGAIN}") from None


def reply_seconds(settings: Settings) -> float:
    """The longest recorded reply taken."""
    return min(MAX_REPLY_SECONDS, settings.max_audio_minutes * 60)


def check_reply_audio(data: bytes, settings: Settings) -> DecodedAudio:
    """The reply decoded (a few seconds of audio, cheap); PracticeError saying what to do when it is unusable."""
    try:
        return decode_audio(data, max_seconds=reply_seconds(settings))
    except AudioError as error:
        raise PracticeError(f"{error}. {RECORD_AGAIN}") from None


def _read_reply(audio: bytes | BinaryIO, settings: Settings) -> bytes:
    """The upload's bytes, read no further than the reply size bound."""
    limit = min(settings.max_reply_bytes, settings.max_upload_bytes)
    data = bytes(audio) if isinstance(audio, (bytes, bytearray, memoryview)) else audio.read(limit + 1)
    if not data:
        raise PracticeError("The recording arrived empty. Check the microphone and record again, or type your reply.")
    if len(data) > limit:
        raise PracticeError(f"The recording is over the {limit // 1048576} MB a reply may take. "
                            "Record a shorter reply, or type it instead.")
    return data


def recording_storage_used(session: Session, user: User | int) -> int:
    """Bytes of role-play recordings the user keeps (call recordings they uploaded as a reviewer do not count)."""
    user_id = user.id if isinstance(user, User) else user
    calls = select(Call.recording_id)
    return session.exec(select(func.coalesce(func.sum(Recording.size_bytes), 0))
                        .where(Recording.uploaded_by == user_id, Recording.id.not_in(calls))).one()


def _check_storage(session: Session, user_id: int, size: int, settings: Settings) -> None:
    used, cap = recording_storage_used(session, user_id), settings.max_user_storage_mb * 1048576
    if used + size > cap:
        raise PracticeError(f"Your recordings already take {used / 1048576:.0f} MB of the {settings.max_user_storage_mb} MB "
                            "each trainee may keep, so this one was not saved. Type your reply, or ask an administrator "
                            "to clear old recordings.")


def pending_reply_job(session: Session, attempt: Attempt) -> Job | None:
    """The transcription still working on (or failed at) the current customer line, if any."""
    index = turns_taken(attempt)
    jobs = session.exec(select(Job).where(Job.kind.in_((REPLY_JOB, LIVE_REPLY_JOB)), Job.created_by == attempt.user_id)
                        .order_by(Job.id.desc()).limit(20)).all()
    for job in jobs:
        if job.payload.get("attempt_id") == attempt.id and job.payload.get("turn_index") == index:
            return job if job.status != JobStatus.done else None
    return None


# --- history ------------------------------------------------------------------------------------

def attempt_history(session: Session, user: User, limit: int | None = None,
                    offset: int = 0) -> list[tuple[Attempt, ScenarioRow]]:
    """The user's attempts, newest first, with their scenarios (``limit`` of them from ``offset`` when given).

    A list shows neither the role-play state nor the scenario's definition, so neither is read or decoded."""
    query = (select(Attempt, ScenarioRow).join(ScenarioRow, ScenarioRow.id == Attempt.scenario_id)
             .options(defer(Attempt.state), defer(Attempt.debrief), defer(ScenarioRow.definition))
             .where(Attempt.user_id == user.id).order_by(Attempt.started_at.desc(), Attempt.id.desc()))
    if limit:
        query = query.offset(offset).limit(limit)
    return session.exec(query).all()


def open_attempt(session: Session, user: User, row: ScenarioRow) -> Attempt | None:
    """The user's unfinished attempt at this scenario, to resume instead of starting over."""
    return session.exec(select(Attempt).where(Attempt.user_id == user.id, Attempt.scenario_id == row.id,
                                              Attempt.status == AttemptStatus.in_progress)
                        .order_by(Attempt.id.desc())).first()


def scenario_row_of(session: Session, attempt: Attempt) -> ScenarioRow:
    return session.get(ScenarioRow, attempt.scenario_id)


@dataclass(frozen=True)
class CustomerLine:
    """What the customer is saying now, waiting for the trainee's reply."""

    turn_id: str
    text: str
    has_audio: bool


def current_line(attempt: Attempt, row: ScenarioRow) -> CustomerLine | None:
    """The customer line the attempt waits on; None once it has ended (or its turn left the scenario)."""
    turn_id = attempt.state.get("turn_id")
    if attempt.status != AttemptStatus.in_progress or not turn_id:
        return None
    turn = scenario_from_row(row).turn(turn_id)
    if turn is None:
        return None
    # a line that fits the reply before it (a variant, or asking again) replaces the turn's own, and its recording
    text = attempt.state.get("line") or turn.customer
    return CustomerLine(turn.id, text, text == turn.customer and customer_audio_path(row, turn.id) is not None)
