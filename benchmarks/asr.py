"""ASR benchmark: every engine x model on the same clips, openai-whisper as the baseline.

For each configuration, in a fresh process (so peak memory is its own): model load time,
real-time factor (transcribe seconds / audio seconds, after a warm-up), peak resident
memory, and word error rate after Whisper's English text normaliser. Clips are
espeak-ng speech with known text (clean, noisy at 10 dB SNR, a 10 s reply, optionally an
N-minute call) plus any audio file given with a reference ``.txt`` beside it; ``given_wer`` and
``given_rtf`` are over those files alone (e.g. the real speech in benchmarks/data/real_speech/).

    python benchmarks/asr.py [FILE ...] [--models tiny.en base] [--device cuda] [--call-minutes 10]
    python benchmarks/asr.py benchmarks/data/real_speech/*.wav benchmarks/data/real_speech/*.flac \
        --engines faster-whisper --models tiny.en base
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.speech.audio import SAMPLE_RATE, decode_audio  # noqa: E402
from coach.speech.engines import ENGINES, load_engine  # noqa: E402
from coach.speech.model_install import install_model  # noqa: E402

SENTENCES = [
    ("en-us", "Thank you for calling customer support, my name is Alex and I will be helping you today."),
    ("en-gb", "I am sorry to hear that your parcel arrived damaged, that must have been really disappointing."),
    ("en-us", "Could you please read me the order number printed at the top of your confirmation email?"),
    ("en-gb-scotland", "I have issued a full refund to your card and you should see it within five working days."),
    ("en-029", "If the replacement does not arrive by Friday, call us back and ask for me directly."),
    ("en-us", "Let me check with the billing team whether the late payment fee can be removed from your account."),
    ("en-gb-x-rp", "I understand this is the third time you have had to contact us about the same problem."),
    ("en-us", "Is there anything else I can help you with before we end the call?"),
]
REPLY = ("en-us", "I completely understand your frustration. Let me look into the delivery right now and I will make sure it is sorted today.")


@dataclass
class Clip:
    name: str
    kind: str  # clean, noisy, reply, call, given
    samples: np.ndarray
    reference: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def espeak(voice: str, text: str, folder: Path, speed: int = 160) -> np.ndarray:
    path = folder / f"{abs(hash((voice, text, speed)))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return decode_audio(path).mono()


def synthetic_clips(folder: Path, call_minutes: float) -> list[Clip]:
    rng = np.random.default_rng(0)
    clips = []
    for index, (voice, text) in enumerate(SENTENCES):
        speech = espeak(voice, text, folder, speed=140 + 10 * (index % 4))
        clips.append(Clip(f"clean-{index}", "clean", speech, text))
        noise = rng.standard_normal(len(speech)).astype(np.float32)
        noise *= np.sqrt(np.mean(speech**2) / np.mean(noise**2) / 10 ** (10 / 10))
        clips.append(Clip(f"noisy-{index}", "noisy", speech + noise, text))
    reply = espeak(*REPLY, folder)
    clips.append(Clip("reply", "reply", np.concatenate([reply, np.zeros(int((10 - len(reply) / SAMPLE_RATE) * SAMPLE_RATE), np.float32)]), REPLY[1]))
    if call_minutes > 0:
        pieces, texts, total, pause = [], [], 0.0, np.zeros(int(0.7 * SAMPLE_RATE), np.float32)
        sentences = [c for c in clips if c.kind == "clean"]
        while total < call_minutes * 60:
            clip = sentences[len(pieces) % len(sentences)]
            pieces += [clip.samples, pause]
            texts.append(clip.reference)
            total += clip.seconds + 0.7
        clips.append(Clip(f"call-{call_minutes:g}min", "call", np.concatenate(pieces), " ".join(texts)))
    return clips


def given_clips(paths: list[Path]) -> list[Clip]:
    clips = []
    for path in paths:
        reference = path.with_suffix(".txt")
        if not reference.is_file():
            sys.exit(f"{path}: no reference transcript at {reference}")
        clips.append(Clip(path.name, "given", decode_audio(path).mono(), reference.read_text()))
    return clips


def word_error_rate(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference words) after Whisper's English normaliser."""
    from whisper.normalizers import EnglishTextNormalizer

    normalise = EnglishTextNormalizer()
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1], len(ref)


