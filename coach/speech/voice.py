"""Voice measures of a span of speech: rate, pauses, fillers, pitch, loudness, cross-talk.

Pitch uses librosa's YIN by default: on a 10 s reply it takes 0.03 s where pYIN takes
0.8 s on this 2-core machine (8 minutes more on a 2-hour stereo call); an energy and
zero-crossing mask stands in for pYIN's voicing decision, and robust statistics absorb
YIN's octave errors (espeak-ng speech: spread 1.8 semitones with YIN, 1.5 with pYIN).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Protocol, Sequence

import librosa
import numpy as np

from coach.speech.audio import SAMPLE_RATE, DecodedAudio
from scoring.inputs import TimedWord, VoiceFeatures

FRAME = 400  # 25 ms at 16 kHz
HOP = 160  # 10 ms
PITCH_FRAME = 1024  # YIN needs two periods of the lowest pitch (65 Hz)
FMIN, FMAX = 65.0, 400.0
SPEECH_TOP_DB = 35.0  # frames this far below the span's loudest count as silence
MIN_PAUSE = 0.5
MIN_OVERLAP = 0.2
SAME_SIGNAL_CORRELATION = 0.9  # two channels this alike (after gain) are one recording saved twice
MAX_CHANNEL_LAG = 8  # samples of delay allowed between such copies
BLEED_MARGIN_DB = 6.0  # a channel speaks only when louder than the other's bleed into it by this much
BLEED_PERCENTILE = 10  # the bleed gain: the quietest 10% of one channel against the other where the other is loud
MIN_TALK_S = 0.1
MONOTONE_SD = 2.0  # semitones; scoring.inputs reads under ~2 as monotone
FILLERS = {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "hm", "mm"}
FILLER_PAIRS = {("you", "know"), ("i", "mean")}

Interval = tuple[float, float]


class TimedToken(Protocol):
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class VoiceMeasures:
    """Everything measured over one span; ``None`` where there was nothing to measure."""

    start: float
    end: float
    word_count: int
    speaking_rate_wpm: float | None
    articulation_rate_wpm: float | None
    pauses: list[Interval]
    fillers: list[str]
    pitch_median_hz: float | None
    pitch_range_semitones: float | None
    pitch_sd_semitones: float | None
    monotone: bool | None
    loudness_dbfs: float | None
    loudness_range_db: float | None
    overlaps: list[Interval] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def pause_count(self) -> int:
        return len(self.pauses)

    @property
    def longest_pause(self) -> float:
        return max((b - a for a, b in self.pauses), default=0.0)

    @property
    def total_pause(self) -> float:
        return sum(b - a for a, b in self.pauses)

    @property
    def filler_count(self) -> int:
        return len(self.fillers)

    def to_scoring(self) -> VoiceFeatures:
        return VoiceFeatures(
            words_per_minute=self.speaking_rate_wpm,
            long_pauses=self.pause_count,
            longest_pause_s=self.longest_pause if self.pauses else None,
            filler_count=self.filler_count,
            pitch_variation=self.pitch_sd_semitones,
            monotone=self.monotone,
            duration_s=self.duration,
        )


def measure_voice(
    samples: np.ndarray | None,
    words: Sequence[TimedToken] = (),
    start: float | None = None,
    end: float | None = None,
    min_pause: float = MIN_PAUSE,
    pitch_tracker: str = "yin",
) -> VoiceMeasures:
    """Measure the span [start, end] (seconds) of mono 16 kHz ``samples`` and the words said in it.

    Without samples, pauses come from the gaps between words and pitch/loudness stay None.
    """
    words = [w for w in words if (start is None or w.end > start) and (end is None or w.start < end)]
    if start is None:
        start = words[0].start if words else 0.0
    if end is None:
        end = words[-1].end if words else (len(samples) / SAMPLE_RATE if samples is not None else start)
    span = None if samples is None else samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    if span is not None and span.size >= FRAME:
        voiced = [(start + a, start + b) for a, b in speech_intervals(span)]
    else:
        voiced = [(w.start, w.end) for w in words]
    pauses = _gaps(voiced, min_pause)
    duration = max(end - start, 1e-9)
    speaking = max(duration - sum(b - a for a, b in pauses), 1e-9)
    pitch = _pitch(span, pitch_tracker) if span is not None and span.size >= PITCH_FRAME else None
    loudness = _loudness(span) if span is not None and span.size >= FRAME else None
    return VoiceMeasures(
        start=start,
        end=end,
        word_count=len(words),
        speaking_rate_wpm=60 * len(words) / duration if words else None,
        articulation_rate_wpm=60 * len(words) / speaking if words else None,
        pauses=pauses,
        fillers=find_fillers([w.word for w in words]),
        pitch_median_hz=pitch[0] if pitch else None,
        pitch_range_semitones=pitch[1] if pitch else None,
        pitch_sd_semitones=pitch[2] if pitch else None,
        monotone=pitch[2] < MONOTONE_SD if pitch else None,
        loudness_dbfs=loudness[0] if loudness else None,
        loudness_range_db=loudness[1] if loudness else None,
    )


def speech_intervals(samples: np.ndarray, top_db: float = SPEECH_TOP_DB, bridge: float = 0.15) -> list[Interval]:
    """Where there is sound (seconds from the start of ``samples``), short gaps bridged."""
    if samples.size < FRAME or not np.any(samples):
        return []
    spans = librosa.effects.split(samples, top_db=top_db, frame_length=FRAME, hop_length=HOP)
    merged: list[Interval] = []
    for a, b in spans / SAMPLE_RATE:
        if merged and a - merged[-1][1] < bridge:
            merged[-1] = (merged[-1][0], float(b))
        else:
            merged.append((float(a), float(b)))
    return merged


def overlaps(first: Sequence[Interval], second: Sequence[Interval], min_duration: float = MIN_OVERLAP) -> list[Interval]:
    """Stretches where both sides speak at once (two-pointer sweep over sorted intervals)."""
    found, i, j = [], 0, 0
    first, second = sorted(first), sorted(second)
    while i < len(first) and j < len(second):
        a, b = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if b - a >= min_duration:
            found.append((a, b))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def channels_match(channels: np.ndarray, max_lag: int = MAX_CHANNEL_LAG,
                   threshold: float = SAME_SIGNAL_CORRELATION) -> bool:
    """Whether a stereo recording's two channels carry the same signal: a mono call saved as two channels.

    The normalised cross-correlation is gain-free, so an attenuated copy matches; a few samples of delay are
    searched. Real two-speaker stereo, bleed included, correlates far lower.
    """
    if channels.shape[0] != 2:
        return False
    a, b = (np.asarray(row, dtype=np.float32) for row in channels)
    energy = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    if energy == 0.0 or a.size <= 2 * max_lag:
        return False
    n = a.size
    best = max(abs(float(np.dot(a[lag:], b[: n - lag]) if lag >= 0 else np.dot(a[: n + lag], b[-lag:])))
               for lag in range(-max_lag, max_lag + 1))
    return best / energy >= threshold


def as_heard(audio: DecodedAudio) -> tuple[DecodedAudio, str]:
    """The audio to transcribe and how it is treated: ``"stereo"`` (one speaker a channel) or ``"mono"``; a stereo
    file whose channels match becomes its louder channel (averaging delayed copies would comb-filter it)."""
    if audio.n_channels == 1:
        return audio, "mono"
    if not channels_match(audio.channels):
        return audio, "stereo"
    louder = int(np.argmax([float(np.dot(row, row)) for row in audio.channels]))
    return replace(audio, channels=audio.channels[louder: louder + 1]), "mono"


def channel_activity(channels: np.ndarray, margin_db: float = BLEED_MARGIN_DB, bridge: float = 0.35) -> list[list[Interval]]:
    """When each channel's own speaker talks on a two-channel call, ignoring the other side's bleed into it.

    The bleed gain from one channel into the other is measured from the call itself (the quietest frames of
    one while the other is loud); a frame is a channel's own talk when it is above its silence floor and louder
    than that bleed would make it by ``margin_db``. Talk over each other stays talk on both.
    """
    if channels.shape[0] != 2:
        return [speech_intervals(row) for row in channels]
    db = np.vstack([_frame_db(np.asarray(row, dtype=np.float32), FRAME) for row in channels])
    loud = db > (db.max(axis=1, keepdims=True) - SPEECH_TOP_DB)
    result = []
    for own, other in ((0, 1), (1, 0)):
        difference = db[own] - db[other]
        reference = loud[other]
        gain = float(np.percentile(difference[reference], BLEED_PERCENTILE)) if reference.any() else -np.inf
        speaking = loud[own] & (difference > gain + margin_db)
        result.append(_mask_intervals(speaking, bridge))
    return result


def _mask_intervals(mask: np.ndarray, bridge: float) -> list[Interval]:
    """Frame mask (hop HOP) to intervals in seconds: gaps under ``bridge`` closed, blips under MIN_TALK_S dropped."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    spans = [(a * HOP / SAMPLE_RATE, b * HOP / SAMPLE_RATE) for a, b in zip(edges[::2], edges[1::2])]
    return [(a, b) for a, b in _gaps_closed(spans, bridge) if b - a >= MIN_TALK_S]


