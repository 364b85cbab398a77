"""Which function runs each kind of job."""
from __future__ import annotations

from coach.jobs.call_first_pass import handle_call_first_pass
from coach.jobs.roleplay_live_reply import handle_roleplay_live_reply
from coach.jobs.roleplay_redo import handle_roleplay_redo
from coach.jobs.roleplay_reply import handle_roleplay_reply
from coach.jobs.runner import Handler

HANDLERS: dict[str, Handler] = {
    "roleplay_reply": handle_roleplay_reply,
    "roleplay_live_reply": handle_roleplay_live_reply,
    "roleplay_redo": handle_roleplay_redo,
    "call_first_pass": handle_call_first_pass,
}
