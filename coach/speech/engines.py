"""Speech recognition engines behind one interface: openai-whisper (the reference) and faster-whisper.

Both return word timestamps with the language fixed by configuration, so a short reply is
never mis-detected as another language. Engines are loaded once per process through
``get_engine`` and never at import time.
"""
from __future__ import annotations

import functools
import importlib
import os
import threading
from dataclasses import asdict, dataclass, field
from typing import Callable, Protocol

import numpy as np

from coach.speech.audio import SAMPLE_RATE, DecodedAudio

ENGINES = ("faster-whisper", "openai-whisper")
Progress = Callable[[float], None]


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    channel: int = 0


@dataclass(frozen=True)
class Transcript:
    segments: list[Segment]
    language: str
    duration: float

    @property
    def text(self) -> str:
        return " ".join(segment.text.strip() for segment in self.segments if segment.text.strip())

    def words(self, channel: int | None = None) -> list[Word]:
        """Every word in time order, optionally from one channel only."""
        return [w for s in self.segments if channel is None or s.channel == channel for w in s.words]

    def to_dict(self) -> dict:
        return {"duration": self.duration, "language": self.language, "segments": [asdict(s) for s in self.segments]}


class Engine(Protocol):
    name: str
    model: str
    language: str

    def transcribe(self, samples: np.ndarray, progress: Progress | None = None, prompt: str = "") -> Transcript: ...


class EngineError(Exception):
    """The engine or its model cannot be loaded; the message says which and what to do."""


class FasterWhisperEngine:
    """CTranslate2 Whisper: int8 on CPU, float16 on CUDA. ``fallback=False`` decodes once at temperature 0 (no
    retries at higher temperatures): a bounded time for interactive replies."""

    name = "faster-whisper"

    def __init__(self, model: str, language: str = "en", device: str = "cpu", beam_size: int = 5, threads: int = 0,
                 fallback: bool = True) -> None:
        from faster_whisper import WhisperModel

        self.model, self.language, self.beam_size = model, language, beam_size
        self.temperatures = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0] if fallback else [0.0]
        compute_type = "int8" if device == "cpu" else "float16"
        try:
            self._whisper = WhisperModel(model, device=device, compute_type=compute_type, cpu_threads=threads or len(os.sched_getaffinity(0)))
        except (OSError, RuntimeError, ValueError) as error:
            raise EngineError(f"faster-whisper cannot load model {model!r}: {error}") from None

    def transcribe(self, samples: np.ndarray, progress: Progress | None = None, prompt: str = "") -> Transcript:
        duration = len(samples) / SAMPLE_RATE
        pieces, _info = self._whisper.transcribe(
            np.ascontiguousarray(samples, dtype=np.float32), language=self.language, beam_size=self.beam_size,
            word_timestamps=True, temperature=self.temperatures, initial_prompt=prompt or None,
        )
        segments = []
        for piece in pieces:
            words = [Word(float(w.start), float(w.end), w.word, float(w.probability)) for w in piece.words or []]
            segments.append(Segment(float(piece.start), float(piece.end), piece.text, words))
            if progress and duration:
                progress(min(1.0, float(piece.end) / duration))
        if progress:
            progress(1.0)
        return Transcript(segments, self.language, duration)