def run_configuration(engine_name: str, model_path: str, device: str, beam_size: int, clips: list[Clip], results) -> None:
    """In a child process: load, warm up, transcribe every clip; report timings, errors and peak memory."""
    started = time.perf_counter()
    engine = load_engine(engine_name, model_path, device=device, beam_size=beam_size)
    load_seconds = time.perf_counter() - started
    engine.transcribe(clips[0].samples)  # warm-up
    rows = []
    for clip in clips:
        started = time.perf_counter()
        transcript = engine.transcribe(clip.samples)
        elapsed = time.perf_counter() - started
        rows.append((clip.name, clip.kind, clip.seconds, elapsed, *word_error_rate(clip.reference, transcript.text)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put({"load": load_seconds, "peak_mb": peak_mb, "rows": rows})


def summarise(engine: str, model: str, report: dict, baseline: dict | None) -> dict:
    def over(kinds: tuple[str, ...]) -> tuple[float | None, float | None]:
        rows = [r for r in report["rows"] if r[1] in kinds]
        if not rows:
            return None, None
        return sum(r[3] for r in rows) / sum(r[2] for r in rows), sum(r[4] for r in rows) / max(1, sum(r[5] for r in rows))

    rtf, wer = over(("clean", "noisy", "given"))
    clean_rtf, clean_wer = over(("clean",))
    _, noisy_wer = over(("noisy",))
    call_rtf, call_wer = over(("call",))
    given_rtf, given_wer = over(("given",))
    reply = next((r[3] for r in report["rows"] if r[1] == "reply"), None)
    speedup = None if baseline is None or rtf is None else over_baseline(baseline, rtf)
    return {"engine": engine, "model": model, "load_s": report["load"], "peak_mb": report["peak_mb"], "rtf": rtf,
            "speedup": speedup, "wer": wer, "clean_wer": clean_wer, "noisy_wer": noisy_wer, "reply_s": reply,
            "call_rtf": call_rtf, "call_wer": call_wer, "given_rtf": given_rtf, "given_wer": given_wer}


def over_baseline(baseline: dict, rtf: float) -> float:
    return baseline["rtf"] / rtf if rtf else float("nan")


def print_table(summaries: list[dict]) -> None:
    columns = [("engine", "{}"), ("model", "{}"), ("load_s", "{:.2f}"), ("peak_mb", "{:.0f}"), ("rtf", "{:.3f}"),
               ("speedup", "{:.2f}x"), ("wer", "{:.1%}"), ("clean_wer", "{:.1%}"), ("noisy_wer", "{:.1%}"),
               ("reply_s", "{:.2f}"), ("call_rtf", "{:.3f}"), ("call_wer", "{:.1%}"), ("given_rtf", "{:.3f}"),
               ("given_wer", "{:.1%}")]
    cells = [[name for name, _ in columns]] + [
        ["-" if s[name] is None else fmt.format(s[name]) for name, fmt in columns] for s in summaries
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    for index, row in enumerate(cells):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path, help="audio files with a reference .txt beside each")
    parser.add_argument("--engines", nargs="+", default=["openai-whisper", "faster-whisper"], choices=ENGINES)
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"], choices=["tiny.en", "base"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--call-minutes", type=float, default=0, help="also transcribe an N-minute synthetic call")
    parser.add_argument("--instance-dir", type=Path, default=Path(tempfile.gettempdir()) / "coach-benchmark")
    arguments = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is needed for the synthetic clips (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as folder:
        clips = synthetic_clips(Path(folder), arguments.call_minutes) + given_clips(arguments.clips)
    audio_minutes = sum(c.seconds for c in clips if c.kind != "call") / 60
    print(f"{len(clips)} clips, {audio_minutes:.1f} min (+ call: {arguments.call_minutes:g} min), device {arguments.device}, beam {arguments.beam_size}")
    engines = sorted(arguments.engines, key=lambda name: name != "openai-whisper")  # the baseline first
    context = multiprocessing.get_context("spawn")
    summaries = []
    for model in arguments.models:
        installed = install_model(model, arguments.instance_dir)
        baseline = None
        for engine in engines:
            results = context.Queue()
            worker = context.Process(target=run_configuration, args=(engine, str(installed.path_for(engine)), arguments.device, arguments.beam_size, clips, results))
            worker.start()
            report = results.get()
            worker.join()
            summary = summarise(engine, model, report, baseline)
            if engine == "openai-whisper":
                baseline, summary["speedup"] = summary, 1.0
            summaries.append(summary)
            print(f"  done: {engine} {model} (RTF {summary['rtf']:.3f})", flush=True)
    print()
    print_table(summaries)


if __name__ == "__main__":
    main()
