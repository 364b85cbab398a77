"""Test calls built from espeak-ng speech: agent and customer in two voices, placed at known times,
as a stereo file (one speaker per channel) and as a mono mix, with a silent gap and overlapping speech."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile

from coach.speech.audio import SAMPLE_RATE, decode_audio

VOICES = {"agent": ("en-us+m3", "35"), "customer": ("en-gb+f3", "65")}  # espeak voice, pitch: a man and a woman


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str
    rate: int = 140  # words per minute; digits are read slower, as people do


@dataclass(frozen=True)
class BuiltCall:
    stereo: Path
    mono: Path
    spans: list[tuple[str, float, float, str]]  # (speaker, start, end, text) of the sound actually placed
    duration: float


CARD = "4539147203625174"  # passes the Luhn check
CARD_SPOKEN = "four five three nine, one four seven two, zero three six two, five one seven four"
SCRIPT = [
    Line("agent", "Thank you for calling Acme. My name is Sam, how can I help you today?"),
    Line("customer", "My parcel is late again and I am really annoyed."),
    Line("agent", "I am so sorry, I understand how frustrating that is. Which card did you pay with?"),
    Line("customer", "The card number is " + CARD_SPOKEN + ".", rate=110),
    # the silent gap: four seconds of nothing before the agent answers
    Line("agent", "I will sort this out for you. I have sent a replacement and it will arrive within two days."),
    Line("customer", "Great, thank you so much."),
    Line("agent", "Does that solve it for you? Thanks for calling, have a great day."),
]
GAP_BEFORE = {4: 4.0}  # line index -> seconds of silence before it
OVERLAP_INTO = {5: 1.2}  # line index -> seconds it starts before the previous line ends


def speak(text: str, speaker: str, folder: Path, index: int, rate: int = 140, voices=None) -> np.ndarray:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    voice, pitch = (voices or VOICES)[speaker]
    path = folder / f"line{index}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-p", pitch, "-s", str(rate), "-w", str(path), text], check=True)
    return decode_audio(path).mono()


def trim(samples: np.ndarray) -> np.ndarray:
    """espeak-ng pads its output with silence; keep only the sound so the placed times are the spoken ones."""
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0]: loud[-1] + 1]


def build_call(folder: Path, script=SCRIPT, gaps=GAP_BEFORE, overlaps=OVERLAP_INTO, pause: float = 0.6,
               agent_left: bool = True, voices=None, bleed: float = 0.0) -> BuiltCall:
    """``bleed``: the share of each side's signal that leaks into the other channel (a headset picking up the line)."""
    folder.mkdir(parents=True, exist_ok=True)
    pieces, spans, cursor = [], [], 0.3
    for index, line in enumerate(script):
        sound = trim(speak(line.text, line.speaker, folder, index, line.rate, voices))
        start = cursor + gaps.get(index, 0.0) - overlaps.get(index, 0.0) if index else cursor
        pieces.append((line.speaker, start, sound))
        spans.append((line.speaker, start, start + len(sound) / SAMPLE_RATE, line.text))
        cursor = start + len(sound) / SAMPLE_RATE + pause
    total = int((cursor + 0.5) * SAMPLE_RATE)
    channels = np.zeros((2, total), dtype=np.float32)
    for speaker, start, sound in pieces:
        row = 0 if (speaker == "agent") == agent_left else 1
        a = int(start * SAMPLE_RATE)
        channels[row, a: a + len(sound)] += sound * 0.8
        if bleed:
            channels[1 - row, a + 2: a + 2 + len(sound)] += sound * 0.8 * bleed
    stereo, mono = folder / "call-stereo.wav", folder / "call-mono.wav"
    soundfile.write(stereo, channels.T, SAMPLE_RATE, subtype="PCM_16")
    soundfile.write(mono, np.clip(channels.sum(axis=0), -1, 1), SAMPLE_RATE, subtype="PCM_16")
    return BuiltCall(stereo, mono, spans, total / SAMPLE_RATE)


