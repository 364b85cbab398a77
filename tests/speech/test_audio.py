import io
import tracemalloc

import numpy as np
import pytest
import soundfile

from coach.speech.audio import SAMPLE_RATE, AudioError, decode_audio

from .conftest import encode, tone

FORMATS = [
    ("wav", "pcm_s16le", 44100),
    ("flac", "flac", 22050),
    ("mp3", "libmp3lame", 44100),
    ("ipod", "aac", 48000),  # .m4a
    ("ogg", "libopus", 48000),
    ("webm", "libopus", 48000),  # what browsers record
]


def _signal(channels: int, rate: int, seconds: float = 2.0) -> np.ndarray:
    rows = [tone(440, seconds, rate), tone(660, seconds, rate)][:channels]
    return np.stack(rows)


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize(("container", "codec", "rate"), FORMATS)
def test_every_format_decodes_to_16k_float32_per_channel(container, codec, rate, channels):
    audio = decode_audio(encode(_signal(channels, rate), rate, container, codec))
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.channels.dtype == np.float32
    assert audio.channels.shape[0] == channels
    assert audio.duration == pytest.approx(2.0, abs=0.1)
    assert audio.channels.shape[1] == pytest.approx(2.0 * SAMPLE_RATE, abs=0.1 * SAMPLE_RATE)
    assert 0.2 < np.max(np.abs(audio.channels)) <= 1.0


def test_stereo_channels_stay_apart():
    audio = decode_audio(encode(_signal(2, 44100), 44100, "flac", "flac"))
    spectra = [np.abs(np.fft.rfft(row[:SAMPLE_RATE])) for row in audio.channels]
    assert [int(np.argmax(s)) for s in spectra] == [440, 660]  # 1 Hz bins over one second


def test_path_and_bytes_give_the_same_samples(tmp_path):
    data = encode(_signal(1, 8000), 8000, "wav", "pcm_s16le")
    (tmp_path / "call.wav").write_bytes(data)
    assert np.array_equal(decode_audio(tmp_path / "call.wav").channels, decode_audio(data).channels)


@pytest.mark.parametrize("data", [b"this is a text file, not a recording\n" * 10, bytes(range(256)) * 40, b"\x89PNG\r\n\x1a\n" + bytes(64)])
def test_not_audio_is_refused(data):
    with pytest.raises(AudioError, match="not audio"):
        decode_audio(data)


def test_empty_file_is_refused(tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        decode_audio(tmp_path / "empty.wav")
    with pytest.raises(AudioError, match="empty"):
        decode_audio(b"")


def test_silent_recording_is_refused():
    out = io.BytesIO()
    soundfile.write(out, np.zeros(SAMPLE_RATE * 2, dtype=np.float32), SAMPLE_RATE, format="WAV")
    with pytest.raises(AudioError, match="silent"):
        decode_audio(out.getvalue())


@pytest.mark.parametrize(("container", "codec", "rate"), [FORMATS[0], FORMATS[2], FORMATS[5]])
def test_recording_over_the_limit_is_refused(container, codec, rate):
    data = encode(_signal(1, rate, seconds=10), rate, container, codec)
    with pytest.raises(AudioError, match="too long"):
        decode_audio(data, max_seconds=5)
    assert decode_audio(data, max_seconds=60).duration == pytest.approx(10, abs=0.1)


@pytest.mark.parametrize(("container", "codec", "rate"), [FORMATS[0], FORMATS[1], FORMATS[2], FORMATS[5]])
def test_truncated_recording_says_how_far_it_got(container, codec, rate):
    data = encode(_signal(2, rate, seconds=10), rate, container, codec)
    with pytest.raises(AudioError, match=r"(corrupt|truncated).* after [45]\.\d s") as refused:
        decode_audio(data[: len(data) // 2])
    assert "after" in str(refused.value)


def test_corrupt_middle_says_how_far_it_got():
    data = bytearray(encode(_signal(2, 44100, seconds=10), 44100, "mp3", "libmp3lame"))
    middle = len(data) // 2
    data[middle:] = bytes(len(data) - middle)
    with pytest.raises(AudioError, match=r"corrupt.* after 5\.\d s"):
        decode_audio(bytes(data))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(AudioError, match="no such file"):
        decode_audio(tmp_path / "nowhere.wav")


def test_mono_mixes_the_channels():
    audio = decode_audio(encode(_signal(2, 16000), 16000, "wav", "pcm_s16le"))
    assert np.allclose(audio.mono(), audio.channels.mean(axis=0), atol=1e-6)


def test_long_recordings_decode_without_a_second_copy():
    """Peak memory stays near the decoded array itself, so a 2-hour call costs ~0.9 GB, not several."""
    rate, seconds = 8000, 300  # a five-minute stereo phone call
    data = encode(_signal(2, rate, seconds=seconds), rate, "flac", "flac")
    tracemalloc.start()
    try:
        audio = decode_audio(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert audio.duration == pytest.approx(seconds, abs=0.1)
    assert peak < 1.25 * audio.channels.nbytes
