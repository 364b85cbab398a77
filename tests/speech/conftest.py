"""Speech fixtures: espeak-ng speech generated on the fly, tiny.en installed once, engines loaded once."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from coach.speech.audio import decode_audio
from coach.speech.engines import get_engine
from coach.speech.model_install import InstalledModel, install_model

REPLY = "Thank you for calling. I understand how frustrating a late order is. Let me check the tracking number for you."
OTHER = "Please hold while I look up your account."


def speak(text: str, path: Path, words_per_minute: int = 150, voice: str = "en-us") -> Path:
    """Real synthetic speech from espeak-ng as a 22.05 kHz mono WAV file."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(path), text], check=True)
    return path


def tone(frequency: float, seconds: float, rate: int = 16000, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def encode(samples: np.ndarray, rate: int, container: str, codec: str) -> bytes:
    """Encode float samples shaped (channels, n) with PyAV, as a browser or phone system would; bit-exact (no random
    stream ids), so the same samples give the same bytes."""
    layout = "stereo" if samples.shape[0] == 2 else "mono"
    out = io.BytesIO()
    with av.open(out, mode="w", format=container, container_options={"fflags": "+bitexact"}) as muxer:
        stream = muxer.add_stream(codec, rate=rate, layout=layout)
        codec_format = stream.codec_context.codec.audio_formats[0].name
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32), format="fltp", layout=layout)
        frame.sample_rate = rate
        for converted in av.AudioResampler(format=codec_format, layout=layout, rate=rate).resample(frame):
            for packet in stream.encode(converted):
                muxer.mux(packet)
        for packet in stream.encode(None):
            muxer.mux(packet)
    return out.getvalue()


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def reply_wav(speech_dir) -> Path:
    return speak(REPLY, speech_dir / "reply.wav")


@pytest.fixture(scope="session")
def other_wav(speech_dir) -> Path:
    return speak(OTHER, speech_dir / "other.wav", voice="en-gb")


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def tiny_model(instance_dir) -> InstalledModel:
    return install_model("tiny.en", instance_dir)


@pytest.fixture(scope="session")
def faster_engine(tiny_model):
    return get_engine("faster-whisper", str(tiny_model.ct2_dir))


@pytest.fixture(scope="session")
def openai_engine(tiny_model):
    return get_engine("openai-whisper", str(tiny_model.whisper_checkpoint))


@pytest.fixture(scope="session")
def reply_transcripts(reply_wav, faster_engine, openai_engine) -> dict:
    """The reply transcribed once by each engine, shared by the engine and converter tests."""
    samples = decode_audio(reply_wav).mono()
    return {engine.name: engine.transcribe(samples) for engine in (faster_engine, openai_engine)}
