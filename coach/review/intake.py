"""Intake of call recordings: check each upload is usable audio, keep the original bytes, queue the first pass."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

import av

from coach.calls.speakers import AGENT_CHANNEL_CHOICES
from coach.config import Settings
from coach.models import Call, CallStatus, Recording, User
from coach.speech.audio import AudioError, decode_audio
from coach.speech.storage import store_recording

ACCEPTED = "WAV, MP3, M4A/AAC, OGG/Opus, FLAC or WebM"
PROBE_BYTES = 64 * 1024 * 1024  # below this a full decode is cheap enough to catch every problem at upload


class IntakeError(ValueError):
    """An upload was refused; the message says why."""


@dataclass(frozen=True)
class CallDetails:
    agent: User
    call_date: date
    call_type: str
    external_id: str
    agent_channel: str


def check_recording(data: bytes, settings: Settings) -> tuple[float, int]:
    """(duration, channels) of a usable recording; raises IntakeError with the reason otherwise."""
    if not data:
        raise IntakeError("empty file: nothing was uploaded")
    if len(data) > settings.max_upload_bytes:
        raise IntakeError(f"too large: {len(data) / 1048576:.0f} MB is over the {settings.max_upload_mb} MB limit")
    max_seconds = settings.max_audio_minutes * 60
    try:
        if len(data) <= PROBE_BYTES:
            audio = decode_audio(data, max_seconds=max_seconds)
            return audio.duration, audio.n_channels
        return _probe(data, max_seconds)
    except AudioError as error:
        raise IntakeError(f"{error} (accepted: {ACCEPTED})") from None


def _probe(data: bytes, max_seconds: float) -> tuple[float, int]:
    """Large files: read the container's header and first packets instead of decoding hours of audio here."""
    import io

    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError("not audio: the file has no audio track")
            stream = container.streams.audio[0]
            duration = container.duration / av.time_base if container.duration else None
            if duration is None:
                return decode_audio(data, max_seconds=max_seconds).duration, stream.codec_context.channels
            if duration > max_seconds + 1:
                raise AudioError(f"too long: {duration / 60:.0f} min is over the {max_seconds / 60:.0f} min limit")
            for index, packet in enumerate(container.demux(stream)):
                packet.decode()
                if index > 50:
                    break
            return duration, min(2, stream.codec_context.channels)
    except av.FFmpegError as error:
        raise AudioError(f"not audio: not a recording we can read, or damaged ({error})") from None


def receive_call(session, upload: BinaryIO | bytes, filename: str, content_type: str, details: CallDetails,
                 settings: Settings, uploaded_by: User) -> Call:
    """Check and store one upload (generated name; the uploaded name is only shown) and create its call."""
    if details.agent_channel not in AGENT_CHANNEL_CHOICES:
        raise IntakeError(f"agent channel must be one of {', '.join(AGENT_CHANNEL_CHOICES)}")
    data = upload if isinstance(upload, bytes) else upload.read()
    duration, channels = check_recording(data, settings)
    stored = store_recording(data, settings.recordings_dir, filename or content_type)
    recording = Recording(stored_name=stored.stored_name, original_name=(filename or "")[:255],
                          content_type=(content_type or "")[:100], size_bytes=stored.size, sha256=stored.sha256,
                          duration_s=duration, channels=channels, uploaded_by=uploaded_by.id)
    session.add(recording)
    session.flush()
    call = Call(recording_id=recording.id, agent_id=details.agent.id, uploaded_by=uploaded_by.id,
                call_date=details.call_date, call_type=details.call_type.strip()[:60],
                external_id=details.external_id.strip()[:120], agent_channel=details.agent_channel,
                status=CallStatus.processing)
    session.add(call)
    session.commit()
    return call
