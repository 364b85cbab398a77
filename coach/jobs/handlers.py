"""Which function runs each kind of job."""
from __future__ import annotations

from coach.jobs.runner import Handler

HANDLERS: dict[str, Handler] = {}
