"""The calls list: search and filters (agent, team, dates, first-pass score band, needs review, text) and pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, select

from coach.models import Call, CallStatus, Recording, User

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
BANDS = (1, 2, 3, 4, 5)  # first-pass overall 0-19, 20-39, 40-59, 60-79, 80-100


@dataclass(frozen=True)
class CallFilter:
    status: str = ""
    agent_id: int | None = None
    team_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    band: int | None = None
    needs_review: bool = False
    text: str = ""


@dataclass(frozen=True)
class CallPage:
    calls: list[Call]
    total: int
    page: int
    pages: int
    page_size: int


def _query(wanted: CallFilter):
    query = select(Call)
    if wanted.status in {s.value for s in CallStatus}:
        query = query.where(Call.status == CallStatus(wanted.status))
    if wanted.agent_id:
        query = query.where(Call.agent_id == wanted.agent_id)
    if wanted.team_id:
        query = query.where(Call.agent_id.in_(select(User.id).where(User.team_id == wanted.team_id)))
    if wanted.date_from:
        query = query.where(Call.call_date >= wanted.date_from)
    if wanted.date_to:
        query = query.where(Call.call_date <= wanted.date_to)
    if wanted.band in BANDS:
        overall = Call.result["overall"].as_float()
        low = 20 * (wanted.band - 1)
        query = query.where(Call.status == CallStatus.ready, overall >= low,
                            overall <= 100 if wanted.band == 5 else overall < low + 20)
    if wanted.needs_review:
        query = query.where(Call.result["needs_human_review"].as_boolean() == True)  # noqa: E712
    if wanted.text.strip():
        # the transcript is inside the first-pass JSON: searched as text, like the call's ids and file name
        pattern = f"%{wanted.text.strip()[:100].lower()}%"
        names = select(Recording.id).where(func.lower(Recording.original_name).like(pattern))
        query = query.where(or_(func.lower(Call.external_id).like(pattern), func.lower(Call.call_type).like(pattern),
                                Call.recording_id.in_(names), func.lower(cast(Call.result, String)).like(pattern)))
    return query


def find_calls(session: Session, wanted: CallFilter, page: int = 1, page_size: int = PAGE_SIZE) -> CallPage:
    """One page of the calls that match, newest first; the page size is bounded by ``MAX_PAGE_SIZE``."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    query = _query(wanted)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // page_size))
    page = max(1, min(page, pages))
    rows = session.exec(query.order_by(Call.created_at.desc(), Call.id.desc()).offset((page - 1) * page_size).limit(page_size))
    return CallPage(list(rows), total, page, pages, page_size)
