"""The read-only JSON API (``/api/v1``), authenticated by per-user tokens."""
from flask import Blueprint

from coach.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from coach.api import routes  # noqa: E402,F401  (the views attach themselves to bp)
