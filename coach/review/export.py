"""CSV export of finalised scorecards with the call metrics, for a date range, a team or an agent, streamed.

Columns (documented in the README, "Exporting scorecards"): ``score_<skill>`` is the final score after the
reviewer's overrides, ``first_pass_<skill>`` the automatic one, ``override_reason_<skill>`` why it was changed;
``check_<item>`` is the checklist (yes/no). Rows stream from the database in batches, so an export of any size
runs in bounded memory. A calibration's scorecards appear only once every reviewer in it has finalised, so an
export never shows a blind reviewer the others' scores.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Iterable, Iterator

from sqlmodel import Session, select

from coach.calls.checklist import ITEMS
from coach.models import Calibration, Call, Review, ReviewStatus, Team, User
from coach.permissions import calibration_finished
from scoring import DIMENSIONS

BATCH = 500
COLUMNS = (["call_id", "external_id", "call_date", "call_type", "agent", "team", "reviewer", "finalised_at",
            "calibration"]
           + [f"score_{d}" for d in DIMENSIONS] + ["overall"]
           + [f"first_pass_{d}" for d in DIMENSIONS] + ["first_pass_overall", "overridden"]
           + [f"override_reason_{d}" for d in DIMENSIONS]
           + [f"check_{item}" for item in ITEMS]
           + ["duration_s", "agent_talk_ratio", "dead_air_count", "dead_air_total_s", "overtalk_count",
              "agent_interruptions", "agent_wpm", "longest_agent_monologue_s", "customer_sentiment_start",
              "customer_sentiment_end"])


class ExportError(ValueError):
    """The export cannot be made as asked; the message says what to change."""


def check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise ExportError(f"The start date {date_from.isoformat()} is after the end date {date_to.isoformat()}: "
                          "swap them, or leave one empty.")


def scorecard_rows(session: Session, date_from: date | None = None, date_to: date | None = None,
                   team_id: int | None = None, agent_id: int | None = None) -> Iterator[dict]:
    """Finalised scorecards in call order, one dict per scorecard, read ``BATCH`` at a time (a calibration's only
    once it is finished)."""
    check_range(date_from, date_to)
    query = (select(Review, Call, User).join(Call, Review.call_id == Call.id).join(User, Call.agent_id == User.id)
             .where(Review.status == ReviewStatus.final).order_by(Call.call_date, Call.id, Review.id))
    if date_from:
        query = query.where(Call.call_date >= date_from)
    if date_to:
        query = query.where(Call.call_date <= date_to)
    if team_id:
        query = query.where(User.team_id == team_id)
    if agent_id:
        query = query.where(Call.agent_id == agent_id)
    teams = {t.id: t.name for t in session.exec(select(Team))}
    reviewers = {u.id: u.name for u in session.exec(select(User))}
    finished: dict[int, bool] = {}
    offset = 0
    while batch := session.exec(query.offset(offset).limit(BATCH)).all():
        for review, call, agent in batch:
            if review.calibration_id is not None and not _finished(session, review.calibration_id, finished):
                continue
            yield _row(review, call, agent, teams, reviewers)
        offset += len(batch)


def _finished(session: Session, calibration_id: int, known: dict[int, bool]) -> bool:
    if calibration_id not in known:
        calibration = session.get(Calibration, calibration_id)
        known[calibration_id] = calibration is not None and calibration_finished(session, calibration)
    return known[calibration_id]


def _row(review: Review, call: Call, agent: User, teams: dict, reviewers: dict) -> dict:
    metrics = call.result.get("metrics", {})
    first_pass = call.result.get("scores", {})
    dead_air = metrics.get("dead_air", [])
    overtalk = metrics.get("overtalk", [])
    row = {"call_id": call.id, "external_id": call.external_id, "call_date": call.call_date.isoformat(),
           "call_type": call.call_type, "agent": agent.username, "team": teams.get(agent.team_id, ""),
           "reviewer": reviewers.get(review.reviewer_id, ""),
           "finalised_at": review.finalised_at.isoformat(timespec="seconds") if review.finalised_at else "",
           "calibration": "yes" if review.calibration_id else "no",
           "overall": review.overall, "first_pass_overall": call.result.get("overall"),
           "overridden": " ".join(d for d in DIMENSIONS if review.scores.get(d, {}).get("overridden")),
           "duration_s": call.result.get("duration"), "agent_talk_ratio": metrics.get("agent_talk_ratio"),
           "dead_air_count": len(dead_air), "dead_air_total_s": round(sum(d["end"] - d["start"] for d in dead_air), 1),
           "overtalk_count": len(overtalk), "agent_interruptions": sum(o["by"] == "agent" for o in overtalk),
           "agent_wpm": metrics.get("agent_wpm"), "longest_agent_monologue_s": metrics.get("longest_agent_monologue_s"),
           "customer_sentiment_start": metrics.get("customer_sentiment", {}).get("start"),
           "customer_sentiment_end": metrics.get("customer_sentiment", {}).get("end")}
    for dimension in DIMENSIONS:
        mark = review.scores.get(dimension, {})
        row[f"score_{dimension}"] = mark.get("score")
        row[f"first_pass_{dimension}"] = mark.get("auto", first_pass.get(dimension))
        row[f"override_reason_{dimension}"] = mark.get("reason", "") if mark.get("overridden") else ""
    row.update({f"check_{item}": "yes" if review.checklist.get(item, {}).get("done") else "no" for item in ITEMS})
    return row


def iter_csv(rows: Iterable[dict]) -> Iterator[str]:
    """The CSV text line by line: the header, then one line per row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe(v) for k, v in row.items()})
        yield _drain(out)
    if out.tell():
        yield _drain(out)


def to_csv(rows: Iterable[dict]) -> str:
    return "".join(iter_csv(rows))


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def _safe(value):
    """Cells starting with =, +, - or @ are run as formulas by spreadsheets; quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
