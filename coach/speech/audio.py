"""Decode any recording in-process (PyAV) to 16 kHz float32, one row per channel.

Decoding streams: frames are resampled as they come and written into one growing
buffer, so a two-hour call costs its final array (about 0.9 GB for stereo) and no
second copy. Hostile files are refused before they cost anything: the header's sample rate, channels and
length are checked before decoding, and the buffer never grows past the caller's limit whatever the header says.
"""
from __future__ import annotations

import io
import logging
import struct
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

SAMPLE_RATE = 16000
SILENCE_PEAK = 10 ** (-70 / 20)  # below -70 dBFS everywhere counts as silence
TRUNCATION_TOLERANCE = 0.5  # seconds missing from the declared duration before we call it truncated
# A header is refused before decoding outside these: a 1 Hz rate would make every sample 16,000.
MIN_SAMPLE_RATE, MAX_SAMPLE_RATE, MAX_CHANNELS = 8000, 192000, 8
HARD_LIMIT_SECONDS = 4 * 3600  # the output cap when the caller sets no limit
# The only types a stored recording is ever served as, from the container PyAV found (never the uploader's).
CONTAINER_TYPES = {"wav": "audio/wav", "ogg": "audio/ogg", "webm": "audio/webm", "matroska": "audio/webm",
                   "mp3": "audio/mpeg", "mp4": "audio/mp4", "m4a": "audio/mp4", "flac": "audio/flac", "aac": "audio/aac"}
UNKNOWN_TYPE = "application/octet-stream"
log = logging.getLogger(__name__)


class AudioError(Exception):
    """The recording cannot be used; the message says why in words a user can act on."""


@dataclass(frozen=True)
class DecodedAudio:
    """Samples as float32 in [-1, 1], shape (n_channels, n_samples), at ``sample_rate``."""

    channels: np.ndarray
    sample_rate: int
    duration: float
    content_type: str = UNKNOWN_TYPE  # from the container, see CONTAINER_TYPES

    @property
    def n_channels(self) -> int:
        return self.channels.shape[0]

    def mono(self) -> np.ndarray:
        """The channels averaged: what a single-speaker transcription wants."""
        if self.n_channels == 1:
            return self.channels[0]
        return self.channels.mean(axis=0, dtype=np.float32)


@dataclass(frozen=True)
class AudioInfo:
    """A checked recording: the container's MIME type, its length, the channels it decodes to, its sample rate."""

    content_type: str
    duration: float | None  # seconds: decoded, or what the header declares when only probed
    channels: int
    sample_rate: int


def decode_audio(source: Path | str | bytes, max_seconds: float | None = None) -> DecodedAudio:
    """Decode a file or its bytes to 16 kHz float32 per channel (mono stays mono, more than two channels become mono).

    Raises AudioError for: not audio, empty, silent, longer than ``max_seconds``, a header out of range
    (sample rate, channels), and files that break off or turn corrupt part-way (with how far decoding got).
    Memory stays bounded by ``max_seconds`` (else ``HARD_LIMIT_SECONDS``) whatever the header claims.
    """
    with _opened(source) as (container, head):
        stream, info = _checked_stream(container, head, max_seconds)
        samples = _decode_stream(container, stream, info.channels, info.duration, max_seconds)
    n_samples = samples.shape[1]
    if n_samples == 0:
        raise AudioError("empty recording: the file holds no audio samples")
    duration = n_samples / SAMPLE_RATE
    declared = info.duration
    if declared is not None and duration < declared - max(TRUNCATION_TOLERANCE, 0.02 * declared):
        raise AudioError(
            f"corrupt or truncated: the file breaks off after {duration:.1f} s of a declared {declared:.1f} s"
        )
    if _peak(samples) < SILENCE_PEAK:
        raise AudioError("silent: the recording holds no sound")
    return DecodedAudio(channels=samples, sample_rate=SAMPLE_RATE, duration=duration, content_type=info.content_type)


def probe_audio(source: Path | str | bytes, max_seconds: float | None = None, packets: int = 50) -> AudioInfo:
    """Check the header and decode the first ``packets``: cheap even for hours of audio; AudioError when unusable."""
    with _opened(source) as (container, head):
        stream, info = _checked_stream(container, head, max_seconds)
        for index, packet in enumerate(container.demux(stream)):
            packet.decode()
            if index >= packets:
                break
    return info


def content_type_of(format_name: str) -> str:
    """The audio MIME type of a container PyAV recognised (``format.name``, e.g. "matroska,webm"), else octet-stream."""
    for name in format_name.split(","):
        if name in CONTAINER_TYPES:
            return CONTAINER_TYPES[name]
    return UNKNOWN_TYPE


