"""The ``roleplay_reply`` job: a recorded role-play reply → words with times → voice features → scores → next turn.

The recording is only read, never changed, so a failed job can be retried, and the trainee can
type the reply instead.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from coach.config import Settings
from coach.jobs.runner import JobContext, JobFailed
from coach.models import Attempt, AttemptStatus, Recording
from coach.roleplay import practice
from coach.speech.audio import AudioError, DecodedAudio, decode_audio
from coach.speech.engines import Engine, EngineError, Transcript, get_engine, transcribe_channels
from coach.speech.model_install import resolve_model
from coach.speech.voice import measure_voice, timed_words
from scoring import TimedWord, VoiceFeatures

RETRY_HINT = practice.RECORD_AGAIN
UNREADABLE = f"We could not read this recording. {RETRY_HINT}"
log = logging.getLogger(__name__)


def handle_roleplay_reply(ctx: JobContext) -> dict:
    payload, session = ctx.job.payload, ctx.session
    attempt = session.get(Attempt, payload["attempt_id"])
    recording = session.get(Recording, payload["recording_id"])
    if attempt is None or recording is None:
        raise JobFailed("The attempt or its recording no longer exists.")
    check_still_waiting(attempt, payload["turn_index"])
    audio, transcript = transcribe_recording(ctx, recording)
    ctx.progress(0.9, "scoring")
    return answer_with(ctx, attempt, recording, audio.mono(), transcript)


def reply_engine(settings: Settings) -> Engine:
    """The process-wide engine for uploaded replies, with the configured model and beam."""
    return get_engine(settings.asr_engine, resolve_model(settings.whisper_model, settings.asr_engine, settings.instance_dir),
                      settings.language)


def transcribe_recording(ctx: JobContext, recording: Recording, engine_for: Callable[[Settings], Engine] = reply_engine
                         ) -> tuple[DecodedAudio, Transcript]:
    """A stored reply recording decoded (its length noted on the row) and transcribed by ``engine_for``'s
    engine, reporting progress."""
    settings = ctx.settings
    ctx.progress(0.05, "reading the recording")
    try:
        audio = decode_audio(settings.recordings_dir / recording.stored_name, max_seconds=practice.reply_seconds(settings))
    except AudioError as error:
        raise JobFailed(f"{error}. {RETRY_HINT}") from None
    except Exception:  # the trainee gets words to act on; the detail goes to the log
        log.exception("reading recording %s of job %s failed", recording.id, ctx.job.id)
        raise JobFailed(UNREADABLE) from None
    recording.duration_s, recording.channels = audio.duration, audio.n_channels
    ctx.session.add(recording)

    ctx.progress(0.15, "transcribing")
    try:
        engine = engine_for(settings)
    except EngineError as error:
        raise JobFailed(f"The speech model cannot be loaded ({error}); an administrator can run 'coach models install'. "
                        "Type your reply meanwhile.") from None
    transcript = transcribe_channels(engine, audio, lambda fraction: ctx.progress(0.15 + 0.7 * fraction, "transcribing"))
    return audio, transcript


@dataclass(frozen=True)
class SpokenReply:
    """What scoring reads from a transcribed reply: its text, timed words and voice features."""

    text: str
    words: list[TimedWord]
    voice: VoiceFeatures


def spoken_reply(samples, transcript: Transcript) -> SpokenReply:
    """The reply's words and voice; JobFailed when no words were heard."""
    text = transcript.text.strip()
    if not text:
        raise JobFailed(f"No words were heard in the recording. {RETRY_HINT}")
    words = transcript.words()
    return SpokenReply(text, timed_words(words), measure_voice(samples, words).to_scoring())


def answer_with(ctx: JobContext, attempt: Attempt, recording: Recording, samples, transcript: Transcript) -> dict:
    """The transcribed reply scored (words, voice) and applied to the customer line it answers."""
    spoken = spoken_reply(samples, transcript)
    try:
        turn = practice.apply_reply(ctx.session, attempt, spoken.text, ctx.settings, words=spoken.words,
                                    voice=spoken.voice, recording_id=recording.id, job_id=ctx.job.id,
                                    transcript=transcript.to_dict(), expected_index=ctx.job.payload["turn_index"])
    except practice.PracticeError as error:
        raise JobFailed(str(error)) from None
    return {"attempt_id": attempt.id, "turn_index": turn.index, "text": spoken.text}


def check_still_waiting(attempt: Attempt, turn_index: int) -> None:
    if attempt.status != AttemptStatus.in_progress:
        raise JobFailed("This role-play is over; the recording was kept but not scored.")
    if practice.turns_taken(attempt) != turn_index:
        raise JobFailed("This customer line was already answered (perhaps by typing); "
                        "reply to the customer's latest line.")
