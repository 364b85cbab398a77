"""Demo calls for ``coach init --demo``: three recorded calls with real first passes and QA reviews.

The recordings are the synthetic espeak-ng calls committed in ``coach/demo_calls/``. Each is stored like an
upload (``store_recording``, generated name) and goes through the same first pass the ``call_first_pass`` job
runs, so what the reviewer sees is what the worker would have made. The reviews are then made with the review
screen's own functions (``coach.review.scorecards`` and ``coach.review.calibration``), and only their times are
moved into the past. The story: Rob calibrates an early Alex call with Ada, then finalises a good Alex call
(one score overridden, a comment on a moment), and has started on a poor Sam call (a draft).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from sqlmodel import Session, select

from coach.calls import first_pass
from coach.config import Settings
from coach.demo.recordings import FOLDER
from coach.jobs.call_first_pass import bleeped_name
from coach.models import Calibration, Call, CallStatus, Recording, Review, User, utcnow
from coach.review import calibration as calibrations
from coach.review import scorecards
from coach.speech.model_install import installed_model
from coach.speech.storage import store_recording
from scoring import DIMENSIONS, Rubric, load_rubric

AGENT_CHANNEL = "left"  # every demo recording has the agent on the left


@dataclass(frozen=True)
class DemoCall:
    file: str  # in coach/demo_calls/
    agent: str  # username
    external_id: str
    call_type: str
    days_ago: int


MIXED = DemoCall("mixed-broadband-outage.ogg", "alex", "NW-10482", "technical fault", 20)
GOOD = DemoCall("good-late-delivery.ogg", "alex", "NW-10517", "complaint", 4)
POOR = DemoCall("poor-double-charge.ogg", "sam", "NW-10533", "billing", 2)
DEMO_CALLS = (MIXED, GOOD, POOR)


def load_demo_calls(session: Session, settings: Settings) -> str:
    """Store the demo recordings, run their first passes and add the reviews; what exists already is kept."""
    ids = [spec.external_id for spec in DEMO_CALLS]
    if session.exec(select(Call).where(Call.external_id.in_(ids))).first():
        return "demo calls: present already"
    if not model_installed(settings):
        return (f"demo calls: skipped, the speech model {settings.whisper_model!r} is not installed "
                "(run `coach models install`, then `coach init --demo` again)")
    users = {u.username: u for u in session.exec(select(User).where(User.username.in_(["admin", "rob", "alex", "sam"])))}
    calls = {spec: _call(session, settings, spec, users) for spec in DEMO_CALLS}
    rubric = load_rubric(settings.rubric)
    _calibrated(session, calls[MIXED], users["admin"], users["rob"], rubric)
    _finalised(session, calls[GOOD], users["rob"], rubric)
    _draft(session, calls[POOR], users["rob"])
    return (f"demo calls: {len(calls)} recordings with first passes; rob finalised {GOOD.external_id}, "
            f"left {POOR.external_id} as a draft and calibrated {MIXED.external_id} with admin")


def model_installed(settings: Settings) -> bool:
    """Whether the Whisper model the settings name is on disk (installed, or a checkpoint path)."""
    setting = settings.whisper_model
    return Path(setting).expanduser().exists() or installed_model(setting, settings.instance_dir) is not None


def demo_recording_path(spec: DemoCall) -> Path:
    return FOLDER / spec.file


def _day(days_ago: int, hour: int, minute: int = 0) -> datetime:
    today = utcnow().date()
    return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=timezone.utc)


def _call(session: Session, settings: Settings, spec: DemoCall, users: dict[str, User]) -> Call:
    """Store the recording as an upload by rob and run the first pass exactly as the call job does."""
    folder = Path(settings.recordings_dir)
    stored = store_recording(demo_recording_path(spec).read_bytes(), folder, spec.file)
    bleeped = folder / bleeped_name(stored.stored_name)
    try:
        result = first_pass(stored.path, agent_channel=AGENT_CHANNEL, settings=settings, bleeped_path=bleeped)
    except BaseException:
        stored.path.unlink(missing_ok=True)
        bleeped.unlink(missing_ok=True)
        raise
    uploaded = _day(spec.days_ago, 16, 30)
    recording = Recording(stored_name=stored.stored_name, original_name=spec.file, content_type="audio/ogg",
                          size_bytes=stored.size, sha256=stored.sha256, duration_s=result.duration,
                          channels=result.channels, uploaded_by=users["rob"].id, created_at=uploaded)
    session.add(recording)
    session.flush()
    call = Call(recording_id=recording.id, agent_id=users[spec.agent].id, uploaded_by=users["rob"].id,
                call_date=uploaded.date(), call_type=spec.call_type, external_id=spec.external_id,
                agent_channel=AGENT_CHANNEL, status=CallStatus.ready, result=result.to_dict(), created_at=uploaded)
    session.add(call)
    session.commit()
    return call


# --- the reviews, made with the review screen's functions ------------------------------------

def _auto(call: Call, dimension: str) -> int:
    return int(call.result["scores"][dimension])


def _score(session: Session, review: Review, overrides: dict[str, tuple[int, str]], only: tuple[str, ...] = DIMENSIONS) -> None:
    """Accept the first pass's score or override it (score, reason), dimension by dimension."""
    for dimension in only:
        if dimension in overrides:
            value, reason = overrides[dimension]
            scorecards.override_score(session, review, dimension, max(0, min(100, value)), reason)
        else:
            scorecards.accept_score(session, review, dimension)


