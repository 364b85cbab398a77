import re

import numpy as np
import pytest

from coach.speech.audio import DecodedAudio, decode_audio
from coach.speech.engines import EngineError, Transcript, get_engine, load_engine, transcribe_channels

from .conftest import REPLY

pytestmark = pytest.mark.slow  # loads the tiny.en model

ENGINES = ["faster-whisper", "openai-whisper"]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


@pytest.mark.parametrize("engine", ENGINES)
def test_espeak_reply_is_transcribed_with_words_in_time_order(reply_transcripts, engine):
    transcript: Transcript = reply_transcripts[engine]
    assert transcript.language == "en"
    heard, said = _words(transcript.text), _words(REPLY)
    assert len(set(heard) & set(said)) >= 0.8 * len(set(said))
    for key in ("thank", "calling", "frustrating", "tracking", "number"):
        assert key in heard
    words = transcript.words()
    assert len(words) >= 0.8 * len(said)
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert all(w.start <= w.end and 0 <= w.probability <= 1 for w in words)
    assert words[-1].end <= transcript.duration + 0.5
    assert words[0].word.strip().lower().startswith("thank") and words[0].start < 0.5


def test_progress_reports_fractions_up_to_done(reply_wav, faster_engine, openai_engine):
    samples = decode_audio(reply_wav).mono()
    for engine in (faster_engine, openai_engine):
        seen: list[float] = []
        engine.transcribe(samples, seen.append)
        assert seen and seen[-1] == 1.0
        assert seen == sorted(seen) and all(0 <= f <= 1 for f in seen)


def test_stereo_call_is_transcribed_per_channel(reply_wav, other_wav, faster_engine):
    agent, customer = decode_audio(reply_wav).mono(), decode_audio(other_wav).mono()
    length = max(len(agent), len(customer))
    channels = np.zeros((2, length), dtype=np.float32)
    channels[0, : len(agent)], channels[1, : len(customer)] = agent, customer
    call = DecodedAudio(channels, 16000, length / 16000)
    fractions: list[float] = []
    transcript = transcribe_channels(faster_engine, call, fractions.append)
    agent_text = " ".join(s.text for s in transcript.segments if s.channel == 0).lower()
    customer_text = " ".join(s.text for s in transcript.segments if s.channel == 1).lower()
    assert "tracking" in agent_text and "account" not in agent_text
    assert "account" in customer_text and "tracking" not in customer_text
    assert fractions[-1] == 1.0 and min(fractions) >= 0
    assert [s.start for s in transcript.segments] == sorted(s.start for s in transcript.segments)


def test_silence_gives_an_empty_transcript(faster_engine):
    transcript = faster_engine.transcribe(np.zeros(16000 * 2, dtype=np.float32))
    assert transcript.duration == 2.0 and len(transcript.words()) <= 1


def test_engines_are_loaded_once_per_process(tiny_model, faster_engine):
    assert get_engine("faster-whisper", str(tiny_model.ct2_dir)) is faster_engine


def test_unknown_engine_or_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(EngineError, match="unknown ASR engine"):
        load_engine("kaldi", "tiny.en")
    with pytest.raises(EngineError, match="cannot load model"):
        load_engine("faster-whisper", str(tmp_path))
