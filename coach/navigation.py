"""Navigation links and dashboard panels that each area's blueprint offers to the roles it serves."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask

from coach.models import Role


@dataclass(frozen=True)
class Entry:
    endpoint: str
    title: str
    roles: frozenset[Role]
    order: int = 50


def nav_link(bp: Blueprint, endpoint: str, title: str, roles: tuple[Role, ...], order: int = 50) -> None:
    """Show ``bp.endpoint`` in the top navigation of ``roles``."""
    _offer(bp, "coach.nav", Entry(f"{bp.name}.{endpoint}", title, frozenset(roles), order))


def dashboard_panel(bp: Blueprint, endpoint: str, title: str, roles: tuple[Role, ...], order: int = 50) -> None:
    """Load ``bp.endpoint`` (a view returning an htmx fragment) as a panel on the dashboard of ``roles``."""
    _offer(bp, "coach.panels", Entry(f"{bp.name}.{endpoint}", title, frozenset(roles), order))


def entries_for(app: Flask, kind: str, role: Role) -> list[Entry]:
    """``kind`` is "nav" or "panels"."""
    return sorted((e for e in app.extensions.get(f"coach.{kind}", []) if role in e.roles or role == Role.admin),
                  key=lambda e: e.order)


def _offer(bp: Blueprint, key: str, entry: Entry) -> None:
    bp.record_once(lambda state: state.app.extensions.setdefault(key, []).append(entry))
