"""Make the demo call recordings with espeak-ng: ``python -m coach.demo.recordings.make_calls [--out FOLDER]``.

Each call is a two-voice script: the agent's lines go on the left channel, the customer's on the right,
placed one after the other with short pauses (a scripted silence or interruption where the story needs one),
and written as 16 kHz stereo OGG/Opus. The speech is synthetic and every name and number is invented; the
card number in ``good-late-delivery`` is a made-up one that passes the Luhn check, so the first pass's
redaction has something to find. Run it again after changing a script and commit the files it writes.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from coach.demo.recordings import FOLDER
from coach.speech.audio import SAMPLE_RATE, decode_audio

BITRATE = 24_000  # stereo Opus: plenty for speech, ~3 KB a second
PAUSE_S = 0.5  # between one speaker stopping and the other starting
LEAD_IN_S = 0.4
TAIL_S = 0.8


@dataclass(frozen=True)
class Voice:
    name: str  # espeak-ng voice and variant
    pitch: int = 50
    rate: int = 160  # words per minute


@dataclass(frozen=True)
class Line:
    speaker: str  # "agent" | "customer"
    text: str
    gap_s: float = 0.0  # extra silence before the line (dead air)
    overlap_s: float = 0.0  # starts this long before the previous line ends (an interruption)
    rate: int | None = None  # digits are read slower, as people do


@dataclass(frozen=True)
class Script:
    name: str
    agent: Voice
    customer: Voice
    lines: tuple[Line, ...]


CARD_SPOKEN = "four nine one six, three eight two one, zero five seven three, six six four six"  # Luhn-valid, invented

SCRIPTS = (
    Script(
        "good-late-delivery", Voice("en-us+m3", 40, 170), Voice("en-gb+f3", 68, 170),
        (
            Line("agent", "Thank you for calling Northwind Home, my name is Alex. How can I help?"),
            Line("customer", "My sofa was due on Friday and it still has not come. I took a day off for it."),
            Line("agent", "I am so sorry, that must be really frustrating. What is your order number?"),
            Line("customer", "Four four seven one two. Do you need my card? It is " + CARD_SPOKEN + ".", rate=140),
            Line("agent", "I will sort this out for you myself. I have booked a delivery for tomorrow morning, "
                          "and I will email you the time slot today."),
            Line("customer", "Great, thank you."),
            Line("agent", "Does that solve it for you? Thanks for calling, have a lovely evening."),
        ),
    ),
    Script(
        "poor-double-charge", Voice("en-gb+m7", 45, 175), Voice("en-us+f2", 62),
        (
            Line("agent", "Billing, go ahead."),
            Line("customer", "Hello, I have been charged twice for my broadband this month and I need that money back."),
            Line("agent", "Yeah, that is the payment gateway. The duplicate auth reverses per the SLA, once the batch "
                          "settles and the back office actions the ticket."),
            Line("customer", "I do not know what that means. That money is for my rent.", overlap_s=0.8),
            Line("agent", "That is our policy, I am afraid. I will raise a tier two ticket in the CRM.", gap_s=3.5),
            Line("customer", "So when do I get it back?"),
            Line("agent", "I cannot say. You will have to call back later."),
        ),
    ),
    Script(
        "mixed-broadband-outage", Voice("en-us+m3", 40), Voice("en-gb-x-rp+m4", 30),
        (
            Line("agent", "Northwind Home, Alex speaking. How can I help?"),
            Line("customer", "My internet has been down since yesterday, and I work from home."),
            Line("agent", "Right. Have you tried restarting the router?"),
            Line("customer", "Yes, three times. Nothing works."),
            Line("agent", "Okay, there is an outage in your area and the engineers are working on it."),
            Line("customer", "When will it be fixed?"),
            Line("agent", "It should be back soon. I have added a note to your account. Thanks for calling."),
        ),
    ),
)


def speak(text: str, voice: Voice, rate: int | None, folder: Path) -> np.ndarray:
    """One line as 16 kHz float samples, without espeak-ng's leading and trailing silence."""
    path = folder / "line.wav"
    subprocess.run(["espeak-ng", "-v", voice.name, "-p", str(voice.pitch), "-s", str(rate or voice.rate),
                    "-w", str(path), text], check=True)
    samples = decode_audio(path).mono()
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0]: loud[-1] + 1]


def render(script: Script, folder: Path) -> np.ndarray:
    """The call as a (2, n) array: agent left, customer right."""
    placed, cursor = [], LEAD_IN_S
    for index, line in enumerate(script.lines):
        voice = script.agent if line.speaker == "agent" else script.customer
        sound = speak(line.text, voice, line.rate, folder)
        start = cursor + line.gap_s - line.overlap_s - (PAUSE_S if index and line.overlap_s else 0.0)
        placed.append((0 if line.speaker == "agent" else 1, start, sound))
        cursor = start + len(sound) / SAMPLE_RATE + PAUSE_S
    channels = np.zeros((2, int((cursor - PAUSE_S + TAIL_S) * SAMPLE_RATE)), dtype=np.float32)
    for row, start, sound in placed:
        at = int(start * SAMPLE_RATE)
        channels[row, at: at + len(sound)] += 0.7 * sound
    return np.clip(channels, -1.0, 1.0)


def write_opus(channels: np.ndarray, path: Path) -> None:
    """Stereo OGG/Opus, bit-exact (no random stream serial, no encoder version tag) so reruns give the same bytes."""
    pcm = (channels * 32767).astype(np.int16)
    with av.open(str(path), "w", format="ogg", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libopus", rate=SAMPLE_RATE, layout="stereo")
        stream.bit_rate = BITRATE
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        frame = av.AudioFrame.from_ndarray(pcm.T.reshape(1, -1).copy(), format="s16", layout="stereo")
        frame.sample_rate = SAMPLE_RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def make_calls(out: Path = FOLDER) -> list[Path]:
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    written = []
    Path(out).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for script in SCRIPTS:
            path = Path(out) / f"{script.name}.ogg"
            write_opus(render(script, Path(scratch)), path)
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FOLDER, help="folder for the .ogg files (default: beside this script)")
    for path in make_calls(parser.parse_args().out):
        audio = decode_audio(path)
        print(f"{path}: {audio.duration:.1f} s, {audio.n_channels} channels, {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
