"""Keep the original bytes of every recording, unchanged, under a generated name."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".aac", ".mp4", ".ogg", ".oga", ".opus", ".webm", ".weba")
DEFAULT_SUFFIX = ".audio"
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class StoredRecording:
    """Where the recording now lives, and what identifies its content."""

    path: Path
    stored_name: str
    sha256: str
    size: int


def audio_suffix(hint: str | None) -> str:
    """A known audio extension taken from a file name, suffix or MIME type; ``.audio`` when unknown."""
    if not hint:
        return DEFAULT_SUFFIX
    hint = hint.strip().lower()
    if "/" in hint and "." not in hint:  # a MIME type such as audio/webm;codecs=opus
        hint = "." + re.split(r"[;/]", hint)[1]
        hint = {".mpeg": ".mp3", ".x-wav": ".wav", ".wave": ".wav", ".x-flac": ".flac", ".mp4a-latm": ".m4a"}.get(hint, hint)
    suffix = "." + hint.rsplit(".", 1)[-1]
    return suffix if suffix in AUDIO_SUFFIXES else DEFAULT_SUFFIX


def store_recording(data: bytes | BinaryIO, recordings_dir: Path, suffix_hint: str | None = None) -> StoredRecording:
    """Write ``data`` under ``recordings_dir`` as ``<uuid><suffix>``, atomically: a crash leaves no partial file."""
    recordings_dir = Path(recordings_dir)
    recordings_dir.mkdir(parents=True, exist_ok=True)
    stored_name = uuid.uuid4().hex + audio_suffix(suffix_hint)
    target = recordings_dir / stored_name
    digest, size = hashlib.sha256(), 0
    handle, temp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".part", dir=recordings_dir)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks(data):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o640)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return StoredRecording(path=target, stored_name=stored_name, sha256=digest.hexdigest(), size=size)


def _chunks(data: bytes | BinaryIO):
    if isinstance(data, (bytes, bytearray, memoryview)):
        yield bytes(data)
        return
    while chunk := data.read(CHUNK_BYTES):
        yield chunk
