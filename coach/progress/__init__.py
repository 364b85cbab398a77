"""Progress: a trainee's dashboard panels, skill charts over time and CSV exports."""
from flask import Blueprint

from coach.models import Role
from coach.navigation import dashboard_panel, nav_link
from coach.practice_links import practice_links

bp = Blueprint("progress", __name__, url_prefix="/progress")
bp.app_context_processor(practice_links)
nav_link(bp, "mine", "My progress", (Role.trainee,), order=20)
dashboard_panel(bp, "assigned_panel", "Assigned to you", (Role.trainee,), order=10)
dashboard_panel(bp, "next_panel", "Practise next", (Role.trainee,), order=11)

from coach.progress import exports, routes  # noqa: E402,F401  (the views attach themselves to bp)
