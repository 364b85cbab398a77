"""Keep the original bytes of every recording, unchanged, under a generated name."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".aac", ".mp4", ".ogg", ".oga", ".opus", ".webm", ".weba")
DEFAULT_SUFFIX = ".audio"
CHUNK_BYTES = 1 << 20
INCOMING_PATTERNS = (".incoming-*.part", ".live-*.pcm", ".live-*.end")  # half-written uploads, streamed takes
ORPHAN_AFTER_SECONDS = 3600  # an upload still being written after an hour was cut off by a crash
# What a recording may be served as; anything else goes out as an attachment, never rendered.
SERVED_TYPES = frozenset({"audio/wav", "audio/ogg", "audio/webm", "audio/mpeg", "audio/mp4", "audio/flac", "audio/aac"})
SUFFIX_TYPES = {".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac",
                ".mp4": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg",
                ".webm": "audio/webm", ".weba": "audio/webm"}


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


@contextmanager
def removed_on_failure(stored: StoredRecording):
    """Delete the stored file again when the block recording it in the database fails: no file without a row."""
    try:
        yield stored
    except BaseException:
        stored.path.unlink(missing_ok=True)
        raise


def served_type(content_type: str | None) -> str | None:
    """The allow-listed audio type a recording is served as inline; None means send it as a download."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind if kind in SERVED_TYPES else None


def sweep_incoming(recordings_dir: Path, older_than: float = ORPHAN_AFTER_SECONDS) -> int:
    """Delete ``.incoming-*.part`` files left by a process killed mid-upload, and streamed ``.live-*`` takes nobody
    finished (the trainee typed instead, or the job failed before storing); returns how many went."""
    folder, cutoff, swept = Path(recordings_dir), time.time() - older_than, 0
    if not folder.is_dir():
        return 0
    for part in (path for pattern in INCOMING_PATTERNS for path in folder.glob(pattern)):
        try:
            if part.is_file() and part.stat().st_mtime < cutoff:
                part.unlink()
                swept += 1
        except FileNotFoundError:  # another worker swept it first
            continue
    return swept
