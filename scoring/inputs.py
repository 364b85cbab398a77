"""Plain inputs the speech and call layers fill in, so scoring never imports them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TimedWord:
    """One recognised word with its start and end in seconds."""

    word: str
    start: float
    end: float


@dataclass(frozen=True)
class VoiceFeatures:
    """Delivery measures of one spoken reply; any field may be unknown (None)."""

    words_per_minute: float | None = None
    long_pauses: int = 0
    longest_pause_s: float | None = None
    filler_count: int | None = None
    pitch_variation: float | None = None  # semitones of spread; under ~2 sounds monotone
    monotone: bool | None = None
    duration_s: float | None = None


@dataclass(frozen=True)
class CallTurn:
    """One agent utterance in a call, with the customer's words before it as context."""

    text: str
    context: str = ""
    start_s: float | None = None
    end_s: float | None = None
    words: list[TimedWord] = field(default_factory=list)
