"""The ``roleplay_live_reply`` job: a reply transcribed while the trainee speaks, scored the moment they stop.

Queued when recording starts, it reads the take's PCM as the browser streams it in
(``coach.speech.live``) and transcribes it piece by piece (``coach.speech.streaming``). At Stop it keeps the
recording first (checked and stored like an upload), then transcribes what is left, scores and applies the
reply. Once the recording is stored, a retry is an ordinary ``roleplay_reply`` of that recording.
"""
from __future__ import annotations

import logging
import time

import numpy as np

from coach.config import Settings
from coach.jobs.roleplay_reply import RETRY_HINT, answer_with, check_still_waiting, handle_roleplay_reply
from coach.jobs.runner import JobContext, JobFailed
from coach.models import Attempt, Recording
from coach.roleplay import practice
from coach.speech.audio import SAMPLE_RATE
from coach.speech.engines import Engine, EngineError, get_engine
from coach.speech.model_install import resolve_model
from coach.speech.streaming import StreamingTranscriber
from coach.speech.voice import measure_voice

POLL_SECONDS = 0.03
SILENT_UPLOAD_SECONDS = 30.0  # nothing new from the browser this long: the page went away
HEARTBEAT_SECONDS = 2.0
log = logging.getLogger(__name__)


def live_engine(settings: Settings) -> Engine:
    """The process-wide engine for live replies: greedy, one temperature, so a pass takes a bounded time."""
    model = resolve_model(settings.whisper_model, settings.asr_engine, settings.instance_dir)
    return get_engine(settings.asr_engine, model, settings.language, beam_size=1, fallback=False)


def warm_up(settings: Settings) -> None:
    """Load the live model and run each stage once, so the first reply costs no loading or compiling."""
    noise = (np.random.default_rng(0).standard_normal(SAMPLE_RATE) * 0.05).astype(np.float32)
    engine = live_engine(settings)
    words = engine.transcribe(noise).words()
    measure_voice(noise, words)


def handle_roleplay_live_reply(ctx: JobContext) -> dict:
    payload, session = ctx.job.payload, ctx.session
    if payload.get("recording_id"):  # a retry: the take is already stored
        return handle_roleplay_reply(ctx)
    attempt = session.get(Attempt, payload["attempt_id"])
    if attempt is None:
        raise JobFailed("The attempt no longer exists.")
    check_still_waiting(attempt, payload["turn_index"])
    try:
        transcriber = StreamingTranscriber(live_engine(ctx.settings))
    except EngineError as error:
        transcriber = None  # the take is still kept; the failure is reported once it is stored
        engine_error = error
    take = practice.live_take(ctx.settings, ctx.job)
    ctx.progress(0.05, "listening")
    complete = _follow(ctx, take, transcriber)
    samples = take.samples()
    recording = _keep(ctx, attempt, take)
    if not complete:
        raise JobFailed(f"The recording stopped arriving before Stop was pressed; what arrived was kept. {RETRY_HINT}")
    if transcriber is None:
        raise JobFailed(f"The speech model cannot be loaded ({engine_error}); an administrator can run "
                        "'coach models install'. Type your reply meanwhile.")
    ctx.progress(0.8, "transcribing")
    left = (len(samples) - transcriber.cut_sample_) / SAMPLE_RATE
    began = time.monotonic()
    transcript = transcriber.finish(samples)
    log.info("live reply of job %s: %d piece(s) while speaking, %.1f s of %.1f s left at Stop, taking %.2f s",
             ctx.job.id, transcriber.passes_ - 1, left, len(samples) / SAMPLE_RATE, time.monotonic() - began)
    return answer_with(ctx, attempt, recording, samples, transcript)


def _follow(ctx: JobContext, take, transcriber: StreamingTranscriber | None) -> bool:
    """Transcribe the take as it grows until Stop; False when the browser stopped sending first."""
    size, last_growth, last_beat = -1, time.monotonic(), time.monotonic()
    while not take.finished():
        now, grew = time.monotonic(), take.size() != size
        if grew:
            size, last_growth = take.size(), now
        elif now - last_growth > SILENT_UPLOAD_SECONDS:
            return False
        if not (grew and transcriber and transcriber.advance(take.samples())):
            time.sleep(POLL_SECONDS)
        if now - last_beat > HEARTBEAT_SECONDS:
            ctx.progress(0.05, "listening")
            last_beat = now
    return True


def _keep(ctx: JobContext, attempt: Attempt, take) -> Recording:
    """Store the take like an uploaded reply, note it on the job (so a retry transcribes it) and drop the PCM."""
    try:
        recording = practice.keep_reply_recording(ctx.session, take.wav_bytes(), ctx.settings, attempt.user_id, "reply.wav")
    except practice.PracticeError as error:
        take.discard()
        raise JobFailed(str(error)) from None
    ctx.job.payload = {**ctx.job.payload, "recording_id": recording.id}
    ctx.session.add(ctx.job)
    ctx.session.commit()
    take.discard()
    return recording
