"""Transcribing while the trainee speaks: cut at pauses, each piece once, the same words as one pass at the end."""
import numpy as np
import pytest

from coach.speech.audio import SAMPLE_RATE, decode_audio
from coach.speech.engines import get_engine
from coach.speech.live import LiveAudioError, LiveTake
from coach.speech.streaming import StreamingTranscriber
from tests.speech.conftest import speak

SENTENCES = ("I am so sorry that your parcel is late.", "I will send a new one today by next day delivery.")


@pytest.fixture(scope="module")
def two_sentences(speech_dir) -> np.ndarray:
    """Two spoken sentences with a second's pause between them."""
    parts = [decode_audio(speak(text, speech_dir / f"part{i}.wav")).mono() for i, text in enumerate(SENTENCES)]
    return np.concatenate([parts[0], np.zeros(SAMPLE_RATE, dtype=np.float32), parts[1]])


def test_a_reply_is_transcribed_piece_by_piece_as_it_grows(tiny_model, two_sentences):
    engine = get_engine("faster-whisper", str(tiny_model.ct2_dir), beam_size=1, fallback=False)
    streaming = StreamingTranscriber(engine)
    for end in range(SAMPLE_RATE // 4, len(two_sentences) + 1, SAMPLE_RATE // 4):  # the page's quarter-second pieces
        streaming.advance(two_sentences[:end])
    assert streaming.passes_ == 1 and streaming.cut_sample_ > SAMPLE_RATE  # the pause was found while speaking
    transcript = streaming.finish(two_sentences)
    assert streaming.passes_ == 2 and len(transcript.segments) == 2
    text = transcript.text.lower()
    for word in ("sorry", "parcel", "late", "today", "delivery"):
        assert word in text
    starts = [word.start for word in transcript.words()]
    assert starts == sorted(starts) and transcript.words()[-1].end > len(two_sentences) / SAMPLE_RATE - 2


def test_silence_alone_is_never_cut_or_transcribed(faster_engine):
    streaming = StreamingTranscriber(faster_engine)
    silence = np.zeros(SAMPLE_RATE * 5, dtype=np.float32)
    assert not streaming.advance(silence)
    assert streaming.finish(silence).segments == [] and streaming.passes_ == 0


def test_a_take_is_appended_in_order_and_kept_as_a_wav(tmp_path):
    take = LiveTake(tmp_path, "a" * 32)
    assert take.append(0, b"\1\0" * 10, limit_bytes=100) == 20
    assert take.append(10, b"\1\0" * 10, limit_bytes=100) == 30  # half of it was already there
    with pytest.raises(LiveAudioError, match="went missing"):
        take.append(40, b"\0\0", limit_bytes=100)
    with pytest.raises(LiveAudioError, match="a reply may take"):
        take.append(30, b"\0\0" * 40, limit_bytes=100)
    assert take.append(30, b"", limit_bytes=100, final=True) == 30 and take.finished()
    with pytest.raises(LiveAudioError, match="already sent"):
        take.append(30, b"\0\0", limit_bytes=100)
    assert len(take.samples()) == 15 and take.wav_bytes()[:4] == b"RIFF"
    take.discard()
    assert not list(tmp_path.iterdir())
    with pytest.raises(LiveAudioError):
        LiveTake(tmp_path, "../../etc/passwd")
