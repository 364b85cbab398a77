"""Who said what: one speaker per channel on stereo calls, voice clustering over sentences on mono ones.

The agent is the side that greets, names the company and offers help (contact-center openings and
closings), with who spoke first and talk share as tie-breakers.
"""
from __future__ import annotations

import itertools
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
from coach.speech.voice import channel_activity

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
# One espeak-ng reader split in two by k-means: clusters under 0.8 semitones apart in pitch, MFCC Fisher ratio up
# to 1.7; two voices: 4.5 semitones (en-us+m3 -p35 / en-gb+f3 -p65) or 12.9 semitones and Fisher 2.6 (en-us / en+f3).
PITCH_GAP_ST = 2.5
FISHER_MIN = 2.2
ONE_VOICE_NOTE = "one voice detected"
TURN_GAP = 0.8  # seconds of silence inside a Whisper segment that can mean the other speaker took over


class SpeakerError(ValueError):
    """The agent channel setting is not one we understand."""


@dataclass(frozen=True)
class Attribution:
    segments: list[CallSegment]
    agent_channel: str  # "left" | "right" | "mono"
    guessed: bool
    speakers: int = 2
    confidence: float = 1.0  # how sure the speaker split (or the single voice) is, 0-1
    note: str = ""


@dataclass(frozen=True)
class VoiceClusters:
    """Two-way clustering of sentence units by voice, and whether the two clusters are really two people."""

    labels: np.ndarray
    separation: float  # >= 1 means two voices: the larger of pitch gap / PITCH_GAP_ST and MFCC Fisher ratio / FISHER_MIN

    @property
    def speakers(self) -> int:
        return 2 if self.separation >= 1.0 else 1

    @property
    def confidence(self) -> float:
        """Near 1 far from the one-or-two boundary, 0.5 on it."""
        return round(0.5 + 0.5 * float(np.tanh(2 * abs(np.log(max(self.separation, 1e-6))))), 2)


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
    """Drop words said where their channel's own speaker is silent: Whisper invents polite phrases ("thank you")
    in silence, and transcribes the other side's bleed."""
    heard = channel_activity(channels)
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
    """Split into sentence units, cluster their voices in two, and call the agent-like cluster the agent; when
    the two clusters are one voice, every unit is the agent's and the result says so instead of inventing a customer."""
    units = [unit for s in segments for unit in sentence_units(s.words)]
    if not units:
        return Attribution([], "mono", True, speakers=1, confidence=0.0, note=ONE_VOICE_NOTE)
    clusters = cluster_voices(samples, units, random_state) if len(units) >= 2 else VoiceClusters(np.zeros(1, dtype=int), 0.0)
    if clusters.speakers == 1:
        labelled = [_call_segment(u[0].start, u[-1].end, u, AGENT, 0) for u in units]
        confidence = clusters.confidence if len(units) >= 2 else 0.5
        return Attribution(labelled, "mono", True, speakers=1, confidence=confidence, note=ONE_VOICE_NOTE)
    agent_label = _agent_cluster(units, clusters.labels)
    labelled = [_call_segment(u[0].start, u[-1].end, u, AGENT if label == agent_label else CUSTOMER, 0)
                for u, label in zip(units, clusters.labels)]
    return Attribution(labelled, "mono", True, speakers=2, confidence=clusters.confidence)


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


def cluster_voices(samples: np.ndarray, units: list[list], random_state: int = 0) -> VoiceClusters:
    """Two clusters over the units' voice features (k-means on standardised features), with their separation.

    Only units long enough to carry a voice shape the clusters; the short ones ("yes", "okay") join the nearest.
    """
    features = np.nan_to_num(np.vstack([voice_features(samples, u[0].start, u[-1].end) for u in units]))
    long_enough = np.array([u[-1].end - u[0].start >= MIN_CLUSTER_SECONDS for u in units])
    if long_enough.sum() < 2:
        long_enough[:] = True
    return cluster_features(features, long_enough, random_state)


