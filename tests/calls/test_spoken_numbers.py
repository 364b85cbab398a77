"""Numbers read out as words or letters are redacted in the transcript and bleeped in the audio at the same
moments, across Whisper segment boundaries and in the formats of several countries."""
import numpy as np
import pytest

from coach.calls.redaction import bleep, redact_segments, redact_words
from coach.calls.transcript import CallSegment, CallWord

RATE = 16000


def spoken(text: str, start: float = 0.0, step: float = 0.4) -> list[CallWord]:
    return [CallWord(token, start + step * i, start + step * i + 0.3) for i, token in enumerate(text.split())]


def segment(text: str, start: float, speaker: str = "customer") -> CallSegment:
    words = spoken(text, start)
    return CallSegment(start, words[-1].end, speaker, text, words)


@pytest.mark.parametrize("said, kind", [
    ("my mobile is oh seven seven double nine, one two three, four five six.", "phone"),  # UK 07...
    ("it's plus four four, seven seven double oh, nine oh oh, one two three.", "phone"),  # UK +44
    ("you can ring me on (555) 123-4567 any time.", "phone"),  # US, as Whisper writes it
    ("it's five five five, eight six seven, five three oh nine.", "phone"),  # US, spoken
    ("my number is plus four nine, three oh, one two three four, five six seven eight.", "phone"),  # German +49
    ("zero zero four nine, thirty, one two, three four, fifty six, seventy eight.", "phone"),  # German 0049
    ("the card is four five three nine, one four seven two, zero three six two, five one seven four.", "card"),
    ("card number 5555 4444 3333 1111 thanks", "card"),
    ("the long number is triple five, one two three, four five six seven.", "phone"),
])
def test_spoken_numbers_of_several_countries_leave_no_digit_behind(said, kind):
    result = redact_words(spoken(said))
    assert [r.kind for r in result.redactions] == [kind], result.text
    leftover = [w.word for w in result.words if any(c.isdigit() for c in w.word)
                or w.word.strip(",.").lower() in {"oh", "double", "triple", "zero", "one", "two", "three", "four",
                                                  "five", "six", "seven", "eight", "nine", "thirty", "fifty", "seventy"}]
    assert leftover == [], result.text


def test_what_follows_a_card_number_in_the_same_run_is_redacted_too():
    result = redact_words(spoken("my card is 4539 1472 0362 5174, 1, 1, 1, thanks"))
    assert result.text == "my card is [card number] thanks"


def test_letters_and_digits_before_a_phone_number_are_redacted_with_it():
    result = redact_words(spoken("call me on 0, m, m, m, 07700 900123 please"))
    assert result.text == "call me on [phone number] please"


def test_a_number_read_across_two_whisper_segments_is_one_redaction():
    segments = [segment("my card number is four five three nine, one four seven two,", 0.0),
                segment("zero three six two, five one seven four.", 5.0)]
    out, redactions = redact_segments(segments)
    assert [r.kind for r in redactions] == ["card"]
    assert " ".join(s.text for s in out) == "my card number is [card number]"
    assert redactions[0].start == segments[0].words[4].start and redactions[0].end == segments[1].words[-1].end


def test_a_number_split_by_a_wrong_speaker_change_on_mono_is_still_redacted():
    segments = [segment("my number is oh seven seven double nine,", 0.0, "customer"),
                segment("one two three, four five six.", 3.0, "agent")]
    out, redactions = redact_segments(segments)
    assert [r.kind for r in redactions] == ["phone"]
    assert not any(ch.isdigit() or w.word.strip(",.") in {"one", "two", "five"} for s in out for w in s.words for ch in w.word)


def test_ordinary_small_numbers_are_kept():
    assert redact_words(spoken("it will take two days and I have one order")).redactions == []


def test_the_bleep_covers_exactly_the_redacted_words():
    words = spoken("please call oh seven seven double nine one two three four five six thanks", start=0.5)
    result = redact_words(words)
    (found,) = result.redactions
    first = next(w for w in words if w.word == "oh")
    last = next(w for w in words if w.word == "six")
    assert (found.start, found.end) == (first.start, last.end)
    placeholder = next(w for w in result.words if w.word == "[phone number]")
    assert (placeholder.start, placeholder.end) == (found.start, found.end)

    audio = np.full((1, int(8 * RATE)), 0.01, dtype=np.float32)
    bleeped = bleep(audio, result.redactions, RATE)
    changed = np.flatnonzero(np.abs(bleeped[0] - audio[0]) > 1e-6)
    assert abs(changed[0] / RATE - found.start) < 0.002 and abs(changed[-1] / RATE - found.end) < 0.002
    before, after = bleeped[0, : int(found.start * RATE)], bleeped[0, int(np.ceil(found.end * RATE)):]
    assert np.allclose(before, 0.01) and np.allclose(after, 0.01)
