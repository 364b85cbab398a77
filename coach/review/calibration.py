"""Calibration: one call scored by several reviewers, and how far apart they (and the first pass) are."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from statistics import mean

from sqlmodel import Session, select

from coach.models import Calibration, Call, Review, ReviewStatus, User
from coach.permissions import can_calibrate
from coach.review.scorecards import ReviewError, start_review
from scoring import DIMENSIONS

CLOSE_POINTS = 10  # two scores this close count as agreeing


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
    """Give the same call to several reviewers (each gets their own draft scorecard)."""
    reviewers = list({r.id: r for r in reviewers}.values())
    if len(reviewers) < 2:
        raise ReviewError("Choose at least two reviewers to calibrate.")
    if not all(can_calibrate(r) for r in reviewers):
        raise ReviewError("Only reviewers and admins can take part in a calibration.")
    calibration = Calibration(call_id=call.id, lead_id=lead.id, note=note.strip()[:500])
    session.add(calibration)
    session.commit()
    for reviewer in reviewers:
        start_review(session, call, reviewer, calibration.id)
    return calibration


def reviews_of(session: Session, calibration: Calibration) -> list[Review]:
    return list(session.exec(select(Review).where(Review.calibration_id == calibration.id).order_by(Review.id)))


def agreement(session: Session, calibration: Calibration, call: Call) -> list[DimensionAgreement] | None:
    """Per-dimension agreement once every reviewer has finalised; None while some are still scoring."""
    reviews = reviews_of(session, calibration)
    if len(reviews) < 2 or any(r.status != ReviewStatus.final for r in reviews):
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
