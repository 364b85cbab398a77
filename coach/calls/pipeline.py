"""The first pass over a call, in order: decode → transcribe → who said what → redact → metrics →
checklist → scores. The same function serves ``coach score-call`` and the call job."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

import scoring

from coach.calls.checklist import tick_checklist
from coach.calls.metrics import CallMetrics, measure_call, talk_seconds
from coach.calls.quality import AsrQuality, asr_quality, rests_on_guesses
from coach.calls.redaction import Redaction, redact_segments, write_bleeped
from coach.calls.speakers import CHANNEL_NAMES, attribute
from coach.calls.transcript import AGENT, CUSTOMER, CallSegment
from coach.config import Settings
from coach.speech.audio import SAMPLE_RATE, decode_audio
from coach.speech.engines import Engine, get_engine, transcribe_channels
from coach.speech.model_install import installed_model, resolve_model
from coach.speech.voice import as_heard
from scoring import CallTurn, Rubric, Scorecard, TimedWord, load_jargon_lexicon, load_rubric, score_call

log = logging.getLogger(__name__)
Progress = Callable[[float, str], None]
WAVEFORM_BINS = 1600
# share of the progress bar each stage takes: decoding is quick, transcription is most of the work
DECODED, TRANSCRIBED = 0.05, 0.9


@dataclass
class CallResult:
    """Everything the first pass found; ``to_dict()`` is the ``coach score-call --json`` object."""

    duration: float
    agent_channel: str
    agent_channel_guessed: bool
    channels: int
    segments: list[CallSegment]
    scorecard: Scorecard
    checklist: dict[str, dict]
    metrics: CallMetrics
    redactions: list[Redaction]
    waveform: dict = field(default_factory=dict)
    treated_as: str = "stereo"  # "mono" too for a stereo file whose two channels carry the same signal
    speakers: int = 2
    speaker_confidence: float = 1.0
    notes: list[str] = field(default_factory=list)
    quality: AsrQuality | None = None
    scoring_models: str = ""  # which learned models scored it (``scoring_models_version``), to spot a model change

    def to_dict(self) -> dict:
        card = self.scorecard
        return {
            "duration": round(self.duration, 2),
            "agent_channel": self.agent_channel,
            "segments": [s.to_dict() for s in self.segments],
            "scores": dict(card.scores),
            "overall": card.overall,
            "resolution": dict(card.resolution) if card.resolution else None,
            "checklist": {item: dict(value) for item, value in self.checklist.items()},
            "metrics": self.metrics.to_dict(),
            "redactions": [r.to_dict() for r in self.redactions],
            "bands": dict(card.bands),
            "band_labels": dict(card.band_labels),
            "evidence": [moment(e, self.segments) for e in card.evidence],
            "tips": dict(card.tips),
            "rubric": card.rubric,
            "scoring_models": self.scoring_models,
            "auto_fail": list(card.auto_fail),
            "agent_channel_guessed": self.agent_channel_guessed,
            "channels": self.channels,
            "treated_as": self.treated_as,
            "speakers": self.speakers,
            "speaker_confidence": self.speaker_confidence,
            "notes": list(self.notes),
            "asr_quality": self.quality.to_dict() if self.quality else None,
            "needs_human_review": bool(self.quality and self.quality.needs_human_review),
            "waveform": self.waveform,
        }


def first_pass(path: Path | str, agent_channel: str = "auto", engine: Engine | None = None,
               settings: Settings | None = None, progress: Progress | None = None,
               bleeped_path: Path | None = None, rubric: Rubric | None = None) -> CallResult:
    """Run the whole first pass on the recording at ``path`` (never modified; work happens on a decoded copy).

    ``rubric`` is the agent's (their team's); the site rubric (``settings.rubric``) when left out.

    Raises ``AudioError`` for recordings that cannot be used and ``SpeakerError`` for a bad agent channel.
    """
    settings = settings or Settings().with_defaults()
    report = progress or (lambda fraction, stage: None)
    report(0.0, "decoding")
    decoded = decode_audio(path, max_seconds=settings.max_audio_minutes * 60)
    audio, treated_as = as_heard(decoded)
    report(DECODED, "transcribing")
    engine = engine or engine_for(settings)

    def transcribing(fraction: float) -> None:
        report(DECODED + (TRANSCRIBED - DECODED) * fraction, "transcribing")  # the job's progress is the one figure

    transcript = transcribe_channels(engine, audio, transcribing)
    report(TRANSCRIBED, "scoring")
    attribution = attribute(transcript, audio.channels, agent_channel)
    segments, redactions = redact_segments(attribution.segments)
    if bleeped_path is not None and redactions:
        write_bleeped(audio.channels, redactions, SAMPLE_RATE, Path(bleeped_path))
    speaker_count = 2 if treated_as == "stereo" else attribution.speakers
    agent_index = CHANNEL_NAMES.index(attribution.agent_channel) if attribution.agent_channel in CHANNEL_NAMES else None
    metrics = measure_call(segments, audio.channels, agent_index, settings.dead_air_seconds)
    result = CallResult(
        duration=audio.duration,
        agent_channel=attribution.agent_channel,
        agent_channel_guessed=attribution.guessed,
        channels=decoded.n_channels,
        segments=segments,
        scorecard=score_segments(segments, settings, rubric),
        checklist=tick_checklist(segments, audio.duration),
        metrics=metrics,
        redactions=redactions,
        waveform=waveform_peaks(audio.channels),
        treated_as=treated_as,
        speakers=speaker_count,
        speaker_confidence=attribution.confidence,
        notes=[attribution.note] if attribution.note and treated_as == "mono" else [],
        quality=asr_quality(segments, metrics, talk_seconds(segments, audio.channels, agent_index),
                            settings.review_confidence),
        scoring_models=scoring_models_version(settings),
    )
    report(1.0, "scoring")
    return result


def engine_for(settings: Settings) -> Engine:
    """The process-wide Whisper engine for calls (loaded once per process)."""
    model = resolve_model(call_model(settings), settings.asr_engine, settings.instance_dir)
    return get_engine(settings.asr_engine, model, settings.language)


def call_model(settings: Settings) -> str:
    """``COACH_CALL_WHISPER_MODEL`` when it is installed (or a local path), else ``COACH_WHISPER_MODEL``: nothing
    is downloaded or installed while a call is processed."""
    wanted = settings.call_whisper_model
    if wanted == settings.whisper_model or Path(wanted).expanduser().exists() \
            or installed_model(wanted, settings.instance_dir) is not None:
        return wanted
    log.warning("call model %r is not installed; transcribing calls with %r instead (install it with: "
                "COACH_WHISPER_MODEL=%s coach init, or coach models install %s)",
                wanted, settings.whisper_model, wanted, wanted)
    return settings.whisper_model


def agent_turns(segments: list[CallSegment]) -> list[CallTurn]:
    """The agent's turns (consecutive agent segments), each with what the customer said just before."""
    turns, context, current = [], [], []

    def close() -> None:
        if current:
            words = [TimedWord(w.word, w.start, w.end) for s in current for w in s.words]
            turns.append(CallTurn(" ".join(s.text for s in current), " ".join(context), current[0].start, current[-1].end, words))

    for segment in sorted(segments, key=lambda s: s.start):
        if segment.speaker == AGENT:
            current.append(segment)
        elif segment.speaker == CUSTOMER:
            if current:
                close()
                current, context = [], []
            context.append(segment.text)
    close()
    return turns


