"""Which function runs each kind of job."""
from __future__ import annotations

from coach.jobs.roleplay_reply import handle_roleplay_reply
from coach.jobs.runner import Handler

HANDLERS: dict[str, Handler] = {
    "roleplay_reply": handle_roleplay_reply,
}
