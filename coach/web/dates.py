"""The one way Coach writes a date on a page: "28 Nov 2026", and "28 Nov 2026, 14:05" with the time."""
from __future__ import annotations

from datetime import date, datetime

# strftime's %b in the C locale, without a locale lookup for each of the hundreds of dates a page may show
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(value: date | datetime | None, missing: str = "—") -> str:
    """``value`` as "28 Nov 2026"; ``missing`` when there is none."""
    if value is None:
        return missing
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def day_time(value: datetime | None, missing: str = "—") -> str:
    """``value`` as "28 Nov 2026, 14:05"; ``missing`` when there is none."""
    if value is None:
        return missing
    return f"{day(value)}, {value.hour:02d}:{value.minute:02d}"


FILTERS = {"day": day, "day_time": day_time}
