"""The first pass on espeak-ng calls, checked against what was put in: speakers, dead air, overtalk,
redaction and the checklist (real transcription with tiny.en)."""
import json

from coach.calls.checklist import ITEMS
from .call_audio import CARD, GAP_BEFORE, OVERLAP_INTO

DIMENSIONS = {"active_listening", "empathy", "clarity", "jargon", "ownership"}


def _speaker_of(result, start, end):
    """The speaker of the segment that overlaps the placed line [start, end] most."""
    best = max(result.segments, key=lambda s: min(s.end, end) - max(s.start, start))
    return best.speaker if min(best.end, end) > max(best.start, start) else None


def test_stereo_call_puts_each_channel_on_its_speaker_and_guesses_the_agent(stereo_result, built_call):
    assert stereo_result.agent_channel == "left" and stereo_result.agent_channel_guessed
    for speaker, start, end, text in built_call.spans:
        assert _speaker_of(stereo_result, start, end) == speaker, text
    greeting = stereo_result.segments[0]
    assert greeting.speaker == "agent" and "calling" in greeting.text.lower()


def test_agent_on_the_right_channel_is_guessed_too(tmp_path, call_settings):
    from coach.calls import first_pass
    from .call_audio import Line, build_call

    script = [Line("customer", "Hello?"), Line("agent", "Thank you for calling Acme, my name is Sam, how can I help?")]
    built = build_call(tmp_path, script, gaps={}, overlaps={}, agent_left=False)
    result = first_pass(built.stereo, settings=call_settings)
    assert result.agent_channel == "right"
    assert [s.speaker for s in result.segments if "calling" in s.text.lower()] == ["agent"]


def test_mono_call_separates_the_two_voices(mono_result, built_call):
    assert mono_result.agent_channel == "mono"
    agreed = [_speaker_of(mono_result, start, end) == speaker for speaker, start, end, _ in built_call.spans]
    assert sum(agreed) >= len(agreed) - 1, agreed
    assert {s.speaker for s in mono_result.segments} == {"agent", "customer"}


def test_dead_air_is_found_where_the_silence_was_put(stereo_result, mono_result, built_call):
    (index, seconds), = GAP_BEFORE.items()
    gap_start, gap_end = built_call.spans[index - 1][2], built_call.spans[index][1]
    for result in (stereo_result, mono_result):
        dead_air = result.metrics.dead_air
        assert len(dead_air) == 1
        start, end = dead_air[0]
        assert abs(start - gap_start) < 0.5 and abs(end - gap_end) < 0.5


def test_overtalk_is_found_and_blames_the_one_who_cut_in(stereo_result, built_call):
    (index, _), = OVERLAP_INTO.items()
    overlap_start, overlap_end = built_call.spans[index][1], built_call.spans[index - 1][2]
    overtalk = stereo_result.metrics.overtalk
    assert len(overtalk) == 1
    assert overtalk[0].by == built_call.spans[index][0] == "customer"
    assert abs(overtalk[0].start - overlap_start) < 0.5 and abs(overtalk[0].end - overlap_end) < 0.5


def test_spoken_card_number_is_redacted_everywhere(stereo_result, built_call):
    card_line = next(span for span in built_call.spans if "card number is" in span[3])
    cards = [r for r in stereo_result.redactions if r.kind == "card"]
    # Whisper may stretch a segment's last word past the end of speech (0.56 s here on some CPUs), so the end gets more room
    assert len(cards) == 1 and card_line[1] - 0.5 <= cards[0].start < cards[0].end <= card_line[2] + 0.75
    stored = json.dumps(stereo_result.to_dict())
    assert "[card number]" in stored
    for group in (CARD[:4], CARD[4:8], CARD[8:12], CARD[12:]):
        assert group not in stored


def test_checklist_ticks_each_step_at_the_moment_it_happened(stereo_result, built_call):
    checklist = stereo_result.checklist
    assert set(checklist) == set(ITEMS) and all(checklist[item]["done"] for item in ITEMS), checklist
    starts = {i: span[1] for i, span in enumerate(built_call.spans)}
    assert checklist["greeted"]["at"] < starts[1]
    assert starts[2] - 0.5 <= checklist["apologised"]["at"] < starts[3]
    assert starts[4] - 0.5 <= checklist["timeline"]["at"] < starts[5] + 1.5
    assert checklist["closed"]["at"] >= starts[6] - 0.5


def test_metrics_describe_the_call(stereo_result, built_call):
    metrics = stereo_result.metrics
    agent = sum(end - start for speaker, start, end, _ in built_call.spans if speaker == "agent")
    customer = sum(end - start for speaker, start, end, _ in built_call.spans if speaker == "customer")
    assert abs(metrics.agent_talk_ratio - agent / (agent + customer)) < 0.08
    assert 100 < metrics.agent_wpm < 220
    longest_agent_line = max(end - start for speaker, start, end, _ in built_call.spans if speaker == "agent")
    assert abs(metrics.longest_agent_monologue_s - longest_agent_line) < 1.0
    assert metrics.customer_sentiment["start"] < 0 < metrics.customer_sentiment["end"]


def test_first_pass_scores_the_agent_with_evidence_in_seconds(stereo_result):
    data = stereo_result.to_dict()
    assert set(data["scores"]) == DIMENSIONS and all(0 <= v <= 100 for v in data["scores"].values())
    assert data["evidence"] and all(m["start"] is None or 0 <= m["start"] <= data["duration"] for m in data["evidence"])
    assert any(m["start"] is not None for m in data["evidence"])
