"""The call pipeline (no Flask): speakers → redaction → metrics → checklist → scores, run by ``first_pass``."""
from coach.calls.pipeline import CallResult, first_pass
from coach.calls.speakers import AGENT_CHANNEL_CHOICES, SpeakerError

__all__ = ["AGENT_CHANNEL_CHOICES", "CallResult", "SpeakerError", "first_pass"]
