"""Calls as they really come in: a mono call saved as two channels, and one person reading on mono."""
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from coach.calls.speakers import ONE_VOICE_NOTE, attribute_mono
from coach.speech.audio import SAMPLE_RATE, decode_audio
from coach.speech.engines import Segment, Word
from coach.speech.voice import channels_match

from .call_audio import Line, build_call

READING = [Line("agent", "Thank you for calling Acme, my name is Sam."), Line("agent", "Today I am reading the terms."),
           Line("agent", "Your order ships within two working days."), Line("agent", "Refunds are paid to the original card."),
           Line("agent", "Thanks for listening and have a good day.")]
ONE_VOICE = {"agent": ("en-us", "50"), "customer": ("en-us", "50")}
TWO_VOICES = {"agent": ("en-us", "50"), "customer": ("en+f3", "50")}
DIALOGUE = [Line("agent", "Thank you for calling Acme, my name is Sam."), Line("customer", "My parcel is late again and I am annoyed."),
            Line("agent", "I am so sorry to hear that. Can I take your order number?"),
            Line("customer", "Yes, it is the one from last Tuesday."), Line("agent", "I can see it here, it left the depot this morning."),
            Line("customer", "Okay, when will it arrive then?")]


@pytest.fixture(scope="module")
def reading(tmp_path_factory):
    return build_call(tmp_path_factory.mktemp("reading"), READING, gaps={}, overlaps={}, voices=ONE_VOICE)


@pytest.fixture(scope="module")
def duplicated(reading, tmp_path_factory):
    """The mono reading saved as two channels, the right one 6 dB down and 3 samples late."""
    mono = decode_audio(reading.mono).channels[0]
    right = np.concatenate([np.zeros(3, dtype=np.float32), mono[:-3]]) * 10 ** (-6 / 20)
    path = tmp_path_factory.mktemp("dup") / "duplicated.wav"
    soundfile.write(path, np.vstack([mono, right]).T, SAMPLE_RATE, subtype="PCM_16")
    return path


def _units(spans):
    """Oracle sentence units (the placed lines) as a transcript would give them."""
    return [Segment(a, b, text, [Word(a, b, text, 0.9)]) for _, a, b, text in spans]


def test_matching_channels_are_recognised_through_gain_and_delay(duplicated):
    assert channels_match(decode_audio(duplicated).channels)


def test_two_speakers_on_two_channels_do_not_match(built_call, tmp_path):
    assert not channels_match(decode_audio(built_call.stereo).channels)
    bleeding = build_call(tmp_path, bleed=0.2)
    assert not channels_match(decode_audio(bleeding.stereo).channels)


def test_one_reader_on_mono_is_one_speaker(reading):
    samples = decode_audio(reading.mono).channels[0]
    attribution = attribute_mono(_units(reading.spans), samples)
    assert attribution.speakers == 1 and attribution.note == ONE_VOICE_NOTE
    assert {s.speaker for s in attribution.segments} == {"agent"} and 0 <= attribution.confidence <= 1


def test_two_voices_on_mono_are_separated(tmp_path):
    built = build_call(tmp_path, DIALOGUE, gaps={}, overlaps={}, voices=TWO_VOICES)
    samples = decode_audio(built.mono).channels[0]
    attribution = attribute_mono(_units(built.spans), samples)
    assert attribution.speakers == 2 and attribution.note == "" and attribution.confidence > 0.5
    assert [s.speaker for s in attribution.segments] == [who for who, *_ in built.spans]


def test_a_mono_call_saved_as_two_channels_is_transcribed_once(duplicated, call_settings):
    from coach.calls import first_pass

    result = first_pass(duplicated, settings=call_settings)
    data = result.to_dict()
    assert data["channels"] == 2 and data["treated_as"] == "mono" and data["agent_channel"] == "mono"
    text = " ".join(s["text"] for s in data["segments"]).lower()
    assert text.count("calling") == 1 and text.count("refunds") == 1, text
    assert data["speakers"] == 1 and ONE_VOICE_NOTE in data["notes"]
    assert {s["speaker"] for s in data["segments"]} == {"agent"}
    assert json.loads(json.dumps(data))["asr_quality"]["mean_word_probability"] > 0


def test_real_stereo_keeps_its_per_channel_path(stereo_result):
    data = stereo_result.to_dict()
    assert data["channels"] == 2 and data["treated_as"] == "stereo" and data["speakers"] == 2 and data["notes"] == []
    assert {s.channel for s in stereo_result.segments} == {0, 1}


REAL_SPEECH = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "real_speech"


def _real_call(names: list[str], pause: float = 0.7) -> tuple[np.ndarray, list]:
    """Real recordings placed one after another on mono, each as one oracle unit: (samples, spans)."""
    pieces, spans, cursor = [], [], 0.0
    for name in names:
        sound = decode_audio(REAL_SPEECH / name).mono()
        pieces += [np.zeros(int(pause * SAMPLE_RATE), dtype=np.float32), sound / (np.abs(sound).max() + 1e-9) * 0.8]
        spans.append((name, cursor + pause, cursor + pause + len(sound) / SAMPLE_RATE, name))
        cursor += len(sound) / SAMPLE_RATE + pause
    return np.concatenate(pieces).astype(np.float32), spans


def test_one_real_reader_on_mono_is_one_speaker():
    """LibriSpeech reader 1221's two recordings and reader 1272's two (one of them telephone-band): one voice each."""
    for names in (["1221-135766-0001.wav", "1221-135766-0002.wav"], ["1272-141231-0002.flac", "1272-128104-0004-8k.wav"]):
        samples, spans = _real_call(names)
        attribution = attribute_mono(_units(spans), samples)
        assert attribution.speakers == 1, names


def test_two_real_readers_on_mono_are_separated():
    """Men and women taking turns (LibriSpeech 1089 and 1272, 1221 and LJ Speech), each turn a real recording: two
    voices, and the turns fall to two sides by sex (the encoder puts the two men, and the two women, close)."""
    samples, spans = _real_call(["1089-134686-0001.wav", "1221-135766-0002.wav", "1272-141231-0002.flac", "LJ050-0131.wav"])
    attribution = attribute_mono(_units(spans), samples)
    sides = [s.speaker for s in attribution.segments]
    assert attribution.speakers == 2 and sides[0] != sides[1] and sides[1] == sides[3] and sides[0] == sides[2]
