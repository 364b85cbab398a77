"""Navigation links and dashboard panels that each area's blueprint offers to the roles it serves."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask

from coach.models import Role
from coach.permissions import roles_with


@dataclass(frozen=True)
class Entry:
    endpoint: str
    title: str
    roles: frozenset[Role]
    order: int = 50


def nav_link(bp: Blueprint, endpoint: str, title: str, ability: str, order: int = 50) -> None:
    """Show ``bp.endpoint`` in the top navigation of the roles that hold ``ability``."""
    _offer(bp, "coach.nav", Entry(f"{bp.name}.{endpoint}", title, roles_with(ability), order))


def dashboard_panel(bp: Blueprint, endpoint: str, title: str, ability: str, order: int = 50) -> None:
    """Load ``bp.endpoint`` (an htmx fragment) as a dashboard panel of the roles that hold ``ability``."""
    _offer(bp, "coach.panels", Entry(f"{bp.name}.{endpoint}", title, roles_with(ability), order))


def entries_for(app: Flask, kind: str, role: Role) -> list[Entry]:
    """``kind`` is "nav" or "panels"."""
    return sorted((e for e in app.extensions.get(f"coach.{kind}", []) if role in e.roles),
                  key=lambda e: e.order)


def _offer(bp: Blueprint, key: str, entry: Entry) -> None:
    bp.record_once(lambda state: state.app.extensions.setdefault(key, []).append(entry))
