"""The one way Coach writes a date on a page: "28 Nov 2026", and "28 Nov 2026, 14:05" with the time."""
from __future__ import annotations

from datetime import date, datetime


def day(value: date | datetime | None, missing: str = "—") -> str:
    """``value`` as "28 Nov 2026"; ``missing`` when there is none."""
    if value is None:
        return missing
    return f"{value.day} {value.strftime('%b %Y')}"


def day_time(value: datetime | None, missing: str = "—") -> str:
    """``value`` as "28 Nov 2026, 14:05"; ``missing`` when there is none."""
    if value is None:
        return missing
    return f"{day(value)}, {value.strftime('%H:%M')}"


FILTERS = {"day": day, "day_time": day_time}
