"""One page of a list: ``?page=N`` in, the page's rows and its neighbours' links out.

A page fetches one row more than it shows to know whether another follows, so no list counts its whole table.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from flask import request, url_for

from coach import db

PER_PAGE = 50
LAST_PAGE = 10_000  # a page number past this reads as page 1, so no link asks the database to skip millions of rows


@dataclass(frozen=True)
class Page:
    """``items`` of page ``number`` (from 1); ``has_next`` when another page follows."""

    items: list
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def url(self, number: int) -> str:
        """This request's address with ``page=number``; its other arguments are kept."""
        args = {**(request.view_args or {}), **request.args.to_dict(), "page": number}
        if number == 1:
            args.pop("page")
        return url_for(request.endpoint, **args)


def page_number(arg: str = "page") -> int:
    """The page asked for, 1 when missing or not a page number."""
    number = request.args.get(arg, type=int) or 1
    return number if 1 <= number <= LAST_PAGE else 1


def paginate_with(fetch: Callable[[int, int], Sequence], per_page: int | None = None) -> Page:
    """A page from ``fetch(offset, limit)``, which returns at most ``limit`` rows starting at ``offset``."""
    number, per_page = page_number(), per_page or PER_PAGE
    rows = list(fetch((number - 1) * per_page, per_page + 1))
    return Page(rows[:per_page], number, per_page, len(rows) > per_page)


def paginate(query, per_page: int | None = None) -> Page:
    """A page of a select statement (it needs an ``order_by``), run on the request's session."""
    session = db.get_session()
    return paginate_with(lambda offset, limit: session.exec(query.offset(offset).limit(limit)).all(), per_page)
