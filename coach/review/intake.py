"""Intake of call recordings: check each upload is usable audio, keep the original bytes, queue the first pass."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from coach.calls.speakers import AGENT_CHANNEL_CHOICES
from coach.config import Settings
from coach.models import Call, CallStatus, Recording, User
from coach.speech.audio import AudioError, AudioInfo, decode_audio, probe_audio
from coach.speech.storage import removed_on_failure, store_recording

ACCEPTED = "WAV, MP3, M4A/AAC, OGG/Opus, FLAC or WebM"
PROBE_BYTES = 64 * 1024 * 1024  # below this a full decode is cheap enough to catch every problem at upload


class IntakeError(ValueError):
    """An upload was refused; the message says why."""


@dataclass(frozen=True)
class CallDetails:
    agent: User | None
    call_date: date
    call_type: str = ""
    external_id: str | None = ""  # the telephony system's id, optional
    agent_channel: str = "auto"


def check_recording(data: bytes, settings: Settings) -> AudioInfo:
    """What the container says about a usable recording (its type, duration, channels); raises IntakeError otherwise."""
    if not data:
        raise IntakeError("empty file: nothing was uploaded")
    if len(data) > settings.max_upload_bytes:
        raise IntakeError(f"too large: {len(data) / 1048576:.0f} MB is over the {settings.max_upload_mb} MB limit")
    max_seconds = settings.max_audio_minutes * 60
    try:
        if len(data) <= PROBE_BYTES:
            audio = decode_audio(data, max_seconds=max_seconds)
            return AudioInfo(audio.content_type, audio.duration, audio.n_channels, audio.sample_rate)
        return probe_audio(data, max_seconds)  # large files: the header and first packets, not hours of audio here
    except AudioError as error:
        raise IntakeError(f"{error} (accepted: {ACCEPTED})") from None


def _check_details(details: CallDetails) -> None:
    if details.agent is None:
        raise IntakeError("choose the agent on the call")
    if details.agent_channel not in AGENT_CHANNEL_CHOICES:
        raise IntakeError(f"agent channel must be one of {', '.join(AGENT_CHANNEL_CHOICES)}")


def receive_call(session, upload: BinaryIO | bytes, filename: str, content_type: str, details: CallDetails,
                 settings: Settings, uploaded_by: User) -> Call:
    """Check and store one upload (generated name; the uploaded name is only shown) and create its call.

    Everything is checked before the bytes are stored, and the file is removed again if its rows cannot be
    saved, so no recording is ever left without its call. The stored type comes from the decoded container;
    the uploader's ``content_type`` is not trusted.
    """
    _check_details(details)
    data = upload if isinstance(upload, bytes) else upload.read()
    info = check_recording(data, settings)
    stored = store_recording(data, settings.recordings_dir, info.content_type)
    with removed_on_failure(stored):
        return _save_call(session, stored, info, filename, details, uploaded_by)


def _save_call(session, stored, info: AudioInfo, filename: str, details: CallDetails, uploaded_by: User) -> Call:
    recording = Recording(stored_name=stored.stored_name, original_name=(filename or "")[:255],
                          content_type=info.content_type, size_bytes=stored.size, sha256=stored.sha256,
                          duration_s=info.duration, channels=info.channels, uploaded_by=uploaded_by.id)
    session.add(recording)
    session.flush()
    call = Call(recording_id=recording.id, agent_id=details.agent.id, uploaded_by=uploaded_by.id,
                call_date=details.call_date, call_type=(details.call_type or "").strip()[:60],
                external_id=(details.external_id or "").strip()[:120], agent_channel=details.agent_channel,
                status=CallStatus.processing)
    session.add(call)
    session.commit()
    return call
