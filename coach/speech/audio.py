"""Decode any recording in-process (PyAV) to 16 kHz float32, one row per channel.

Decoding streams: frames are resampled as they come and written into one growing
buffer, so a two-hour call costs its final array (about 0.9 GB for stereo) and no
second copy.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

SAMPLE_RATE = 16000
SILENCE_PEAK = 10 ** (-70 / 20)  # below -70 dBFS everywhere counts as silence
TRUNCATION_TOLERANCE = 0.5  # seconds missing from the declared duration before we call it truncated


class AudioError(Exception):
    """The recording cannot be used; the message says why in words a user can act on."""


@dataclass(frozen=True)
class DecodedAudio:
    """Samples as float32 in [-1, 1], shape (n_channels, n_samples), at ``sample_rate``."""

    channels: np.ndarray
    sample_rate: int
    duration: float

    @property
    def n_channels(self) -> int:
        return self.channels.shape[0]

    def mono(self) -> np.ndarray:
        """The channels averaged: what a single-speaker transcription wants."""
        if self.n_channels == 1:
            return self.channels[0]
        return self.channels.mean(axis=0, dtype=np.float32)


def decode_audio(source: Path | str | bytes, max_seconds: float | None = None) -> DecodedAudio:
    """Decode a file or its bytes to 16 kHz float32 per channel (mono stays mono, more than two channels become mono).

    Raises AudioError for: not audio, empty, silent, longer than ``max_seconds``,
    and files that break off or turn corrupt part-way (with how far decoding got).
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) == 0:
            raise AudioError("empty file: no bytes received")
        opened = io.BytesIO(source)
        head = bytes(source[:4096])
    else:
        path = Path(source)
        if not path.is_file():
            raise AudioError(f"no such file: {path}")
        if path.stat().st_size == 0:
            raise AudioError("empty file: 0 bytes")
        opened = str(path)
        with path.open("rb") as file:
            head = file.read(4096)
    try:
        container = av.open(opened, mode="r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioError(f"not audio: not a recording we can read, or damaged ({_reason(error)})") from None
    with container:
        if not container.streams.audio:
            raise AudioError("not audio: the file has no audio track")
        stream = container.streams.audio[0]
        declared = _wav_header_seconds(head) if container.format.name == "wav" else None
        declared = declared or _declared_seconds(container, stream)
        if max_seconds is not None and declared is not None and declared > max_seconds + 1:
            raise AudioError(f"too long: {_minutes(declared)} is over the {_minutes(max_seconds)} limit")
        channels = 1 if stream.codec_context.channels != 2 else 2
        samples = _decode_stream(container, stream, channels, declared, max_seconds)
    n_samples = samples.shape[1]
    if n_samples == 0:
        raise AudioError("empty recording: the file holds no audio samples")
    duration = n_samples / SAMPLE_RATE
    if declared is not None and duration < declared - max(TRUNCATION_TOLERANCE, 0.02 * declared):
        raise AudioError(
            f"corrupt or truncated: the file breaks off after {duration:.1f} s of a declared {declared:.1f} s"
        )
    if _peak(samples) < SILENCE_PEAK:
        raise AudioError("silent: the recording holds no sound")
    return DecodedAudio(channels=samples, sample_rate=SAMPLE_RATE, duration=duration)


def _decode_stream(container, stream, channels: int, declared: float | None, max_seconds: float | None) -> np.ndarray:
    resampler = av.AudioResampler(format="fltp", layout="mono" if channels == 1 else "stereo", rate=SAMPLE_RATE)
    estimate = int(((declared or 60.0) + 1.0) * SAMPLE_RATE)
    if max_seconds is not None:
        estimate = min(estimate, int((max_seconds + 1.0) * SAMPLE_RATE))
    buffer = _GrowingBuffer(channels, estimate)
    limit = None if max_seconds is None else int((max_seconds + 1.0) * SAMPLE_RATE)
    try:
        for packet in container.demux(stream):
            for frame in packet.decode():
                for resampled in resampler.resample(frame):
                    buffer.append(resampled.to_ndarray())
                if limit is not None and buffer.length > limit:
                    raise AudioError(f"too long: the recording runs over the {_minutes(max_seconds)} limit")
        for resampled in resampler.resample(None):
            buffer.append(resampled.to_ndarray())
    except av.FFmpegError as error:
        got = buffer.length / SAMPLE_RATE
        raise AudioError(f"corrupt: decoding failed after {got:.1f} s ({_reason(error)})") from None
    return buffer.result()


class _GrowingBuffer:
    """Preallocated (channels, n) float32 array that doubles when full and is trimmed in place."""

    def __init__(self, channels: int, capacity: int) -> None:
        self.array = np.empty((channels, max(capacity, SAMPLE_RATE)), dtype=np.float32)
        self.length = 0

    def append(self, chunk: np.ndarray) -> None:
        n = chunk.shape[1]
        if self.length + n > self.array.shape[1]:
            bigger = np.empty((self.array.shape[0], max(2 * self.array.shape[1], self.length + n)), dtype=np.float32)
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
        if chunk == b"fmt " and offset + 16 <= len(head):
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
