"""Talk share and overtalk on a stereo call where each headset picks up the other side (15-20% bleed)."""
import pytest

from coach.calls.metrics import measure_call, talk_intervals
from coach.calls.transcript import CallSegment, CallWord
from coach.speech.audio import decode_audio
from coach.speech.voice import channel_activity, speech_intervals

from .call_audio import OVERLAP_INTO, build_call


def segments_from(spans) -> list[CallSegment]:
    """What a transcript would give: each placed line as one segment of evenly spread words."""
    out = []
    for speaker, start, end, text in spans:
        tokens = text.split()
        step = (end - start) / len(tokens)
        words = [CallWord(t, start + i * step, start + (i + 1) * step - 0.02) for i, t in enumerate(tokens)]
        out.append(CallSegment(start, end, speaker, text, words, 0 if speaker == "agent" else 1))
    return out


def _true_ratio(spans) -> float:
    agent = sum(e - s for who, s, e, _ in spans if who == "agent")
    return agent / sum(e - s for _, s, e, _ in spans)


@pytest.fixture(scope="module", params=[0.15, 0.2])
def bleeding_call(request, tmp_path_factory):
    built = build_call(tmp_path_factory.mktemp("bleed"), bleed=request.param)
    return built, decode_audio(built.stereo).channels


def test_talk_ratio_ignores_the_other_sides_bleed(bleeding_call):
    built, channels = bleeding_call
    talk = talk_intervals(segments_from(built.spans), channels, agent_channel=0)
    agent, customer = (sum(b - a for a, b in talk[s]) for s in ("agent", "customer"))
    assert abs(agent / (agent + customer) - _true_ratio(built.spans)) < 0.05


def test_plain_sound_detection_would_count_the_bleed_as_talk(bleeding_call):
    _, channels = bleeding_call
    own = channel_activity(channels)[1]
    heard = speech_intervals(channels[1])
    assert sum(b - a for a, b in heard) > 1.5 * sum(b - a for a, b in own)  # the customer channel hears the agent too


def test_overtalk_is_found_through_the_bleed(bleeding_call):
    built, channels = bleeding_call
    metrics = measure_call(segments_from(built.spans), channels, 0, dead_air_seconds=3.0)
    (index, _), = OVERLAP_INTO.items()
    overlap_start, overlap_end = built.spans[index][1], built.spans[index - 1][2]
    assert len(metrics.overtalk) == 1, metrics.overtalk
    assert metrics.overtalk[0].by == "customer"
    assert abs(metrics.overtalk[0].start - overlap_start) < 0.4 and abs(metrics.overtalk[0].end - overlap_end) < 0.4


def test_overtalk_on_mono_comes_from_the_separated_speakers():
    words = lambda start, n: [CallWord("word", start + 0.3 * i, start + 0.3 * i + 0.25) for i in range(n)]
    segments = [CallSegment(0.0, 3.0, "agent", "", words(0.0, 10)), CallSegment(2.2, 4.0, "customer", "", words(2.2, 6))]
    metrics = measure_call(segments, None, None, dead_air_seconds=3.0)
    assert [o.by for o in metrics.overtalk] == ["customer"]