def cluster_features(features: np.ndarray, fitted: np.ndarray | None = None, random_state: int = 0) -> VoiceClusters:
    """k-means in two over rows of ``voice_features``, fitted on the ``fitted`` rows; see ``VoiceClusters``."""
    fitted = np.ones(len(features), dtype=bool) if fitted is None else fitted
    scaler = StandardScaler().fit(features[fitted])
    scaled = np.nan_to_num(scaler.transform(features)) * FEATURE_WEIGHTS
    model = KMeans(n_clusters=2, n_init=10, random_state=random_state).fit(scaled[fitted])
    labels = model.predict(scaled)
    return VoiceClusters(labels, voice_separation(features[fitted], labels[fitted]))


def voice_separation(features: np.ndarray, labels: np.ndarray) -> float:
    """How far apart two clusters of units are as voices, in units of the two-voice thresholds (>= 1: two)."""
    if len(set(labels.tolist())) < 2:
        return 0.0
    groups = [features[labels == k] for k in (0, 1)]
    semitones = [12 * g[:, -1] / np.log(2) for g in groups]
    pitch_gap = abs(float(np.median(semitones[0]) - np.median(semitones[1])))
    means = [g[:, :12] for g in groups]  # MFCC 1-12 means: the vocal tract, in their own (log-energy) scale
    centres = [m.mean(axis=0) for m in means]
    if len(features) < 3:
        return 0.0
    within = np.sqrt(sum(((m - c) ** 2).sum() for m, c in zip(means, centres)) / (len(features) - 2))
    fisher = float(np.linalg.norm(centres[0] - centres[1]) / within) if within > 0 else 0.0
    return max(pitch_gap / PITCH_GAP_ST, fisher / FISHER_MIN)


def diarisation_error_rate(reference: Sequence[tuple[str, float, float]], hypothesis: Sequence[tuple[str, float, float]],
                           step: float = 0.01) -> float:
    """DER over 10 ms frames: (missed + false alarm + speaker confusion) / reference speech, with the hypothesis'
    speaker names mapped onto the reference's in the way that fits best."""
    end = max((e for _, _, e in [*reference, *hypothesis]), default=0.0)
    frames = int(np.ceil(end / step)) + 1
    ref_names, hyp_names = sorted({n for n, _, _ in reference}), sorted({n for n, _, _ in hypothesis})
    ref, hyp = _frame_labels(reference, ref_names, frames, step), _frame_labels(hypothesis, hyp_names, frames, step)
    speech = int((ref >= 0).sum())
    if not speech:
        return 0.0
    missed_or_false = int(((ref >= 0) & (hyp < 0)).sum() + ((ref < 0) & (hyp >= 0)).sum())
    both = (ref >= 0) & (hyp >= 0)
    slots = max(len(ref_names), len(hyp_names))
    confusion = min((int((np.array(mapping)[hyp[both]] != ref[both]).sum())
                     for mapping in itertools.permutations(range(slots), len(hyp_names))), default=0)
    return round((missed_or_false + confusion) / speech, 4)


def _frame_labels(spans: Sequence[tuple[str, float, float]], names: list[str], frames: int, step: float) -> np.ndarray:
    labels = np.full(frames, -1)
    for name, a, b in spans:
        labels[int(round(a / step)): int(round(b / step))] = names.index(name)
    return labels


def _agent_cluster(units: list[list], labels: np.ndarray) -> int:
    score = {}
    for label in set(labels.tolist()):
        texts = [" ".join(w.word for w in u) for u, lab in zip(units, labels) if lab == label]
        score[label] = 2 * agent_likeness(texts) + (1 if labels[0] == label else 0)
    return max(score, key=lambda label: (score[label], -label))


def _call_segment(start: float, end: float, words: Sequence, speaker: str, channel: int) -> CallSegment:
    timed = [CallWord(w.word.strip(), float(w.start), float(w.end), float(getattr(w, "probability", 1.0)))
             for w in words if w.word.strip()]
    return CallSegment(float(start), float(end), speaker, segment_text(timed), timed, channel)


def _talk_seconds(segments: Sequence[Segment]) -> float:
    return sum(w.end - w.start for s in segments for w in s.words)
