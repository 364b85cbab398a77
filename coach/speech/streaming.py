"""Transcribing a reply while it is spoken, so that little is left to do when the trainee stops.

The growing recording is cut at the trainee's pauses: each stretch of speech between the last cut and a pause
is transcribed once, with the words so far as Whisper's prompt (so it reads like one reply), and its words are
kept. ``finish`` transcribes only the audio after the last pause and joins the pieces in time order.
"""
from __future__ import annotations

import numpy as np

from coach.speech.audio import SAMPLE_RATE, SILENCE_PEAK
from coach.speech.engines import Engine, Segment, Transcript, Word

FRAME = SAMPLE_RATE // 50  # 20 ms
PAUSE_SECONDS = 0.3  # a quiet stretch this long is a place to cut
MIN_PIECE_SECONDS = 1.5  # shorter pieces give Whisper too little to go on
QUIET_DB = 30.0  # frames this far below the loudest so far are quiet
PROMPT_CHARS = 200
MIN_TAIL_SECONDS = 0.2


class StreamingTranscriber:
    """Incremental transcription of one growing mono recording with one engine."""

    def __init__(self, engine: Engine, pause_seconds: float = PAUSE_SECONDS, min_piece_seconds: float = MIN_PIECE_SECONDS):
        self.engine = engine
        self.pause_seconds = pause_seconds
        self.min_piece_seconds = min_piece_seconds
        self.committed_: list[Segment] = []
        self.cut_sample_ = 0
        self.passes_ = 0

    def next_cut(self, samples: np.ndarray) -> int | None:
        """The middle of the latest pause after a long enough piece of new speech, as a sample index; else None."""
        start = self.cut_sample_ + int(self.min_piece_seconds * SAMPLE_RATE)
        if len(samples) < start + FRAME:
            return None
        loud = _frame_levels(samples[self.cut_sample_:])
        if not len(loud) or loud.max() <= SILENCE_PEAK:
            return None
        quiet = loud < max(SILENCE_PEAK, loud.max() * 10 ** (-QUIET_DB / 20))
        need = int(round(self.pause_seconds * SAMPLE_RATE / FRAME))
        first = (start - self.cut_sample_) // FRAME
        run_end = None
        for index in range(len(quiet) - 1, first - 1, -1):
            if quiet[index] and run_end is None:
                run_end = index
            elif not quiet[index] and run_end is not None:
                if run_end - index >= need and loud[:index + 1].max() > SILENCE_PEAK:
                    return self.cut_sample_ + ((index + 1 + run_end + 1) // 2) * FRAME
                run_end = None
        return None

    def advance(self, samples: np.ndarray) -> bool:
        """Transcribe the speech up to the latest pause, if there is a new one; returns whether a pass ran."""
        cut = self.next_cut(samples)
        if cut is None:
            return False
        self._commit(samples[self.cut_sample_:cut])
        self.cut_sample_ = cut
        return True

    def finish(self, samples: np.ndarray) -> Transcript:
        """The whole reply: the pieces so far plus one pass over what follows the last cut."""
        tail = samples[self.cut_sample_:]
        if len(tail) >= MIN_TAIL_SECONDS * SAMPLE_RATE and float(np.max(np.abs(tail))) > SILENCE_PEAK:
            self._commit(tail)
        return Transcript(list(self.committed_), self.engine.language, len(samples) / SAMPLE_RATE)

    def _commit(self, piece: np.ndarray) -> None:
        self.passes_ += 1
        offset = self.cut_sample_ / SAMPLE_RATE
        prompt = " ".join(segment.text for segment in self.committed_)[-PROMPT_CHARS:]
        transcript = self.engine.transcribe(np.ascontiguousarray(piece, dtype=np.float32), prompt=prompt)
        words = [Word(w.start + offset, w.end + offset, w.word, w.probability) for w in transcript.words()]
        if words:
            self.committed_.append(Segment(words[0].start, words[-1].end, "".join(w.word for w in words).strip(), words))


def _frame_levels(samples: np.ndarray) -> np.ndarray:
    """Peak level of each 20 ms frame."""
    n = len(samples) // FRAME
    return np.abs(samples[: n * FRAME]).reshape(n, FRAME).max(axis=1) if n else np.zeros(0)
