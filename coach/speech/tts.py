"""Customer voices: a scenario line spoken by espeak-ng, offline, as a WAV kept in a cache by content.

Each persona gets its own voice (an espeak-ng voice and base pitch picked from its name, unless the
persona names one); pace and pitch follow the customer's mood band. The cache key is a hash of the
text, voice and band, so a changed line is rendered anew and an unchanged one never twice.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

RENDERER = "espeak-ng/1"  # part of the cache key: bump when the rendering changes
# Distinct espeak-ng voices (language + variant); a persona's name picks one, and a base pitch.
VOICE_POOL = ("en-gb+f3", "en-us+m3", "en-gb-x-rp+f4", "en-us+m7", "en-gb-scotland+f2", "en-gb+m5",
              "en-us+f5", "en-gb-x-rp+m1", "en-029+f1", "en-gb-x-gbclan+m4")
VOICE_NAME = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)*(\+[a-z0-9]+)?$")
DIGEST = re.compile(r"^[0-9a-f]{64}$")
# Mood band -> (words per minute, pitch shift): an upset customer talks faster and higher.
DELIVERY = {"upset": (182, 12), "uneasy": (168, 4), "calm": (155, -4)}
TIMEOUT_SECONDS = 30


class VoiceError(Exception):
    """A customer line could not be spoken; the message says why."""


@dataclass(frozen=True)
class CustomerVoice:
    """How one persona sounds: an espeak-ng voice and its base pitch (0-99)."""

    voice: str
    pitch: int


def persona_voice(name: str, requested: str | None = None) -> CustomerVoice:
    """The persona's own voice: ``requested`` when it is a valid espeak-ng voice name, else one picked from the name."""
    seed = int(hashlib.sha256(name.strip().lower().encode()).hexdigest(), 16)
    voice = requested if requested and VOICE_NAME.match(requested) else VOICE_POOL[seed % len(VOICE_POOL)]
    return CustomerVoice(voice, 40 + (seed // len(VOICE_POOL)) % 21)


def mood_band(mood: int) -> str:
    """The band that sets pace and pitch: upset below 40, uneasy below 70, calm above."""
    return "upset" if mood < 40 else "uneasy" if mood < 70 else "calm"


def line_digest(text: str, voice: CustomerVoice, band: str) -> str:
    """The cache key of one spoken line."""
    key = "\n".join([RENDERER, voice.voice, str(voice.pitch), band, " ".join(text.split())])
    return hashlib.sha256(key.encode()).hexdigest()


def cached_line(cache_dir: Path, digest: str) -> Path | None:
    """The cached WAV of ``digest``, or None (also for anything that is not a digest)."""
    if not DIGEST.match(digest):
        return None
    path = Path(cache_dir) / f"{digest}.wav"
    return path if path.is_file() else None


def render_line(text: str, voice: CustomerVoice, band: str, cache_dir: Path) -> tuple[str, Path]:
    """The line spoken as a WAV under ``cache_dir`` (rendered once, atomically); returns its digest and path."""
    digest = line_digest(text, voice, band)
    path = Path(cache_dir) / f"{digest}.wav"
    if path.is_file():
        return digest, path
    wav = speak(text, voice, band)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".voice-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(wav)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return digest, path


def speak(text: str, voice: CustomerVoice, band: str) -> bytes:
    """espeak-ng's WAV of ``text`` (read from stdin, so no text is taken for an option)."""
    executable = shutil.which("espeak-ng")
    if executable is None:
        raise VoiceError("espeak-ng is not installed (apt-get install espeak-ng); the customer's lines are shown as text")
    speed, shift = DELIVERY.get(band, DELIVERY["uneasy"])
    command = [executable, "-v", voice.voice, "-s", str(speed), "-p", str(max(0, min(99, voice.pitch + shift))),
               "--stdout"]
    try:
        done = subprocess.run(command, input=" ".join(text.split()).encode(), capture_output=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise VoiceError(f"espeak-ng took over {TIMEOUT_SECONDS} s on one line") from None
    if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
        raise VoiceError(f"espeak-ng failed: {done.stderr.decode(errors='replace').strip()[:200] or 'no audio'}")
    return _sized_wav(done.stdout)


def _sized_wav(streamed: bytes) -> bytes:
    """espeak-ng's streamed WAV (sizes left as 0x7fffffff) with its real sizes written in."""
    data_at = streamed.find(b"data", 12)
    if data_at < 0:
        raise VoiceError("espeak-ng wrote no audio")
    header, samples = bytearray(streamed[:data_at + 8]), streamed[data_at + 8:]
    header[4:8] = struct.pack("<I", len(header) - 8 + len(samples))
    header[data_at + 4:data_at + 8] = struct.pack("<I", len(samples))
    return bytes(header) + samples
