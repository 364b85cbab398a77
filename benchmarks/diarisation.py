"""Diarisation benchmark: synthetic two-voice mono calls (espeak-ng en-us and en+f3, alternating turns, mixed to
mono), run through the call first pass; the diarisation error rate per call against the placed turns, and the mean.

    python benchmarks/diarisation.py [--model tiny.en] [--calls 3]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.calls import first_pass  # noqa: E402
from coach.calls.speakers import diarisation_error_rate  # noqa: E402
from coach.config import Settings  # noqa: E402
from coach.speech.audio import SAMPLE_RATE, decode_audio  # noqa: E402
from coach.speech.model_install import install_model  # noqa: E402

VOICES = {"agent": "en-us", "customer": "en+f3"}
CALLS = [
    ["Thank you for calling Acme, my name is Sam, how can I help?", "Hi, my parcel has not arrived and it is a week late.",
     "I am sorry to hear that. Can I take your order number please?", "Yes, it is the order from last Tuesday morning.",
     "Thank you. I can see it left the depot yesterday afternoon.", "So when will it actually get here?",
     "It should be with you tomorrow before noon.", "Great, thank you so much for your help."],
    ["Good morning, you have reached the billing team.", "I was charged twice for my subscription this month.",
     "I understand how frustrating that is. Let me check your account.", "Thank you, I really need that money back.",
     "I can see the second charge. I have issued a full refund.", "How long will the refund take?",
     "You will see it within five working days.", "Okay, that is fine, goodbye."],
    ["Hello, this is Alex from customer support.", "Hello, my internet keeps dropping every evening.",
     "That sounds really annoying. When did it start?", "It started about two weeks ago after the storm.",
     "I will book an engineer to check the line for you.", "Can they come on Saturday?",
     "Yes, Saturday between eight and twelve is booked.", "Perfect, thanks for sorting it out."],
]


def build(folder: Path, lines: list[str], pause: float = 0.7) -> tuple[Path, list[tuple[str, float, float]]]:
    pieces, spans, cursor = [], [], 0.4
    for index, text in enumerate(lines):
        speaker = "agent" if index % 2 == 0 else "customer"
        wav = folder / f"line{index}.wav"
        subprocess.run(["espeak-ng", "-v", VOICES[speaker], "-w", str(wav), text], check=True)
        sound = decode_audio(wav).channels[0]
        loud = np.flatnonzero(np.abs(sound) > 0.01)
        sound = sound[loud[0]: loud[-1] + 1]
        pieces.append((cursor, sound))
        spans.append((speaker, cursor, cursor + len(sound) / SAMPLE_RATE))
        cursor += len(sound) / SAMPLE_RATE + pause
    mono = np.zeros(int((cursor + 0.5) * SAMPLE_RATE), dtype=np.float32)
    for start, sound in pieces:
        a = int(start * SAMPLE_RATE)
        mono[a: a + len(sound)] += 0.8 * sound
    path = folder / "call.wav"
    soundfile.write(path, mono, SAMPLE_RATE, subtype="PCM_16")
    return path, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en", choices=["tiny.en", "base"])
    parser.add_argument("--calls", type=int, default=len(CALLS))
    parser.add_argument("--instance-dir", type=Path, default=Path(tempfile.gettempdir()) / "coach-benchmark")
    arguments = parser.parse_args()
    installed = install_model(arguments.model, arguments.instance_dir)
    settings = Settings(instance_dir=arguments.instance_dir, whisper_model=str(installed.ct2_dir),
                        call_whisper_model=str(installed.ct2_dir)).with_defaults()
    rates = []
    with tempfile.TemporaryDirectory() as scratch:
        for number, lines in enumerate(CALLS[: arguments.calls], 1):
            folder = Path(scratch) / f"call{number}"
            folder.mkdir()
            path, reference = build(folder, lines)
            result = first_pass(path, settings=settings)
            hypothesis = [(s.speaker, s.start, s.end) for s in result.segments]
            rate = diarisation_error_rate(reference, hypothesis)
            rates.append(rate)
            print(f"call {number}: DER {rate:.3f}  speakers {result.speakers}  confidence {result.speaker_confidence:.2f}  "
                  f"({len(reference)} turns, {reference[-1][2]:.1f} s)")
    print(f"mean DER {np.mean(rates):.3f} over {len(rates)} calls ({arguments.model}, no collar)")


if __name__ == "__main__":
    main()