class OpenAIWhisperEngine:
    """The reference implementation, in PyTorch."""

    name = "openai-whisper"
    _progress_lock = threading.Lock()

    def __init__(self, model: str, language: str = "en", device: str = "cpu", beam_size: int = 5, threads: int = 0,
                 fallback: bool = True) -> None:
        import torch
        import whisper

        self.model, self.language, self.beam_size, self.device = model, language, beam_size, device
        self.temperature = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if fallback else 0.0
        if threads:
            torch.set_num_threads(threads)
        try:
            self._whisper = _load_whisper(model, device) if os.path.isfile(model) else whisper.load_model(model, device=device)
        except (OSError, RuntimeError, ValueError, KeyError) as error:
            raise EngineError(f"openai-whisper cannot load model {model!r}: {error}") from None

    def transcribe(self, samples: np.ndarray, progress: Progress | None = None, prompt: str = "") -> Transcript:
        # ``whisper.transcribe`` the attribute is the function; the module is needed here.
        whisper_transcribe = importlib.import_module("whisper.transcribe")
        duration = len(samples) / SAMPLE_RATE
        options = dict(language=self.language, word_timestamps=True, fp16=self.device != "cpu", verbose=None,
                       temperature=self.temperature, initial_prompt=prompt or None)
        if self.beam_size > 1:
            options.update(beam_size=self.beam_size, best_of=self.beam_size)
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        if progress is None:
            result = self._whisper.transcribe(audio, **options)
        else:
            # whisper reports progress only through tqdm; swap in a reporter for this call.
            with self._progress_lock:
                original = whisper_transcribe.tqdm
                whisper_transcribe.tqdm = _TqdmModule(progress)
                try:
                    result = self._whisper.transcribe(audio, **options)
                finally:
                    whisper_transcribe.tqdm = original
        segments = [
            Segment(
                float(s["start"]),
                float(s["end"]),
                s["text"],
                [Word(float(w["start"]), float(w["end"]), w["word"], float(w["probability"])) for w in s.get("words", [])],
            )
            for s in result["segments"]
        ]
        if progress:
            progress(1.0)
        return Transcript(segments, self.language, duration)


class _ProgressBar:
    """Just enough of tqdm's interface for whisper.transcribe, forwarding fractions done."""

    def __init__(self, progress: Progress, total: int = 0, **_ignored) -> None:
        self.progress, self.total, self.done = progress, total or 1, 0

    def __enter__(self) -> "_ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        self.done += n
        self.progress(min(1.0, self.done / self.total))


class _TqdmModule:
    def __init__(self, progress: Progress) -> None:
        self.tqdm = functools.partial(_ProgressBar, progress)


def _load_whisper(path: str, device: str):
    """``whisper.load_model`` for a local checkpoint, also applying the alignment heads a converted one carries."""
    import torch
    import whisper

    checkpoint = torch.load(path, map_location=device, weights_only=True)
    model = whisper.Whisper(whisper.ModelDimensions(**checkpoint["dims"]))
    model.load_state_dict(checkpoint["model_state_dict"])
    if checkpoint.get("alignment_heads"):
        model.set_alignment_heads(checkpoint["alignment_heads"])
    return model.to(device)


def load_engine(name: str, model: str, language: str = "en", device: str = "cpu", beam_size: int = 5, threads: int = 0,
                fallback: bool = True) -> Engine:
    """A fresh engine; prefer ``get_engine`` so each process loads a model once."""
    if name == "faster-whisper":
        return FasterWhisperEngine(model, language, device, beam_size, threads, fallback)
    if name == "openai-whisper":
        return OpenAIWhisperEngine(model, language, device, beam_size, threads, fallback)
    raise EngineError(f"unknown ASR engine {name!r}: choose one of {', '.join(ENGINES)}")


@functools.lru_cache(maxsize=4)
def get_engine(name: str, model: str, language: str = "en", device: str = "cpu", beam_size: int = 5, threads: int = 0,
               fallback: bool = True) -> Engine:
    """The process-wide engine for these arguments, loaded on first use."""
    return load_engine(name, model, language, device, beam_size, threads, fallback)


def transcribe_channels(engine: Engine, audio: DecodedAudio, progress: Progress | None = None) -> Transcript:
    """Transcribe each channel on its own (agent and customer on a stereo call) and merge in time order."""
    n = audio.n_channels
    segments: list[Segment] = []
    for channel in range(n):
        report = None if progress is None else (lambda fraction, c=channel: progress((c + fraction) / n))
        transcript = engine.transcribe(audio.channels[channel], report)
        segments.extend(Segment(s.start, s.end, s.text, s.words, channel) for s in transcript.segments)
    segments.sort(key=lambda s: (s.start, s.channel))
    return Transcript(segments, engine.language, audio.duration)
