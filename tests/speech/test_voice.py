import time

import numpy as np
import pytest

from coach.speech.audio import decode_audio
from coach.speech.engines import Word
from coach.speech.voice import channel_overlaps, find_fillers, measure_voice, overlaps, timed_words, word_intervals
from scoring.inputs import TimedWord, VoiceFeatures

from .conftest import tone

SILENCE = lambda seconds: np.zeros(int(seconds * 16000), dtype=np.float32)  # noqa: E731


def test_a_known_pause_is_found_in_the_audio():
    signal = np.concatenate([tone(200, 1.0), SILENCE(1.5), tone(200, 1.0), SILENCE(0.2), tone(200, 1.0)])
    measures = measure_voice(signal)
    assert measures.pause_count == 1
    assert measures.longest_pause == pytest.approx(1.5, abs=0.05)
    assert measures.pauses[0][0] == pytest.approx(1.0, abs=0.05)


def test_a_known_pitch_and_a_flat_voice_is_monotone():
    measures = measure_voice(tone(180, 2.0))
    assert measures.pitch_median_hz == pytest.approx(180, rel=0.01)
    assert measures.pitch_range_semitones < 0.5 and measures.monotone is True


def test_a_gliding_pitch_is_not_monotone():
    t = np.arange(3 * 16000) / 16000
    frequency = 220 * 2 ** (np.sin(2 * np.pi * 0.5 * t) * 6 / 12)  # +/- 6 semitones
    signal = 0.3 * np.sin(2 * np.pi * np.cumsum(frequency) / 16000).astype(np.float32)
    measures = measure_voice(signal)
    assert measures.pitch_range_semitones > 8 and measures.monotone is False


def test_yin_and_pyin_agree_on_speech_and_yin_is_faster(reply_wav):
    samples = decode_audio(reply_wav).mono()
    measure_voice(samples, pitch_tracker="yin")  # warm-up
    timings, medians = {}, {}
    for tracker in ("yin", "pyin"):
        started = time.perf_counter()
        medians[tracker] = measure_voice(samples, pitch_tracker=tracker).pitch_median_hz
        timings[tracker] = time.perf_counter() - started
    assert medians["yin"] == pytest.approx(medians["pyin"], rel=0.05)
    assert timings["yin"] < timings["pyin"]


def test_loudness_is_in_dbfs():
    measures = measure_voice(np.concatenate([tone(300, 1.0, amplitude=0.5), tone(300, 1.0, amplitude=0.05)]))
    assert measures.loudness_dbfs == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)) - 3.0, abs=0.5)
    assert measures.loudness_range_db == pytest.approx(20.0, abs=1.0)


def test_rates_and_fillers_come_from_the_words():
    words = [Word(i * 0.5, i * 0.5 + 0.4, w, 0.9) for i, w in enumerate(["So", "um,", "you", "know,", "your", "order"])]
    words += [Word(5.0, 5.4, " shipped.", 0.9)]
    measures = measure_voice(None, words)
    assert measures.word_count == 7
    assert measures.speaking_rate_wpm == pytest.approx(7 / 5.4 * 60)
    assert measures.pauses == [(2.9, 5.0)]
    assert measures.articulation_rate_wpm == pytest.approx(7 / (5.4 - 2.1) * 60)
    assert measures.fillers == ["um", "you know"]


def test_measures_convert_to_scoring_inputs():
    words = [Word(0.0, 0.3, " Hello", 0.9), Word(1.5, 1.9, " there.", 0.9)]
    features = measure_voice(np.concatenate([tone(150, 0.3), SILENCE(1.2), tone(150, 0.4)]), words).to_scoring()
    assert isinstance(features, VoiceFeatures)
    assert features.long_pauses == 1 and features.longest_pause_s == pytest.approx(1.2, abs=0.05)
    assert features.duration_s == pytest.approx(1.9) and features.words_per_minute == pytest.approx(2 / 1.9 * 60)
    assert timed_words(words) == [TimedWord("Hello", 0.0, 0.3), TimedWord("there.", 1.5, 1.9)]


def test_overlaps_between_two_channels():
    agent = np.concatenate([tone(150, 2.0), SILENCE(2.0)])
    customer = np.concatenate([SILENCE(1.0), tone(220, 2.0), SILENCE(1.0)])
    (start, end), = channel_overlaps(np.stack([agent, customer]))
    assert start == pytest.approx(1.0, abs=0.05) and end == pytest.approx(2.0, abs=0.05)
    assert overlaps([(0, 1), (3, 4)], [(0.5, 3.5), (3.9, 4.05)]) == [(0.5, 1), (3, 3.5)]
    assert word_intervals([Word(0, 0.4, "a", 1), Word(0.5, 0.9, "b", 1), Word(2, 2.5, "c", 1)]) == [(0, 0.9), (2, 2.5)]


def test_fillers_ignore_case_and_punctuation():
    assert find_fillers([" Uh,", "I", "mean", "Hmm...", "like"]) == ["uh", "i mean", "hmm"]
