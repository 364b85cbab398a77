"""Diarisation benchmark, through the call first pass on mono audio:

* synthetic two-voice calls (espeak-ng en-us and en+f3, alternating turns): DER per call against the placed turns;
* calls cut from real recordings of two readers (benchmarks/data/real_speech: each clip split at its pauses, the
  two readers' pieces alternating): DER per call;
* each real single-reader clip on its own: does the first pass say "one speaker" instead of inventing a customer?

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
REAL = Path(__file__).resolve().parent / "data" / "real_speech"
READERS = {"1089": ["1089-134686-0001.wav"], "1221": ["1221-135766-0001.wav", "1221-135766-0002.wav"],
           "1272": ["1272-141231-0002.flac"], "LJ": ["LJ050-0131.wav"], "jfk": ["jfk.wav"]}
REAL_PAIRS = [("1089", "1221"), ("1272", "LJ"), ("jfk", "1221"), ("1089", "1272")]  # the last: two men
REAL_SINGLE = ["jfk.wav", "1221-135766-0001.wav", "1272-141231-0002.flac", "1272-128104-0004-8k.wav", "LJ050-0131.wav"]
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


def real_pieces(reader: str, shortest: float = 1.5) -> list[np.ndarray]:
    """A reader's real recordings cut at their pauses into pieces of at least ``shortest`` seconds."""
    import librosa

    pieces = []
    for name in READERS[reader]:
        sound, start = decode_audio(REAL / name).mono(), None
        for a, b in librosa.effects.split(sound, top_db=30, frame_length=1024, hop_length=256):
            start = a if start is None else start
            if (b - start) / SAMPLE_RATE >= shortest:
                pieces.append(sound[start:b])
                start = None
    return pieces


def build_real(folder: Path, first: str, second: str, pause: float = 0.7) -> tuple[Path, list[tuple[str, float, float]]]:
    """Two real readers taking turns: their pieces alternate, each at the same level, mixed to mono."""
    turns = [p for pair in zip(real_pieces(first), real_pieces(second)) for p in pair]
    spans, cursor, mono = [], 0.4, [np.zeros(int(0.4 * SAMPLE_RATE), dtype=np.float32)]
    for index, sound in enumerate(turns):
        spans.append(("agent" if index % 2 == 0 else "customer", cursor, cursor + len(sound) / SAMPLE_RATE))
        mono.append(sound.astype(np.float32) / (np.abs(sound).max() + 1e-9) * 0.8)
        mono.append(np.zeros(int(pause * SAMPLE_RATE), dtype=np.float32))
        cursor += len(sound) / SAMPLE_RATE + pause
    path = folder / "real.wav"
    soundfile.write(path, np.concatenate(mono), SAMPLE_RATE, subtype="PCM_16")
    return path, spans


def report_calls(kind: str, calls, settings: Settings) -> list[float]:
    rates = []
    for number, (path, reference) in enumerate(calls, 1):
        result = first_pass(path, settings=settings)
        hypothesis = [(s.speaker, s.start, s.end) for s in result.segments]
        rate = diarisation_error_rate(reference, hypothesis)
        rates.append(rate)
        print(f"{kind} call {number}: DER {rate:.3f}  speakers {result.speakers}  confidence "
              f"{result.speaker_confidence:.2f}  ({len(reference)} turns, {reference[-1][2]:.1f} s)")
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en", choices=["tiny.en", "base"])
    parser.add_argument("--calls", type=int, default=len(CALLS))
    parser.add_argument("--instance-dir", type=Path, default=Path(tempfile.gettempdir()) / "coach-benchmark")
    arguments = parser.parse_args()
    installed = install_model(arguments.model, arguments.instance_dir)
    settings = Settings(instance_dir=arguments.instance_dir, whisper_model=str(installed.ct2_dir),
                        call_whisper_model=str(installed.ct2_dir)).with_defaults()
    with tempfile.TemporaryDirectory() as scratch:
        def folder(name: str) -> Path:
            (Path(scratch) / name).mkdir()
            return Path(scratch) / name

        synthetic = [build(folder(f"call{n}"), lines) for n, lines in enumerate(CALLS[: arguments.calls], 1)]
        real = [build_real(folder(f"real{n}"), *pair) for n, pair in enumerate(REAL_PAIRS, 1)]
        espeak_rates = report_calls("espeak-ng", synthetic, settings)
        real_rates = report_calls("real-voice", real, settings)
        single = [(name, first_pass(REAL / name, settings=settings)) for name in REAL_SINGLE]
    for name, result in single:
        print(f"one reader {name}: speakers {result.speakers}  confidence {result.speaker_confidence:.2f}")
    print(f"mean DER {np.mean(espeak_rates):.3f} over {len(espeak_rates)} espeak-ng calls, "
          f"{np.mean(real_rates):.3f} over {len(real_rates)} real-voice calls ({arguments.model}, no collar); "
          f"one reader said as one speaker: {sum(r.speakers == 1 for _, r in single)} of {len(single)}")

if __name__ == "__main__":
    main()
