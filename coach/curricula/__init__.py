"""Curricula: trainers build programmes of scenarios, assign them and watch their teams."""
from flask import Blueprint

from coach.models import Role
from coach.navigation import dashboard_panel, nav_link
from coach.practice_links import practice_links

bp = Blueprint("curricula", __name__, url_prefix="/curricula")
bp.app_context_processor(practice_links)
nav_link(bp, "index", "Curricula", (Role.trainer,), order=30)
nav_link(bp, "teams", "Team progress", (Role.trainer,), order=31)
dashboard_panel(bp, "teams_panel", "Your teams", (Role.trainer,), order=10)

from coach.curricula import routes, teams  # noqa: E402,F401  (the views attach themselves to bp)
