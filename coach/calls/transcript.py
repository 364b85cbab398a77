"""The call's transcript as the pipeline passes it between stages: speaker-labelled segments of timed words."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

AGENT, CUSTOMER = "agent", "customer"
SPEAKERS = (AGENT, CUSTOMER)


@dataclass(frozen=True)
class CallWord:
    word: str
    start: float
    end: float
    probability: float = 1.0  # Whisper's confidence in the word; placeholders and typed text count as sure

    def to_dict(self) -> dict:
        return {"start": round(self.start, 2), "end": round(self.end, 2), "word": self.word}


@dataclass(frozen=True)
class CallSegment:
    """One stretch of one speaker's talk."""

    start: float
    end: float
    speaker: str
    text: str
    words: list[CallWord] = field(default_factory=list)
    channel: int = 0

    def with_speaker(self, speaker: str) -> "CallSegment":
        return replace(self, speaker=speaker)

    def to_dict(self) -> dict:
        return {"start": round(self.start, 2), "end": round(self.end, 2), "speaker": self.speaker,
                "text": self.text, "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: dict) -> "CallSegment":
        words = [CallWord(w["word"], float(w["start"]), float(w["end"])) for w in data.get("words", [])]
        return cls(float(data["start"]), float(data["end"]), data["speaker"], data.get("text", ""), words,
                   int(data.get("channel", 0)))


def segment_text(words: list[CallWord]) -> str:
    return " ".join(w.word for w in words if w.word).strip()


def speaker_words(segments: list[CallSegment], speaker: str) -> list[CallWord]:
    return [w for s in segments if s.speaker == speaker for w in s.words]


def other(speaker: str) -> str:
    return CUSTOMER if speaker == AGENT else AGENT