def _score_blind(session: Session, review: Review, call: Call, changes: dict[str, tuple[int, str]]) -> None:
    """A calibration reviewer's own scores (blind: nothing to accept): the first pass's values, ``changes`` elsewhere."""
    for dimension in DIMENSIONS:
        value, reason = changes.get(dimension, (_auto(call, dimension), ""))
        scorecards.override_score(session, review, dimension, max(0, min(100, value)), reason)


def _moment(call: Call, *, redaction: bool = False, dead_air: bool = False, words: tuple[str, ...] = ()) -> float | None:
    """Seconds into the call of something the first pass found: a redaction, dead air, or an agent phrase."""
    result = call.result
    if redaction and result.get("redactions"):
        return result["redactions"][0]["start"]
    if dead_air and result["metrics"].get("dead_air"):
        return result["metrics"]["dead_air"][0]["start"]
    for segment in result.get("segments", []):
        if segment["speaker"] == "agent" and any(w in segment["text"].lower() for w in words):
            return segment["start"]
    return None


def _backdate(session: Session, review: Review, created: datetime, finalised: datetime | None = None) -> None:
    review.created_at = created
    if finalised is not None:
        review.finalised_at = finalised
    session.add(review)
    for offset, comment in enumerate(scorecards.comments_for(session, review)):
        comment.created_at = created + timedelta(minutes=5 + offset)
        session.add(comment)
    session.commit()


def _calibrated(session: Session, call: Call, admin: User, rob: User, rubric: Rubric) -> Calibration:
    """Ada sets up a calibration with Rob; both finalise: close on four skills, more than 20 points apart on clarity."""
    calibration = calibrations.assign(session, call, admin, [rob, admin],
                                      "Team calibration: how much credit for 'it should be back soon'?")
    calibration.created_at = _day(MIXED.days_ago - 1, 9)
    session.add(calibration)
    session.commit()
    rob_review = scorecards.start_review(session, call, rob, calibration.id)
    _score_blind(session, rob_review, call, {"ownership": (_auto(call, "ownership") - 8,
                                                           "Named the outage but took no action of their own and offered no follow-up.")})
    scorecards.add_comment(session, rob_review, "'Soon' is not a timeline: give a time, or say when you will call back.",
                           _moment(call, words=("soon",)))
    scorecards.finalise(session, rob_review, rubric)
    _backdate(session, rob_review, _day(MIXED.days_ago - 1, 10), _day(MIXED.days_ago - 1, 10, 40))
    admin_review = scorecards.start_review(session, call, admin, calibration.id)
    _score_blind(session, admin_review, call, {"clarity": (_auto(call, "clarity") - 22,
                                                           "Clear words, but the customer is left without any time for the fix.")})
    scorecards.finalise(session, admin_review, rubric)
    _backdate(session, admin_review, _day(MIXED.days_ago - 2, 14), _day(MIXED.days_ago - 2, 14, 25))
    return calibration


def _finalised(session: Session, call: Call, rob: User, rubric: Rubric) -> Review:
    """Rob accepts four scores, overrides empathy with a reason, comments on the card number, finalises."""
    review = scorecards.start_review(session, call, rob)
    _score(session, review, {"empathy": (max(_auto(call, "empathy"), 60) + 15,
                                         "Apologised at once and named the customer's frustration; "
                                         "more warmth than the first pass gives credit for.")})
    scorecards.add_comment(session, review, "The customer began reading out a card number: stop them politely, "
                                            "we never take card details on this line.", _moment(call, redaction=True))
    scorecards.add_comment(session, review, "Good close: checked the problem was solved before saying goodbye.",
                           _moment(call, words=("does that", "solve")))
    scorecards.finalise(session, review, rubric)
    _backdate(session, review, _day(GOOD.days_ago - 2, 11), _day(GOOD.days_ago - 2, 11, 20))
    return review


def _draft(session: Session, call: Call, rob: User) -> Review:
    """Rob has started on Sam's call: two scores accepted, jargon overridden, a comment; not finalised yet."""
    review = scorecards.start_review(session, call, rob)
    _score(session, review, {"jargon": (min(_auto(call, "jargon"), 50) - 15,
                                        "Payment gateway, duplicate auth, SLA, tier two ticket, CRM: "
                                        "the customer said she did not understand.")},
           only=("active_listening", "clarity", "jargon"))
    scorecards.add_comment(session, review, "Silence after the customer said the money is for her rent: "
                                            "acknowledge that before explaining anything.", _moment(call, dead_air=True))
    _backdate(session, review, _day(POOR.days_ago - 1, 15))
    return review
