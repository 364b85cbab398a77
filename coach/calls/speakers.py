"""Who said what: one speaker per channel on stereo calls, voice clustering over sentences on mono ones.

The agent is the side that greets, names the company and offers help (contact-center openings and
closings), with who spoke first and talk share as tie-breakers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import librosa
import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

from coach.calls.transcript import AGENT, CUSTOMER, CallSegment, CallWord, segment_text
from coach.speech.audio import SAMPLE_RATE
from coach.speech.engines import Segment, Transcript
from coach.speech.voice import speech_intervals

CHANNEL_NAMES = ("left", "right")
AGENT_CHANNEL_CHOICES = ("auto", "left", "right")
AGENT_PHRASES = re.compile(
    r"\b(thanks? (you )?for (calling|contacting|holding|waiting|your patience)|you(\'ve| have) (reached|called)|"
    r"welcome to|my name is|this is \w+ (from|at|with|speaking)|speaking[,.]? how|how (can|may|might) i (help|assist)|"
    r"customer (service|support|care)|(help|support) (desk|team)|is there anything else|"
    r"have a (great|nice|good|lovely) (day|evening|afternoon|weekend)|let me (check|look|see|pull)|"
    r"i(\'ll| will) (check|look|send|process|arrange)|can i (take|have|get) your)\b",
    re.IGNORECASE,
)
SENTENCE_END = (".", "?", "!")
MIN_UNIT_SECONDS = 0.25
MIN_CLUSTER_SECONDS = 0.8
# 24 correlated MFCC statistics would drown the pitch, the strongest single cue between two voices
FEATURE_WEIGHTS = np.concatenate([np.ones(24), [4.0]])
TURN_GAP = 0.8  # seconds of silence inside a Whisper segment that can mean the other speaker took over


class SpeakerError(ValueError):
    """The agent channel setting is not one we understand."""


@dataclass(frozen=True)
class Attribution:
    segments: list[CallSegment]
    agent_channel: str  # "left" | "right" | "mono"
    guessed: bool


def agent_likeness(texts: Sequence[str]) -> int:
    """How many agent phrases (greeting, company, offers of help, closing) the texts hold."""
    return sum(len(AGENT_PHRASES.findall(text)) for text in texts)


def attribute(transcript: Transcript, samples: np.ndarray, agent_channel: str = "auto") -> Attribution:
    """Label every segment agent or customer; ``samples`` is (channels, n) at 16 kHz."""
    if agent_channel not in AGENT_CHANNEL_CHOICES:
        raise SpeakerError(f"agent channel {agent_channel!r}: choose one of {', '.join(AGENT_CHANNEL_CHOICES)}")
    if samples.shape[0] == 2:
        return attribute_stereo(heard_only(transcript.segments, samples), agent_channel)
    return attribute_mono(heard_only(transcript.segments, samples), samples[0])


def attribute_stereo(segments: Sequence[Segment], agent_channel: str = "auto") -> Attribution:
    """Each channel is one speaker; the agent's is the one given, or guessed."""
    guessed = agent_channel == "auto"
    agent = guess_agent_channel(segments) if guessed else CHANNEL_NAMES.index(agent_channel)
    labelled = [_call_segment(s.start, s.end, s.words, AGENT if s.channel == agent else CUSTOMER, s.channel)
                for s in segments if s.words]
    return Attribution(sorted(labelled, key=lambda s: s.start), CHANNEL_NAMES[agent], guessed)


def heard_only(segments: Sequence[Segment], channels: np.ndarray, tolerance: float = 0.2) -> list[Segment]:
    """Drop words said where their channel is silent: Whisper invents polite phrases ("thank you") in silence."""
    heard = [speech_intervals(row) for row in channels]
    kept = []
    for segment in segments:
        spans = heard[segment.channel]
        words = [w for w in segment.words if any(a - tolerance < w.end and w.start < b + tolerance for a, b in spans)]
        if words:
            kept.append(Segment(segment.start, segment.end, " ".join(w.word.strip() for w in words), words, segment.channel))
    return kept


