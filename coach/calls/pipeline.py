"""The first pass over a call, in order: decode → transcribe → who said what → redact → metrics →
checklist → scores. The same function serves ``coach score-call`` and the call job."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from coach.calls.checklist import tick_checklist
from coach.calls.metrics import CallMetrics, measure_call
from coach.calls.redaction import Redaction, redact_segments, write_bleeped
from coach.calls.speakers import CHANNEL_NAMES, attribute
from coach.calls.transcript import AGENT, CUSTOMER, CallSegment
from coach.config import Settings
from coach.speech.audio import SAMPLE_RATE, decode_audio
from coach.speech.engines import Engine, get_engine, transcribe_channels
from coach.speech.model_install import resolve_model
from scoring import CallTurn, Rubric, Scorecard, TimedWord, load_jargon_lexicon, load_rubric, score_call

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

    def to_dict(self) -> dict:
        card = self.scorecard
        return {
            "duration": round(self.duration, 2),
            "agent_channel": self.agent_channel,
            "segments": [s.to_dict() for s in self.segments],
            "scores": dict(card.scores),
            "overall": card.overall,
            "checklist": {item: dict(value) for item, value in self.checklist.items()},
            "metrics": self.metrics.to_dict(),
            "redactions": [r.to_dict() for r in self.redactions],
            "bands": dict(card.bands),
            "band_labels": dict(card.band_labels),
            "evidence": [moment(e) for e in card.evidence],
            "tips": dict(card.tips),
            "rubric": card.rubric,
            "auto_fail": list(card.auto_fail),
            "agent_channel_guessed": self.agent_channel_guessed,
            "channels": self.channels,
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
    audio = decode_audio(path, max_seconds=settings.max_audio_minutes * 60)
    report(DECODED, "transcribing 0%")
    engine = engine or engine_for(settings)

    def transcribing(fraction: float) -> None:
        report(DECODED + (TRANSCRIBED - DECODED) * fraction, f"transcribing {int(round(100 * fraction))}%")

    transcript = transcribe_channels(engine, audio, transcribing)
    report(TRANSCRIBED, "scoring")
    attribution = attribute(transcript, audio.channels, agent_channel)
    segments, redactions = redact_segments(attribution.segments)
    if bleeped_path is not None and redactions:
        write_bleeped(audio.channels, redactions, SAMPLE_RATE, Path(bleeped_path))
    agent_index = CHANNEL_NAMES.index(attribution.agent_channel) if attribution.agent_channel in CHANNEL_NAMES else None
    metrics = measure_call(segments, audio.channels, agent_index, settings.dead_air_seconds)
    result = CallResult(
        duration=audio.duration,
        agent_channel=attribution.agent_channel,
        agent_channel_guessed=attribution.guessed,
        channels=audio.n_channels,
        segments=segments,
        scorecard=score_segments(segments, settings, rubric),
        checklist=tick_checklist(segments, audio.duration),
        metrics=metrics,
        redactions=redactions,
        waveform=waveform_peaks(audio.channels),
    )
    report(1.0, "scoring")
    return result


def engine_for(settings: Settings) -> Engine:
    """The process-wide Whisper engine the settings name (loaded once per process)."""
    model = resolve_model(settings.whisper_model, settings.asr_engine, settings.instance_dir)
    return get_engine(settings.asr_engine, model, settings.language)


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
    folder = Path(settings.instance_dir) / "models" / "scoring"
    models = folder if (folder / "reply_model.joblib").is_file() else None
    return score_call(agent_turns(segments), rubric or load_rubric(settings.rubric), lexicon=lexicon, models=models)


def moment(evidence) -> dict:
    """Evidence as a moment of the call: seconds, not character offsets."""
    return {"dimension": evidence.dimension, "effect": evidence.effect, "reason": evidence.reason, "text": evidence.text,
            "start": evidence.start_s, "end": evidence.end_s}


def waveform_peaks(channels: np.ndarray, bins: int = WAVEFORM_BINS) -> dict:
    """Peak level per bin and channel, for drawing the waveform without sending the audio twice."""
    n = channels.shape[1]
    bins = max(1, min(bins, n // 160))
    usable = (n // bins) * bins
    peaks = np.abs(channels[:, :usable]).reshape(channels.shape[0], bins, -1).max(axis=2)
    top = float(peaks.max()) or 1.0
    return {"seconds_per_bin": round(usable / bins / SAMPLE_RATE, 4),
            "channels": [[round(float(v) / top, 3) for v in row] for row in peaks]}
