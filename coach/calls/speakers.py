"""Who said what: one speaker per channel on stereo calls, voice clustering over sentences on mono ones.

On mono calls each sentence unit gets a voice embedding (``coach.calls.voice_embedding``, a speaker encoder
trained on thousands of real voices) and its median pitch; k-means splits the units in two, and the two clusters
count as two people when their embeddings differ enough or their pitch is far enough apart.

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

from coach.calls.transcript import AGENT, CUSTOMER, CallSegment, CallWord, segment_text
from coach.calls.voice_embedding import embed_voices
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
# Centroid cosine of two clusters of units: the same real reader across two recordings 0.82, two different real
# readers 0.47-0.61 (benchmarks/data/real_speech). espeak-ng voices all sound alike to the encoder (0.67-0.93), so
# pitch decides there, but only where each voice's own pitch is steady: a real reader's sentences differ by up to
# 6 semitones, one espeak-ng reader's by under 1, two espeak-ng voices by 4.5 (en-us+m3 -p35 / en-gb+f3 -p65) or
# 12.9 semitones (en-us / en+f3).
SAME_VOICE_COSINE = 0.70
PITCH_GAP_ST = 2.5
PITCH_GAP_SPREADS = 3.5  # the gap must also be this many times the voices' own spread of pitch (pooled SD)
MIN_PITCH_SPREAD_ST = 0.3
PITCH_WEIGHT = 2.0  # per octave, beside unit-length embeddings, in the clustering space
ONE_VOICE_NOTE = "one voice detected"
TURN_GAP = 0.5  # seconds of silence inside a Whisper segment that can mean the other speaker took over


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
    separation: float  # >= 1 means two voices: see ``voice_separation``

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


def unit_voices(samples: np.ndarray, units: list[list]) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's voice embedding and median pitch (in octaves above 55 Hz)."""
    stretches = [_stretch(samples, u[0].start, u[-1].end) for u in units]
    return embed_voices(stretches), np.array([_pitch_octaves(stretch) for stretch in stretches])


def cluster_voices(samples: np.ndarray, units: list[list], random_state: int = 0) -> VoiceClusters:
    """Two clusters over the units' voices, with their separation.

    Only units long enough to carry a voice shape the clusters; the short ones ("yes", "okay") join the nearest.
    """
    embeddings, pitch = unit_voices(samples, units)
    long_enough = np.array([u[-1].end - u[0].start >= MIN_CLUSTER_SECONDS for u in units])
    if long_enough.sum() < 2:
        long_enough[:] = True
    return cluster_features(embeddings, pitch, long_enough, random_state)


def cluster_features(embeddings: np.ndarray, pitch: np.ndarray, fitted: np.ndarray | None = None,
                     random_state: int = 0) -> VoiceClusters:
    """k-means in two over (embedding, weighted pitch), fitted on the ``fitted`` rows; see ``VoiceClusters``."""
    fitted = np.ones(len(embeddings), dtype=bool) if fitted is None else fitted
    space = np.hstack([embeddings, PITCH_WEIGHT * pitch[:, None]])
    model = KMeans(n_clusters=2, n_init=10, random_state=random_state).fit(space[fitted])
    labels = model.predict(space)
    return VoiceClusters(labels, voice_separation(embeddings[fitted], pitch[fitted], labels[fitted]))


def voice_separation(embeddings: np.ndarray, pitch: np.ndarray, labels: np.ndarray) -> float:
    """How far apart two clusters of units are as voices, in units of the two-voice thresholds (>= 1: two): the
    larger of the embeddings' distance, (1 - cosine) / (1 - SAME_VOICE_COSINE), and the pitch gap over what it must
    be (PITCH_GAP_ST, and PITCH_GAP_SPREADS times the voices' own spread; pitch counts only with two units a side)."""
    if len(set(labels.tolist())) < 2:
        return 0.0
    centres = [embeddings[labels == k].mean(axis=0) for k in (0, 1)]
    cosine = float(centres[0] @ centres[1] / max(np.linalg.norm(centres[0]) * np.linalg.norm(centres[1]), 1e-9))
    by_voice = (1 - cosine) / (1 - SAME_VOICE_COSINE)
    sides = [12 * pitch[labels == k] for k in (0, 1)]
    if min(len(side) for side in sides) < 2:
        return by_voice
    gap = abs(float(np.median(sides[0]) - np.median(sides[1])))
    spread = max(float(np.sqrt(sum(((side - side.mean()) ** 2).sum() for side in sides) / (len(pitch) - 2))),
                 MIN_PITCH_SPREAD_ST)
    return max(by_voice, min(gap / PITCH_GAP_ST, gap / (PITCH_GAP_SPREADS * spread)))


def _stretch(samples: np.ndarray, start: float, end: float) -> np.ndarray:
    a = int(start * SAMPLE_RATE)
    return samples[a: max(int(end * SAMPLE_RATE), a + int(MIN_UNIT_SECONDS * SAMPLE_RATE))]


def _pitch_octaves(span: np.ndarray) -> float:
    """Median pitch of the voiced, loud frames, in octaves above 55 Hz (150 Hz when none is voiced)."""
    if span.size < 1024:
        span = np.pad(span, (0, 1024 - span.size))
    f0 = librosa.yin(span, fmin=65, fmax=400, sr=SAMPLE_RATE, frame_length=1024, hop_length=160)
    rms = librosa.feature.rms(y=span, frame_length=1024, hop_length=160)[0][: len(f0)]
    voiced = f0[(rms > rms.max() * 0.1) & (f0 > 70) & (f0 < 390)] if rms.size else f0
    return float(np.log2((np.median(voiced) if voiced.size else 150.0) / 55.0))


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
