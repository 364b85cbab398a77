"""The ``call_first_pass`` job: the stored call recording → the first pass kept on ``Call.result``.

The original recording is only read (and its checksum checked), never changed; the bleeped copy is a
separate file. Any failure leaves the call retryable with the same payload.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from coach.calls import SpeakerError, first_pass
from coach.jobs.runner import JobContext, JobFailed
from coach.models import Call, CallStatus, Recording
from coach.rubrics import store as rubric_store
from coach.speech.audio import AudioError
from coach.speech.engines import EngineError


def bleeped_name(stored_name: str) -> str:
    """The bleeped copy's file name beside the original (both generated, never the uploaded name)."""
    return Path(stored_name).stem + ".bleeped.wav"


def handle_call_first_pass(ctx: JobContext) -> dict:
    session, settings = ctx.session, ctx.settings
    call = session.get(Call, ctx.job.payload["call_id"])
    recording = session.get(Recording, call.recording_id) if call else None
    if call is None or recording is None:
        raise JobFailed("The call or its recording no longer exists.")
    _set_status(ctx, call, CallStatus.processing)
    path = Path(settings.recordings_dir) / recording.stored_name
    try:
        _check_intact(path, recording)
        result = first_pass(path, agent_channel=call.agent_channel, settings=settings,
                            progress=lambda fraction, stage: ctx.progress(fraction, stage),
                            bleeped_path=Path(settings.recordings_dir) / bleeped_name(recording.stored_name),
                            rubric=rubric_store.rubric_for_user(session, settings, call.agent_id))
    except AudioError as error:
        _set_status(ctx, call, CallStatus.failed)
        raise JobFailed(f"{error}. Upload the call again in a supported format.") from None
    except EngineError as error:
        _set_status(ctx, call, CallStatus.failed)
        raise JobFailed(f"The speech model cannot be loaded ({error}); an administrator can run 'coach models install'.") from None
    except (SpeakerError, JobFailed) as error:
        _set_status(ctx, call, CallStatus.failed)
        raise JobFailed(str(error)) from None
    except Exception:
        _set_status(ctx, call, CallStatus.failed)
        raise
    recording.duration_s, recording.channels = result.duration, result.channels
    call.result = result.to_dict()
    call.status = CallStatus.ready
    session.add_all([recording, call])
    session.commit()
    return {"call_id": call.id, "overall": result.scorecard.overall}


def _check_intact(path: Path, recording: Recording) -> None:
    if not path.is_file():
        raise JobFailed("The stored recording is missing from the recordings folder; upload the call again.")
    if recording.sha256:
        digest = hashlib.sha256()
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != recording.sha256:
            raise JobFailed("The stored recording no longer matches the uploaded file; upload the call again.")


def _set_status(ctx: JobContext, call: Call, status: CallStatus) -> None:
    ctx.session.rollback()
    call = ctx.session.get(Call, call.id)
    call.status = status
    ctx.session.add(call)
    ctx.session.commit()
