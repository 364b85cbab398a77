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


def test_thanks_for_calling_in_the_greeting_is_not_a_closing():
    segments = [segment("agent", 0.0, "Thank you for calling, how can I help?"),
                segment("customer", 3.0, "My parcel is late."),
                segment("agent", 6.0, "I am sorry, I will look into it and email you by Friday."),
                segment("customer", 11.0, "Okay."),
                segment("agent", 13.0, "Is there anything else I can help with?")]
    checklist = tick_checklist(segments, duration=16.0)
    assert checklist["greeted"] == {"done": True, "at": 0.0}
    assert checklist["closed"] == {"done": True, "at": 13.0}


def test_a_call_without_a_closing_is_marked_missing():
    segments = [segment("agent", 0.0, "Thank you for calling, how can I help?"),
                segment("customer", 3.0, "My parcel is late."),
                segment("agent", 6.0, "I will look into it.")]
    assert tick_checklist(segments, duration=9.0)["closed"] == {"done": False, "at": None}
