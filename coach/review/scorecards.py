"""A reviewer's scorecard for a call: start it from the first pass, accept or override scores, tick the
checklist, fix speakers, comment on moments, finalise. Plain functions over the session; no Flask."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from coach.calls.checklist import ITEMS
from coach.calls.redaction import redact_text
from coach.calls.transcript import SPEAKERS, other
from coach.models import Call, CallStatus, Review, ReviewComment, ReviewStatus, User, utcnow
from coach.permissions import open_seat
from scoring import DIMENSIONS, Rubric
from scoring.overrides import MAX_REASON, checked_override, checked_score

MAX_COMMENT = 2000


class ReviewError(ValueError):
    """The change cannot be made; the message says why."""


@dataclass(frozen=True)
class SegmentView:
    index: int
    start: float
    end: float
    speaker: str
    text: str
    words: list[dict]
    fixed: bool


def start_review(session: Session, call: Call, reviewer: User, calibration_id: int | None = None) -> Review:
    """The reviewer's scorecard for the call, created when it does not exist yet: from the first pass for a routine
    review, blank for a blind one (a calibration seat, given or already held)."""
    if calibration_id is None:
        seat = open_seat(session, reviewer, call.id)
        calibration_id = seat.id if seat else None
    review = review_of(session, call, reviewer)
    if review is not None:
        if calibration_id and review.calibration_id is None and review.status == ReviewStatus.draft:
            blank = _from_first_pass(call, reviewer, calibration_id)
            _save(session, review, calibration_id=calibration_id, scores=blank.scores, checklist=blank.checklist)
        return review
    review = _from_first_pass(call, reviewer, calibration_id)
    session.add(review)
    session.commit()
    return review


def draft_review(session: Session, call: Call, reviewer: User) -> Review:
    """The reviewer's scorecard to show: the saved one, else an unsaved one (opening writes nothing)."""
    seat = open_seat(session, reviewer, call.id)
    return review_of(session, call, reviewer) or _from_first_pass(call, reviewer, seat.id if seat else None)


def review_of(session: Session, call: Call, reviewer: User) -> Review | None:
    return session.exec(select(Review).where(Review.call_id == call.id, Review.reviewer_id == reviewer.id)).first()


def is_blind(review: Review) -> bool:
    """A calibration scorecard: scored without the first pass or the other reviewers in view."""
    return review.calibration_id is not None


def _from_first_pass(call: Call, reviewer: User, calibration_id: int | None = None) -> Review:
    if call.status != CallStatus.ready:
        raise ReviewError("The first pass is not ready yet; wait for it to finish.")
    result = call.result
    if calibration_id is not None:  # blind: nothing of the first pass to anchor on
        return Review(call_id=call.id, reviewer_id=reviewer.id, calibration_id=calibration_id,
                      scores={d: {"score": None, "auto": None, "overridden": False, "accepted": False, "reason": ""}
                              for d in DIMENSIONS},
                      checklist={item: {"done": False, "at": None} for item in ITEMS})
    return Review(call_id=call.id, reviewer_id=reviewer.id, calibration_id=calibration_id,
                  scores={d: {"score": result["scores"][d], "auto": result["scores"][d], "overridden": False,
                              "accepted": False, "reason": ""} for d in DIMENSIONS},
                  checklist={item: dict(result["checklist"].get(item, {"done": False, "at": None})) for item in ITEMS})


def _editable(review: Review) -> None:
    if review.status == ReviewStatus.final:
        raise ReviewError("This scorecard is final and can no longer be changed.")


def _save(session: Session, review: Review, **changes) -> Review:
    for name, value in changes.items():
        setattr(review, name, value)
    session.add(review)
    session.commit()
    return review


def accept_score(session: Session, review: Review, dimension: str) -> Review:
    """Keep the first pass's score for ``dimension``."""
    _editable(review)
    _known(dimension)
    if is_blind(review):
        raise ReviewError("This is a blind calibration: give your own score; the first pass is hidden until all have finalised.")
    scores = dict(review.scores)
    entry = scores[dimension]
    scores[dimension] = {**entry, "score": entry["auto"], "overridden": False, "accepted": True, "reason": ""}
    return _save(session, review, scores=scores)


