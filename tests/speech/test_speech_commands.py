import json

import numpy as np
import pytest
from click.testing import CliRunner

from coach.cli import speech_commands  # noqa: F401  (attaches the commands)
from coach.cli.groups import cli
from coach.speech.audio import decode_audio

from .conftest import encode

pytestmark = pytest.mark.slow  # loads the tiny.en model


@pytest.fixture(scope="module")
def invoke(tiny_model, instance_dir):
    environment = {"COACH_INSTANCE_DIR": str(instance_dir), "COACH_WHISPER_MODEL": "tiny.en", "COACH_ASR_ENGINE": "faster-whisper"}
    return lambda *args: CliRunner().invoke(cli, list(args), env=environment, catch_exceptions=False)


def test_transcribe_json_is_one_line_per_file_and_bad_files_do_not_stop_the_rest(invoke, other_wav, tmp_path):
    broken = tmp_path / "notes.wav"
    broken.write_text("not a recording")
    result = invoke("transcribe", "--json", str(other_wav), str(broken), str(other_wav))
    assert result.exit_code == 1
    first, refused, again = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(first) == {"file", "engine", "model", "duration", "language", "channels", "treated_as", "segments", "text"}
    assert first["treated_as"] == "mono"
    assert (first["engine"], first["model"], first["language"], first["channels"]) == ("faster-whisper", "tiny.en", "en", 1)
    assert "account" in first["text"].lower() and first == again
    segment = first["segments"][0]
    assert set(segment) == {"channel", "start", "end", "text", "words"}
    assert set(segment["words"][0]) == {"start", "end", "word", "probability"}
    assert set(refused) == {"file", "error"} and "not audio" in refused["error"]


def test_stereo_file_is_transcribed_per_channel(invoke, other_wav, reply_wav, tmp_path):
    left, right = decode_audio(reply_wav).mono(), decode_audio(other_wav).mono()
    stereo = np.zeros((2, max(len(left), len(right))), dtype=np.float32)
    stereo[0, : len(left)], stereo[1, : len(right)] = left, right
    (tmp_path / "call.flac").write_bytes(encode(stereo, 16000, "flac", "flac"))
    result = invoke("transcribe", "--json", "--engine", "openai-whisper", str(tmp_path / "call.flac"))
    call = json.loads(result.stdout)
    assert call["channels"] == 2 and call["engine"] == "openai-whisper" and call["treated_as"] == "stereo"
    assert {s["channel"] for s in call["segments"]} == {0, 1}


def test_a_mono_file_saved_as_two_channels_is_transcribed_once(invoke, other_wav, tmp_path):
    mono = decode_audio(other_wav).mono()
    right = np.concatenate([np.zeros(3, dtype=np.float32), mono[:-3]]) * 10 ** (-6 / 20)  # -6 dB, 3 samples late
    (tmp_path / "twice.flac").write_bytes(encode(np.vstack([mono, right]), 16000, "flac", "flac"))
    call = json.loads(invoke("transcribe", "--json", str(tmp_path / "twice.flac")).stdout)
    assert call["channels"] == 2 and call["treated_as"] == "mono"
    assert {s["channel"] for s in call["segments"]} == {0} and call["text"].lower().count("account") == 1


def test_transcribe_text_output_lists_segments(invoke, other_wav):
    result = invoke("transcribe", str(other_wav))
    assert result.exit_code == 0 and "account" in result.stdout.lower() and "1 channel" in result.stdout


def test_models_install_prints_the_path_to_use(invoke, tiny_model):
    result = invoke("models", "install", "tiny.en")
    assert result.exit_code == 0 and result.stdout.strip() == str(tiny_model.ct2_dir)