@contextmanager
def _opened(source: Path | str | bytes):
    """The container and its first bytes; every PyAV failure inside the block becomes an AudioError."""
    opened, head = _source(source)
    try:
        container = av.open(opened, mode="r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioError(f"not audio: not a recording we can read, or damaged ({_reason(error)})") from None
    try:
        with container:
            yield container, head
    except AudioError:
        raise
    except av.FFmpegError as error:
        raise AudioError(f"corrupt: the recording cannot be decoded ({_reason(error)})") from None
    except Exception:  # hostile files reach corners of PyAV that raise anything; the trainee needs no traceback
        log.warning("recording refused after an unexpected decoder error", exc_info=True)
        raise AudioError("not audio: not a recording we can read, or damaged") from None


def _source(source: Path | str | bytes) -> tuple[io.BytesIO | str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) == 0:
            raise AudioError("empty file: no bytes received")
        return io.BytesIO(source), bytes(source[:4096])
    path = Path(source)
    if not path.is_file():
        raise AudioError(f"no such file: {path}")
    if path.stat().st_size == 0:
        raise AudioError("empty file: 0 bytes")
    with path.open("rb") as file:
        return str(path), file.read(4096)


def _checked_stream(container, head: bytes, max_seconds: float | None):
    """The first audio stream and what its header says, refused before decoding when out of range."""
    if not container.streams.audio:
        raise AudioError("not audio: the file has no audio track")
    stream = container.streams.audio[0]
    codec = stream.codec_context
    if codec is None:
        raise AudioError("not audio: the audio track has no codec we can decode")
    _check_rate(codec.sample_rate)
    if not 1 <= (codec.channels or 0) <= MAX_CHANNELS:
        raise AudioError(f"not usable: the header declares {codec.channels} channels; at most {MAX_CHANNELS} are taken")
    declared = _wav_header_seconds(head) if container.format.name == "wav" else None
    declared = declared or _declared_seconds(container, stream)
    if max_seconds is not None and declared is not None and declared > max_seconds + 1:
        raise AudioError(f"too long: {_minutes(declared)} is over the {_minutes(max_seconds)} limit")
    channels = 1 if codec.channels != 2 else 2
    return stream, AudioInfo(content_type_of(container.format.name), declared, channels, codec.sample_rate)


def _check_rate(rate: int | None) -> None:
    if not MIN_SAMPLE_RATE <= (rate or 0) <= MAX_SAMPLE_RATE:
        raise AudioError(f"not usable: the header declares a sample rate of {rate or 0} Hz; "
                         f"recordings run at {MIN_SAMPLE_RATE}-{MAX_SAMPLE_RATE} Hz")


def _decode_stream(container, stream, channels: int, declared: float | None, max_seconds: float | None) -> np.ndarray:
    """Resample frame by frame into one buffer that never grows past the limit (the header may lie about length)."""
    limit_seconds = HARD_LIMIT_SECONDS if max_seconds is None else max_seconds
    limit = int((limit_seconds + 1.0) * SAMPLE_RATE)
    resampler = av.AudioResampler(format="fltp", layout="mono" if channels == 1 else "stereo", rate=SAMPLE_RATE)
    buffer = _GrowingBuffer(channels, min(int(((declared or 60.0) + 1.0) * SAMPLE_RATE), limit), limit)
    too_long = AudioError(f"too long: the recording runs over the {_minutes(limit_seconds)} limit")
    try:
        for packet in container.demux(stream):
            for frame in packet.decode():
                _check_rate(frame.sample_rate)
                if buffer.length + frame.samples * SAMPLE_RATE / frame.sample_rate > limit:
                    raise too_long
                for resampled in resampler.resample(frame):
                    buffer.append(resampled.to_ndarray(), too_long)
        for resampled in resampler.resample(None):
            buffer.append(resampled.to_ndarray(), too_long)
    except av.FFmpegError as error:
        got = buffer.length / SAMPLE_RATE
        raise AudioError(f"corrupt: decoding failed after {got:.1f} s ({_reason(error)})") from None
    return buffer.result()


class _GrowingBuffer:
    """Preallocated (channels, n) float32 array that doubles when full, never past ``limit``, and is trimmed in place."""

    def __init__(self, channels: int, capacity: int, limit: int) -> None:
        self.array = np.empty((channels, max(min(capacity, limit), SAMPLE_RATE)), dtype=np.float32)
        self.length = 0
        self.limit = limit

    def append(self, chunk: np.ndarray, too_long: AudioError) -> None:
        n = chunk.shape[1]
        if self.length + n > self.limit:
            raise too_long
        if self.length + n > self.array.shape[1]:
            size = min(max(2 * self.array.shape[1], self.length + n), self.limit)
            bigger = np.empty((self.array.shape[0], size), dtype=np.float32)
            bigger[:, : self.length] = self.array[:, : self.length]
            self.array = bigger
        self.array[:, self.length : self.length + n] = chunk
        self.length += n

    def result(self) -> np.ndarray:
        # A copy would double the peak for long calls; only copy when the waste is large.
        if self.array.shape[1] - self.length > SAMPLE_RATE * 60:
            return np.ascontiguousarray(self.array[:, : self.length].copy())
        return self.array[:, : self.length]


def _peak(samples: np.ndarray, block: int = SAMPLE_RATE * 60) -> float:
    """Largest absolute sample, a minute at a time (np.abs of a whole call would copy it)."""
    return max(float(np.max(np.abs(samples[:, i : i + block]))) for i in range(0, samples.shape[1], block))


def _declared_seconds(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _wav_header_seconds(head: bytes) -> float | None:
    """Duration the RIFF header promises; FFmpeg trusts the file size instead, which hides truncation."""
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    byte_rate, offset = None, 12
    while offset + 8 <= len(head):
        chunk, size = head[offset : offset + 4], struct.unpack("<I", head[offset + 4 : offset + 8])[0]
        if chunk == b"fmt " and offset + 20 <= len(head):
            byte_rate = struct.unpack("<I", head[offset + 16 : offset + 20])[0]
        if chunk == b"data":
            # Streaming writers leave 0 or 0xFFFFFFFF when they do not know the size.
            if not byte_rate or size in (0, 0xFFFFFFFF):
                return None
            return size / byte_rate
        offset += 8 + size + (size & 1)
    return None


def _minutes(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
