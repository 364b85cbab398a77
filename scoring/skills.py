"""The five soft skills Coach scores, in display order, and the one name people see for each."""
from __future__ import annotations

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")
SKILL_NAMES = {
    "active_listening": "Active listening",
    "empathy": "Empathy",
    "clarity": "Clarity",
    "jargon": "Plain language",
    "ownership": "Ownership",
}


def skill_name(skill: str) -> str:
    """The display name of a skill key ("jargon" -> "Plain language")."""
    return SKILL_NAMES.get(skill, skill.replace("_", " ").capitalize())