def score_segments(segments: list[CallSegment], settings: Settings, rubric: Rubric | None = None) -> Scorecard:
    """The five rubric scores for the agent over the call (organisation models when refitted), weighted by
    ``rubric``, else the site rubric."""
    lexicon = load_jargon_lexicon(settings.jargon_lexicon) if settings.jargon_lexicon else None
    return score_call(agent_turns(segments), rubric or load_rubric(settings.rubric), lexicon=lexicon,
                      models=_organisation_models(settings))


def _organisation_models(settings: Settings) -> Path | None:
    folder = Path(settings.instance_dir) / "models" / "scoring"
    return folder if (folder / "reply_model.joblib").is_file() else None


def scoring_models_version(settings: Settings) -> str:
    """The learned scoring models in use, named by a hash of their content: refitting or upgrading them changes it."""
    folder = _organisation_models(settings)
    path = folder / "reply_model.joblib" if folder else Path(scoring.__file__).parent / "trained" / "meta.json"
    return f"{'organisation' if folder else 'shipped'}-{hashlib.sha256(path.read_bytes()).hexdigest()[:10]}"


def moment(evidence, segments: list[CallSegment] | None = None) -> dict:
    """Evidence as a moment of the call: seconds, not character offsets; ``low_confidence`` when a word it
    covers is one Whisper was unsure of."""
    words = [w for s in segments or [] if s.speaker == AGENT for w in s.words]
    return {"dimension": evidence.dimension, "code": evidence.code, "effect": evidence.effect, "reason": evidence.reason,
            "text": evidence.text, "start": evidence.start_s, "end": evidence.end_s,
            "low_confidence": rests_on_guesses(evidence.start_s, evidence.end_s, words)}


def waveform_peaks(channels: np.ndarray, bins: int = WAVEFORM_BINS) -> dict:
    """Peak level per bin and channel, for drawing the waveform without sending the audio twice."""
    n = channels.shape[1]
    bins = max(1, min(bins, n // 160))
    usable = (n // bins) * bins
    peaks = np.abs(channels[:, :usable]).reshape(channels.shape[0], bins, -1).max(axis=2)
    top = float(peaks.max()) or 1.0
    return {"seconds_per_bin": round(usable / bins / SAMPLE_RATE, 4),
            "channels": [[round(float(v) / top, 3) for v in row] for row in peaks]}
