"""A reply streamed while the trainee speaks: 16 kHz mono 16-bit PCM appended in order to one file per take.

The browser sends each piece with the offset it starts at, so a resent piece is never added twice and a lost one
is noticed. Stop writes an end marker; the worker reads the file as it grows and keeps it as a WAV at the end.
"""
from __future__ import annotations

import io
import os
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.speech.audio import SAMPLE_RATE

BYTES_PER_SECOND = SAMPLE_RATE * 2
TAKE_ID = re.compile(r"^[0-9a-f]{32}$")


class LiveAudioError(Exception):
    """A streamed piece that cannot be taken; the message says why."""


@dataclass(frozen=True)
class LiveTake:
    """The growing PCM file of one take in ``folder`` (the recordings folder), and its end marker."""

    folder: Path
    take: str

    def __post_init__(self) -> None:
        if not TAKE_ID.match(self.take):
            raise LiveAudioError("not a take id")

    @property
    def path(self) -> Path:
        return Path(self.folder) / f".live-{self.take}.pcm"

    @property
    def end_marker(self) -> Path:
        return Path(self.folder) / f".live-{self.take}.end"

    def size(self) -> int:
        return self.path.stat().st_size if self.path.is_file() else 0

    def finished(self) -> bool:
        return self.end_marker.is_file()

    def append(self, offset: int, data: bytes, limit_bytes: int, final: bool = False) -> int:
        """Add ``data`` at ``offset`` (a piece already there is skipped); returns the size now.

        Refuses a gap, an odd byte count, a take that ended, and anything past ``limit_bytes``.
        """
        if self.finished():
            raise LiveAudioError("this recording was already sent")
        size = self.size()
        if offset > size or offset < 0:
            raise LiveAudioError(f"a piece of the recording went missing (have {size} bytes, got one at {offset})")
        if len(data) % 2:
            raise LiveAudioError("not 16-bit audio")
        fresh = data[size - offset:]
        if size + len(fresh) > limit_bytes:
            raise LiveAudioError(f"the recording is over the {limit_bytes // BYTES_PER_SECOND} s a reply may take")
        Path(self.folder).mkdir(parents=True, exist_ok=True)
        if fresh:
            with self.path.open("ab") as out:
                out.write(fresh)
        if final:
            self.end_marker.write_text(str(size + len(fresh)))
        return size + len(fresh)

    def samples(self) -> np.ndarray:
        """Everything received so far as float32 in [-1, 1]."""
        if not self.path.is_file():
            return np.zeros(0, dtype=np.float32)
        raw = self.path.read_bytes()
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0

    def wav_bytes(self) -> bytes:
        """The take as a WAV file, to be stored like any uploaded recording."""
        pcm = self.path.read_bytes() if self.path.is_file() else b""
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(pcm[: len(pcm) // 2 * 2])
        return out.getvalue()

    def discard(self) -> None:
        """Remove the take's files once its WAV is stored."""
        for path in (self.path, self.end_marker):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
