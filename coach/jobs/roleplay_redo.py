"""The ``roleplay_redo`` job: a reply spoken again to one customer line → words with times → voice → before/after scores.

Queued by ``practice.submit_recorded_redo`` once the recording is checked and kept. It transcribes like a
recorded reply (``roleplay_reply.transcribe_recording``), with the live reply's engine (greedy, and warm in the
worker from its start, as a spoken reply is heard), and scores with ``practice.redo_reply``; the scores
are kept as the job's result, and the conversation is not touched. The recording is only read, so a failed
job can be retried.
"""
from __future__ import annotations

from sqlmodel import select

from coach.jobs.roleplay_live_reply import live_engine
from coach.jobs.roleplay_reply import spoken_reply, transcribe_recording
from coach.jobs.runner import JobContext, JobFailed
from coach.models import Attempt, AttemptTurn, Recording
from coach.roleplay import practice


def handle_roleplay_redo(ctx: JobContext) -> dict:
    payload, session = ctx.job.payload, ctx.session
    attempt = session.get(Attempt, payload["attempt_id"])
    recording = session.get(Recording, payload["recording_id"])
    turn = session.exec(select(AttemptTurn).where(AttemptTurn.attempt_id == payload["attempt_id"],
                                                  AttemptTurn.index == payload["turn_index"])).first()
    if attempt is None or recording is None or turn is None:
        raise JobFailed("The attempt, the reply it redoes or the recording no longer exists.")
    audio, transcript = transcribe_recording(ctx, recording, live_engine)
    spoken = spoken_reply(audio.mono(), transcript)
    ctx.progress(0.9, "scoring")
    try:
        redo = practice.redo_reply(session, attempt, turn, spoken.text, ctx.settings, words=spoken.words,
                                   voice=spoken.voice, recording_id=recording.id)
    except practice.PracticeError as error:
        raise JobFailed(str(error)) from None
    return redo.to_dict()