def override_score(session: Session, review: Review, dimension: str, score: str | int | None, reason: str | None) -> Review:
    """Replace the first pass's score; a reason is required so the agent and the team can learn from it.
    A blind scorecard has no first pass to replace: the score is the reviewer's own and the reason optional."""
    _editable(review)
    _known(dimension)
    if is_blind(review):
        scores = dict(review.scores)
        scores[dimension] = {**scores[dimension], "score": checked_score(score, error=ReviewError), "accepted": True,
                             "reason": (reason or "").strip()[:MAX_REASON]}
        return _save(session, review, scores=scores)
    override = checked_override(score, reason, error=ReviewError,
                                missing_reason="Say why you override the score: the reason is shown to the agent.")
    scores = dict(review.scores)
    scores[dimension] = {**scores[dimension], "score": override.score, "overridden": True, "accepted": True,
                         "reason": override.reason}
    return _save(session, review, scores=scores)


def set_checklist_item(session: Session, review: Review, item: str, done: bool, at: float | None = None) -> Review:
    _editable(review)
    if item not in ITEMS:
        raise ReviewError(f"unknown checklist item {item!r}")
    checklist = dict(review.checklist)
    previous = checklist.get(item, {})
    checklist[item] = {"done": bool(done), "at": (at if at is not None else previous.get("at")) if done else None}
    return _save(session, review, checklist=checklist)


def fix_speaker(session: Session, review: Review, call: Call, index: int, speaker: str) -> Review:
    """Say who really spoke segment ``index``."""
    _editable(review)
    if speaker not in SPEAKERS:
        raise ReviewError("The speaker is either the agent or the customer.")
    if not 0 <= index < len(call.result.get("segments", [])):
        raise ReviewError("There is no such segment in this call.")
    fixes = dict(review.speaker_fixes)
    if call.result["segments"][index]["speaker"] == speaker:
        fixes.pop(str(index), None)
    else:
        fixes[str(index)] = speaker
    return _save(session, review, speaker_fixes=fixes)


def swap_speakers(session: Session, review: Review, call: Call) -> Review:
    """Agent and customer the other way round, for every segment."""
    _editable(review)
    current = segments_for(call, review)
    fixes = {}
    for segment in current:
        wanted = other(segment.speaker)
        if call.result["segments"][segment.index]["speaker"] != wanted:
            fixes[str(segment.index)] = wanted
    return _save(session, review, speaker_fixes=fixes)


def add_comment(session: Session, review: Review, text: str, at_s: str | float | None) -> ReviewComment:
    text = (text or "").strip()
    if not text:
        raise ReviewError("The comment is empty, so it was not added: write what the agent should hear about this moment.")
    moment = None
    if at_s not in (None, ""):
        try:
            moment = max(0.0, float(at_s))
        except (TypeError, ValueError):
            raise ReviewError("The moment must be a number of seconds.") from None
    redacted, found = redact_text(text[:MAX_COMMENT])  # comments are stored and shown like the transcript
    comment = ReviewComment(review_id=review.id, at_s=moment, text=redacted if found else text[:MAX_COMMENT])
    session.add(comment)
    session.commit()
    return comment


def finalise(session: Session, review: Review, rubric: Rubric) -> Review:
    """Lock the scorecard: every score accepted or overridden; the overall uses the rubric's weights."""
    _editable(review)
    pending = [d.replace("_", " ") for d in DIMENSIONS if not review.scores[d].get("accepted")]
    if pending:
        raise ReviewError(f"Accept or override every score first (still open: {', '.join(pending)}).")
    return _save(session, review, status=ReviewStatus.final, finalised_at=utcnow(), overall=overall_of(review.scores, rubric))


def overall_of(scores: dict, rubric: Rubric) -> int:
    """The scorecard's overall: its scores weighted by the rubric."""
    total = sum(rubric.weights.values()) or 1.0
    return int(round(sum(scores[d]["score"] * rubric.weights[d] for d in DIMENSIONS) / total))


def segments_for(call: Call, review: Review | None) -> list[SegmentView]:
    """The call's segments with this reviewer's speaker fixes applied."""
    fixes = review.speaker_fixes if review else {}
    return [SegmentView(i, s["start"], s["end"], fixes.get(str(i), s["speaker"]), s["text"], s["words"], str(i) in fixes)
            for i, s in enumerate(call.result.get("segments", []))]


def comments_for(session: Session, review: Review) -> list[ReviewComment]:
    return list(session.exec(select(ReviewComment).where(ReviewComment.review_id == review.id)
                             .order_by(ReviewComment.at_s, ReviewComment.id)))


def final_reviews_of(session: Session, call: Call) -> list[Review]:
    return list(session.exec(select(Review).where(Review.call_id == call.id, Review.status == ReviewStatus.final)
                             .order_by(Review.finalised_at)))


def _known(dimension: str) -> None:
    if dimension not in DIMENSIONS:
        raise ReviewError(f"unknown dimension {dimension!r}")