def channel_overlaps(channels: np.ndarray, min_duration: float = MIN_OVERLAP) -> list[Interval]:
    """Cross-talk between the two channels of a stereo call, from the sound on each."""
    if channels.shape[0] != 2:
        return []
    return overlaps(speech_intervals(channels[0]), speech_intervals(channels[1]), min_duration)


def word_intervals(words: Sequence[TimedToken], bridge: float = 0.3) -> list[Interval]:
    """Stretches of talk from word timings, words closer than ``bridge`` joined."""
    return _gaps_closed([(w.start, w.end) for w in words], bridge)


def find_fillers(words: Sequence[str]) -> list[str]:
    """Filler words and phrases in order ("um", "you know")."""
    tokens = [re.sub(r"[^\w']", "", w.lower()) for w in words]
    found, i = [], 0
    while i < len(tokens):
        if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) in FILLER_PAIRS:
            found.append(f"{tokens[i]} {tokens[i + 1]}")
            i += 2
            continue
        if tokens[i] in FILLERS:
            found.append(tokens[i])
        i += 1
    return found


def timed_words(words: Sequence[TimedToken]) -> list[TimedWord]:
    """Words as scoring's ``TimedWord`` (stripped of Whisper's leading space)."""
    return [TimedWord(word=w.word.strip(), start=float(w.start), end=float(w.end)) for w in words]


