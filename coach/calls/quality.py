"""How far the transcript can be trusted: Whisper's word probabilities and the share of talk spoken over,
and whether the call should go to a person before its scores are believed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from coach.calls.metrics import CallMetrics
from coach.calls.transcript import CallSegment, CallWord

LOW_CONFIDENCE = 0.5  # a word Whisper gives less than this is a guess
MAX_LOW_CONFIDENCE_SHARE = 0.25
PLACEHOLDER = "["  # redaction placeholders ("[card number]") were not heard, they were written


@dataclass(frozen=True)
class AsrQuality:
    mean_word_probability: float
    low_confidence_share: float
    overlap_share: float
    needs_human_review: bool

    def to_dict(self) -> dict:
        return {"mean_word_probability": self.mean_word_probability, "low_confidence_share": self.low_confidence_share,
                "overlap_share": self.overlap_share}


def heard_words(segments: Sequence[CallSegment]) -> list[CallWord]:
    return [w for s in segments for w in s.words if not w.word.startswith(PLACEHOLDER)]


def asr_quality(segments: Sequence[CallSegment], metrics: CallMetrics, talk_seconds: float,
                min_mean_probability: float) -> AsrQuality:
    """The call's quality figures; ``needs_human_review`` when the mean word probability is under
    ``min_mean_probability`` or more than a quarter of the words are low-confidence (no words at all counts too)."""
    words = heard_words(segments)
    if not words:
        return AsrQuality(0.0, 1.0, 0.0, True)
    mean = sum(w.probability for w in words) / len(words)
    low = sum(w.probability < LOW_CONFIDENCE for w in words) / len(words)
    overtalk = sum(o.end - o.start for o in metrics.overtalk)
    overlap = overtalk / talk_seconds if talk_seconds > 0 else 0.0
    return AsrQuality(round(mean, 3), round(low, 3), round(min(1.0, overlap), 3),
                      mean < min_mean_probability or low > MAX_LOW_CONFIDENCE_SHARE)


def rests_on_guesses(start: float | None, end: float | None, words: Sequence[CallWord]) -> bool:
    """Whether any word inside [start, end] (a piece of evidence) is low-confidence."""
    if start is None:
        return False
    end = start if end is None else end
    return any(w.probability < LOW_CONFIDENCE for w in words if w.start < end + 1e-6 and w.end > start - 1e-6)
