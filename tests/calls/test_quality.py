"""ASR confidence per call, abstention below the review threshold, evidence resting on unsure words, and the
call model falling back to the installed one."""
import logging

from coach.calls.metrics import CallMetrics, Overtalk
from coach.calls.pipeline import call_model, moment
from coach.calls.quality import asr_quality, rests_on_guesses
from coach.calls.transcript import CallSegment, CallWord
from coach.config import Settings, settings_from_env
from scoring import Evidence


def _segment(probabilities, start=0.0, speaker="agent"):
    words = [CallWord(f"w{i}", start + i * 0.5, start + i * 0.5 + 0.4, p) for i, p in enumerate(probabilities)]
    return CallSegment(start, words[-1].end, speaker, " ".join(w.word for w in words), words)


def _metrics(overtalk=()):
    return CallMetrics(0.5, [], list(overtalk), 150.0, 3.0)


def test_a_clear_call_needs_no_human_review():
    quality = asr_quality([_segment([0.9, 0.95, 0.8, 0.85])], _metrics(), talk_seconds=2.0, min_mean_probability=0.6)
    assert quality.mean_word_probability == 0.875 and quality.low_confidence_share == 0.0
    assert not quality.needs_human_review


def test_too_many_unsure_words_send_the_call_to_a_person():
    quality = asr_quality([_segment([0.9, 0.3, 0.4, 0.95])], _metrics([Overtalk(0.0, 0.5, "customer")]), 2.0, 0.6)
    assert quality.low_confidence_share == 0.5 and quality.overlap_share == 0.25 and quality.needs_human_review


def test_a_low_mean_probability_sends_the_call_to_a_person():
    assert asr_quality([_segment([0.55, 0.55, 0.55])], _metrics(), 1.5, 0.6).needs_human_review


def test_redaction_placeholders_do_not_count_as_words():
    segment = CallSegment(0, 1, "customer", "[card number]", [CallWord("[card number]", 0, 1, 0.1)])
    assert asr_quality([_segment([0.9]), segment], _metrics(), 1.0, 0.6).low_confidence_share == 0.0


def test_evidence_over_an_unsure_word_is_marked_low_confidence():
    segments = [_segment([0.9, 0.9, 0.2, 0.9])]
    sure = Evidence("empathy", 0, 5, "w0 w1", "+", "acknowledged", 0.0, 0.9)
    unsure = Evidence("empathy", 0, 5, "w2", "+", "acknowledged", 1.0, 1.4)
    assert moment(sure, segments)["low_confidence"] is False
    assert moment(unsure, segments)["low_confidence"] is True
    assert not rests_on_guesses(None, None, segments[0].words)


def test_review_threshold_and_call_model_are_settings():
    settings = settings_from_env({"COACH_CALL_WHISPER_MODEL": "tiny.en", "COACH_REVIEW_CONFIDENCE": "0.7"})
    assert settings.call_whisper_model == "tiny.en" and settings.review_confidence == 0.7
    assert Settings().call_whisper_model == "base" and Settings().whisper_model == "tiny.en"


def test_calls_fall_back_to_the_installed_model_when_base_is_not_installed(tmp_path, caplog):
    settings = Settings(instance_dir=tmp_path, whisper_model="tiny.en", call_whisper_model="base")
    with caplog.at_level(logging.WARNING, logger="coach.calls.pipeline"):
        assert call_model(settings) == "tiny.en"
    assert "COACH_WHISPER_MODEL=base coach init" in caplog.text
    assert not (tmp_path / "models" / "base").exists()  # nothing installed or downloaded


def test_an_installed_call_model_is_used(call_settings):
    settings = Settings(instance_dir=call_settings.instance_dir, whisper_model="base", call_whisper_model="tiny.en")
    assert call_model(settings) == "tiny.en"