def guess_agent_channel(segments: Sequence[Segment]) -> int:
    """0 (left) or 1 (right): agent phrases count most, then who spoke first, then who talked more."""
    score = [0.0, 0.0]
    for channel in (0, 1):
        own = [s for s in segments if s.channel == channel]
        score[channel] += 2 * agent_likeness([s.text for s in own])
        score[channel] += _talk_seconds(own) / max(1e-9, _talk_seconds(segments))
    spoken = [s for s in segments if s.text.strip()]
    if spoken:
        score[min(spoken, key=lambda s: s.start).channel] += 1
    return 0 if score[0] >= score[1] else 1


def attribute_mono(segments: Sequence[Segment], samples: np.ndarray, random_state: int = 0) -> Attribution:
    """Split into sentence units, cluster their voices in two, and call the agent-like cluster the agent."""
    units = [unit for s in segments for unit in sentence_units(s.words)]
    if not units:
        return Attribution([], "mono", True)
    labels = cluster_voices(samples, units, random_state) if len(units) >= 2 else np.zeros(len(units), dtype=int)
    agent_label = _agent_cluster(units, labels)
    labelled = [_call_segment(u[0].start, u[-1].end, u, AGENT if label == agent_label else CUSTOMER, 0)
                for u, label in zip(units, labels)]
    return Attribution(labelled, "mono", True)


def sentence_units(words: Sequence) -> list[list]:
    """A Whisper segment cut at sentence ends and long pauses: the pieces one speaker most likely said whole."""
    units, current = [], []
    for word in words:
        if current and word.start - current[-1].end > TURN_GAP:
            units.append(current)
            current = []
        current.append(word)
        if word.word.strip().endswith(SENTENCE_END):
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def voice_features(samples: np.ndarray, start: float, end: float) -> np.ndarray:
    """MFCC means and spreads plus median pitch (log Hz) of one stretch of speech."""
    span = samples[int(start * SAMPLE_RATE): max(int(end * SAMPLE_RATE), int(start * SAMPLE_RATE) + int(MIN_UNIT_SECONDS * SAMPLE_RATE))]
    if span.size < 1024:
        span = np.pad(span, (0, 1024 - span.size))
    mfcc = librosa.feature.mfcc(y=span, sr=SAMPLE_RATE, n_mfcc=13, n_fft=512, hop_length=160)
    f0 = librosa.yin(span, fmin=65, fmax=400, sr=SAMPLE_RATE, frame_length=1024, hop_length=160)
    rms = librosa.feature.rms(y=span, frame_length=1024, hop_length=160)[0][: len(f0)]
    voiced = f0[(rms > rms.max() * 0.1) & (f0 > 70) & (f0 < 390)] if rms.size else f0
    pitch = np.log(np.median(voiced)) if voiced.size else np.log(150.0)
    return np.concatenate([mfcc[1:].mean(axis=1), mfcc[1:].std(axis=1), [pitch]])


def cluster_voices(samples: np.ndarray, units: list[list], random_state: int = 0) -> np.ndarray:
    """Two clusters over the units' voice features (k-means on standardised features).

    Only units long enough to carry a voice shape the clusters; the short ones ("yes", "okay") join the nearest.
    """
    features = np.nan_to_num(np.vstack([voice_features(samples, u[0].start, u[-1].end) for u in units]))
    long_enough = np.array([u[-1].end - u[0].start >= MIN_CLUSTER_SECONDS for u in units])
    if long_enough.sum() < 2:
        long_enough[:] = True
    scaler = StandardScaler().fit(features[long_enough])
    scaled = scaler.transform(features) * FEATURE_WEIGHTS
    model = KMeans(n_clusters=2, n_init=10, random_state=random_state).fit(scaled[long_enough])
    return model.predict(scaled)


def _agent_cluster(units: list[list], labels: np.ndarray) -> int:
    score = {}
    for label in set(labels.tolist()):
        texts = [" ".join(w.word for w in u) for u, lab in zip(units, labels) if lab == label]
        score[label] = 2 * agent_likeness(texts) + (1 if labels[0] == label else 0)
    return max(score, key=lambda label: (score[label], -label))


def _call_segment(start: float, end: float, words: Sequence, speaker: str, channel: int) -> CallSegment:
    timed = [CallWord(w.word.strip(), float(w.start), float(w.end)) for w in words if w.word.strip()]
    return CallSegment(float(start), float(end), speaker, segment_text(timed), timed, channel)


def _talk_seconds(segments: Sequence[Segment]) -> float:
    return sum(w.end - w.start for s in segments for w in s.words)
