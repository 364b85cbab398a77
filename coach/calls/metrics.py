"""Call metrics: talk share, dead air, overtalk (who interrupted whom), agent pace, longest monologue,
and the customer's sentiment at the start against the end."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np

from coach.calls.sentiment import sentiment
from coach.calls.transcript import AGENT, CUSTOMER, CallSegment, speaker_words
from coach.speech.voice import channel_activity, overlaps, speech_intervals, word_intervals

Interval = tuple[float, float]
MIN_OVERTALK_S = 0.3
TURN_BRIDGE_S = 1.0  # pauses shorter than this inside a turn still count as talking for the pace
SENTIMENT_SHARE = 1 / 3  # the first and last third of the customer's talk


@dataclass(frozen=True)
class Overtalk:
    start: float
    end: float
    by: str  # who started talking over the other

    def to_dict(self) -> dict:
        return {"start": round(self.start, 2), "end": round(self.end, 2), "by": self.by}


@dataclass(frozen=True)
class CallMetrics:
    agent_talk_ratio: float
    dead_air: list[Interval]
    overtalk: list[Overtalk]
    agent_wpm: float
    longest_agent_monologue_s: float
    customer_sentiment: dict = field(default_factory=lambda: {"start": 0.0, "end": 0.0})

    def to_dict(self) -> dict:
        data = asdict(self)
        data["dead_air"] = [{"start": round(a, 2), "end": round(b, 2)} for a, b in self.dead_air]
        data["overtalk"] = [o.to_dict() for o in self.overtalk]
        return data


def measure_call(segments: Sequence[CallSegment], channels: np.ndarray | None, agent_channel: int | None,
                 dead_air_seconds: float) -> CallMetrics:
    """``channels`` is the decoded audio (n_channels, n) or None (then talk comes from word timings only);
    ``agent_channel`` is 0 or 1 on stereo calls, None on mono ones."""
    talk = talk_intervals(segments, channels, agent_channel)
    agent_words = speaker_words(segments, AGENT)
    agent_turns = word_intervals(agent_words, bridge=TURN_BRIDGE_S)
    agent_minutes = sum(b - a for a, b in agent_turns) / 60
    agent_talk, customer_talk = (_total(talk[s]) for s in (AGENT, CUSTOMER))
    return CallMetrics(
        agent_talk_ratio=round(agent_talk / (agent_talk + customer_talk), 3) if agent_talk + customer_talk else 0.0,
        dead_air=dead_air(channels, segments, dead_air_seconds),
        overtalk=overtalk(talk[AGENT], talk[CUSTOMER]),
        agent_wpm=round(len(agent_words) / agent_minutes, 1) if agent_minutes else 0.0,
        longest_agent_monologue_s=round(longest_monologue(segments), 2),
        customer_sentiment=customer_sentiment(segments),
    )


def talk_intervals(segments: Sequence[CallSegment], channels: np.ndarray | None, agent_channel: int | None) -> dict[str, list[Interval]]:
    """When each side talks: from each channel's audio on stereo calls (its own talk, not the other side's bleed,
    and only where it said words, which drops noise), from word timings on mono ones."""
    by_words = {s: word_intervals(speaker_words(segments, s), bridge=0.3) for s in (AGENT, CUSTOMER)}
    if channels is None or channels.shape[0] != 2 or agent_channel is None:
        return by_words
    result, activity = {}, channel_activity(channels)
    for speaker, channel in ((AGENT, agent_channel), (CUSTOMER, 1 - agent_channel)):
        heard = activity[channel]
        result[speaker] = [(a, b) for a, b in heard if any(a < wb + 0.3 and wa - 0.3 < b for wa, wb in by_words[speaker])]
    return result


def talk_seconds(segments: Sequence[CallSegment], channels: np.ndarray | None, agent_channel: int | None) -> float:
    """Seconds of talk on the call, both sides together (overtalk counted once per side)."""
    return sum(_total(spans) for spans in talk_intervals(segments, channels, agent_channel).values())


def dead_air(channels: np.ndarray | None, segments: Sequence[CallSegment], threshold: float) -> list[Interval]:
    """Stretches longer than ``threshold`` seconds where nobody makes a sound, between the first and last speech."""
    if channels is not None:
        sound = sorted(interval for row in channels for interval in speech_intervals(row))
    else:
        sound = sorted((w.start, w.end) for s in segments for w in s.words)
    gaps, reach = [], None
    for a, b in sound:
        if reach is not None and a - reach > threshold:
            gaps.append((round(reach, 2), round(a, 2)))
        reach = b if reach is None else max(reach, b)
    return gaps


def overtalk(agent: Sequence[Interval], customer: Sequence[Interval], min_seconds: float = MIN_OVERTALK_S) -> list[Overtalk]:
    """Both talking at once; ``by`` is the side whose talk began later, i.e. who cut in."""
    found = []
    for a, b in overlaps(agent, customer, min_seconds):
        agent_began = max(s for s, e in agent if s <= a + 1e-6 and e >= b - 1e-6)
        customer_began = max(s for s, e in customer if s <= a + 1e-6 and e >= b - 1e-6)
        found.append(Overtalk(a, b, AGENT if agent_began > customer_began else CUSTOMER))
    return found


def longest_monologue(segments: Sequence[CallSegment]) -> float:
    """The longest stretch of agent talk with no customer words in it."""
    longest, start, end = 0.0, None, None
    for segment in sorted(segments, key=lambda s: s.start):
        if not segment.words:
            continue
        if segment.speaker == AGENT:
            start = segment.words[0].start if start is None else start
            end = segment.words[-1].end
            longest = max(longest, end - start)
        else:
            start = end = None
    return longest


def customer_sentiment(segments: Sequence[CallSegment]) -> dict:
    """Sentiment of the customer's first third of words against the last third."""
    words = speaker_words(segments, CUSTOMER)
    if not words:
        return {"start": 0.0, "end": 0.0}
    share = max(1, int(round(len(words) * SENTIMENT_SHARE)))
    return {"start": sentiment(" ".join(w.word for w in words[:share])),
            "end": sentiment(" ".join(w.word for w in words[-share:]))}


def _total(intervals: Sequence[Interval]) -> float:
    return sum(b - a for a, b in intervals)