def _gaps(intervals: Sequence[Interval], min_gap: float) -> list[Interval]:
    ordered = sorted(intervals)
    return [(a_end, b_start) for (_, a_end), (b_start, _) in zip(ordered, ordered[1:]) if b_start - a_end >= min_gap]


def _gaps_closed(intervals: Sequence[Interval], bridge: float) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a - merged[-1][1] < bridge:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _frame_db(samples: np.ndarray, frame: int) -> np.ndarray:
    rms = librosa.feature.rms(y=samples, frame_length=frame, hop_length=HOP)[0]
    return 20 * np.log10(np.maximum(rms, 1e-10))


def _pitch(samples: np.ndarray, tracker: str) -> tuple[float, float, float] | None:
    """(median Hz, 10th-90th percentile range in semitones, robust spread in semitones) over voiced frames.

    The spread is 1.4826 x the median absolute deviation, a standard deviation that
    YIN's occasional octave errors cannot inflate.
    """
    if tracker == "pyin":
        f0, voiced, _ = librosa.pyin(samples, fmin=FMIN, fmax=FMAX, sr=SAMPLE_RATE, frame_length=PITCH_FRAME, hop_length=HOP)
        f0 = f0[voiced & np.isfinite(f0)]
    else:
        f0 = librosa.yin(samples, fmin=FMIN, fmax=FMAX, sr=SAMPLE_RATE, frame_length=PITCH_FRAME, hop_length=HOP)
        level = _frame_db(samples, PITCH_FRAME)[: len(f0)]
        crossings = librosa.feature.zero_crossing_rate(samples, frame_length=PITCH_FRAME, hop_length=HOP)[0][: len(f0)]
        # YIN answers every frame: keep loud, tonal (few zero crossings) frames not pinned to a search bound.
        keep = (level > level.max() - 25) & (crossings < 0.2) & (f0 > FMIN * 1.05) & (f0 < FMAX * 0.95)
        f0 = f0[keep]
    if f0.size < 10:
        return None
    median = float(np.median(f0))
    semitones = 12 * np.log2(f0 / median)
    p10, p90 = np.percentile(semitones, [10, 90])
    return median, float(p90 - p10), float(1.4826 * np.median(np.abs(semitones)))


def _loudness(samples: np.ndarray) -> tuple[float, float] | None:
    """(RMS level of the speech frames in dBFS, 5th-95th percentile spread of frame levels in dB)."""
    level = _frame_db(samples, FRAME)
    speech = level[level > level.max() - SPEECH_TOP_DB]
    if speech.size == 0:
        return None
    power = np.mean(10 ** (speech / 10))
    p5, p95 = np.percentile(speech, [5, 95])
    return float(10 * np.log10(power)), float(p95 - p5)
