"""Calibration: one call scored by several reviewers, and how far apart they (and the first pass) are."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import combinations
from statistics import mean

from sqlmodel import Session, select

from coach.models import Calibration, Call, Review, ReviewStatus, User
from coach.permissions import calibration_finished, can_calibrate, holders_clause
from coach.progress.levels import as_utc
from coach.review.agreement import RatedCall
from coach.review.scorecards import ReviewError, review_of, start_review
from scoring import DIMENSIONS

CLOSE_POINTS = 10  # two scores this close count as agreeing
DOUBLE = "double"  # Calibration.kind of a routine call quietly given to a second reviewer


@dataclass(frozen=True)
class DimensionAgreement:
    dimension: str
    scores: dict[str, int]  # reviewer name -> score
    spread: int  # highest minus lowest
    mean_difference: float  # average gap between two reviewers
    agreement: float  # share of reviewer pairs within CLOSE_POINTS
    first_pass: int
    first_pass_gap: float  # first pass against the reviewers' average


def assign(session: Session, call: Call, lead: User, reviewers: list[User], note: str = "") -> Calibration:
    """Give the same call to several reviewers, each to score blind (their own blank draft scorecard)."""
    reviewers = list({r.id: r for r in reviewers}.values())
    if len(reviewers) < 2:
        raise ReviewError("Choose at least two reviewers to calibrate.")
    if not all(can_calibrate(r) for r in reviewers):
        raise ReviewError("Only reviewers and admins can take part in a calibration.")
    seen = [r.name for r in reviewers if review_of(session, call, r) is not None]
    if seen:
        raise ReviewError(f"{', '.join(seen)} already scored this call with the first pass in view; choose others.")
    calibration = Calibration(call_id=call.id, lead_id=lead.id, note=note.strip()[:500],
                              reviewer_ids=[r.id for r in reviewers])
    session.add(calibration)
    session.commit()
    for reviewer in reviewers:
        start_review(session, call, reviewer, calibration.id)
    return calibration


def double_scored(call_id: int, percent: float) -> bool:
    """Whether this call is among the ``percent`` share that also goes to a second reviewer (fixed per call)."""
    draw = int(hashlib.sha256(f"double-score:{call_id}".encode()).hexdigest()[:8], 16) % 10_000
    return draw < percent * 100


def maybe_double_score(session: Session, call: Call, uploader: User, percent: float) -> Calibration | None:
    """Quietly give a routine call to a second reviewer, blind, so agreement is measured all the time."""
    if not double_scored(call.id, percent):
        return None
    others = sorted(u.id for u in session.exec(select(User).where(holders_clause("review_calls"), User.active == True))  # noqa: E712
                    if u.id != uploader.id)
    if not others:
        return None
    calibration = Calibration(call_id=call.id, lead_id=uploader.id, kind=DOUBLE, reviewer_ids=[others[call.id % len(others)]])
    session.add(calibration)
    session.commit()
    return calibration


def reviews_of(session: Session, calibration: Calibration) -> list[Review]:
    """The blind scorecards of the calibration; a double-scored call adds the routine scorecard it is compared with."""
    reviews = list(session.exec(select(Review).where(Review.calibration_id == calibration.id).order_by(Review.id)))
    if calibration.kind == DOUBLE:
        routine = session.exec(select(Review).where(Review.call_id == calibration.call_id, Review.calibration_id.is_(None),
                                                    Review.status == ReviewStatus.final).order_by(Review.finalised_at)).first()
        reviews += [routine] if routine else []
    return reviews


def rated_calls(session: Session) -> list[RatedCall]:
    """Every finished calibration (and double-scored call) as the AI's and the reviewers' scores of one call."""
    names = {u.id: u.name for u in session.exec(select(User))}
    found = []
    for calibration in session.exec(select(Calibration).order_by(Calibration.id)):
        if not calibration_finished(session, calibration):
            continue
        call = session.get(Call, calibration.call_id)
        reviews = [r for r in reviews_of(session, calibration) if r.status == ReviewStatus.final]
        if call is None or not reviews or not call.result.get("scores"):
            continue
        found.append(RatedCall(
            key=calibration.id, at=max(as_utc(r.finalised_at) for r in reviews), version=scoring_version(call.result),
            ai={d: float(call.result["scores"][d]) for d in DIMENSIONS},
            humans={names.get(r.reviewer_id, "?"): {d: float(r.scores[d]["score"]) for d in DIMENSIONS} for r in reviews}))
    return found


def scoring_version(result: dict) -> str:
    """The rubric and learned models of a first pass; a change of either is a change of the AI rater."""
    return f"{result.get('rubric') or 'unknown rubric'} · {result.get('scoring_models') or 'models not recorded'}"


def agreement(session: Session, calibration: Calibration, call: Call) -> list[DimensionAgreement] | None:
    """Per-dimension agreement once every reviewer has finalised; None while some are still scoring."""
    reviews = reviews_of(session, calibration)
    if len(reviews) < 2 or not calibration_finished(session, calibration):
        return None
    names = {u.id: u.name for u in session.exec(select(User).where(User.id.in_([r.reviewer_id for r in reviews])))}
    rows = []
    for d in DIMENSIONS:
        scores = {names[r.reviewer_id]: int(r.scores[d]["score"]) for r in reviews}
        values = list(scores.values())
        gaps = [abs(a - b) for a, b in combinations(values, 2)]
        first = int(call.result["scores"][d])
        rows.append(DimensionAgreement(
            dimension=d, scores=scores, spread=max(values) - min(values), mean_difference=round(mean(gaps), 1),
            agreement=round(sum(g <= CLOSE_POINTS for g in gaps) / len(gaps), 2), first_pass=first,
            first_pass_gap=round(abs(first - mean(values)), 1)))
    return rows
