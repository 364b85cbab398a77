"""The checklist reads the agent's turns as people speak them, not as Whisper cuts them into segments."""
from coach.calls.checklist import tick_checklist
from coach.calls.transcript import CallSegment, CallWord


def segment(speaker: str, start: float, text: str) -> CallSegment:
    words = [CallWord(word, start + 0.4 * i, start + 0.4 * i + 0.3) for i, word in enumerate(text.split())]
    return CallSegment(start, words[-1].end, speaker, text, words)


def test_a_commitment_cut_across_two_segments_counts_as_ownership_and_timeline():
    segments = [segment("customer", 0.0, "I was charged twice and I am annoyed."),
                segment("agent", 4.0, "I am so sorry about that, I will refund"),
                segment("agent", 7.2, "it today.")]
    checklist = tick_checklist(segments, duration=10.0)
    assert checklist["ownership"] == {"done": True, "at": 6.4}  # "I will", the seventh word
    assert checklist["timeline"] == {"done": True, "at": 6.4}


def test_today_in_a_greeting_is_not_a_timeline():
    segments = [segment("agent", 0.0, "Hello, how can I help you today?"),
                segment("customer", 3.0, "My parcel is late."),
                segment("agent", 6.0, "I am sorry, I will look into it.")]
    assert tick_checklist(segments, duration=10.0)["timeline"] == {"done": False, "at": None}
