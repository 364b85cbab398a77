import pytest

from scoring.answers import answer_match
from scoring.language import PreparedReply


def _answer(context: str, reply: str) -> str | None:
    found = answer_match(PreparedReply(reply, context, {}))
    return found.text if found else None


@pytest.mark.parametrize("context, reply, answer", [
    ("OK. When will it actually be back in my account?", "It'll be back within 3 to 5 working days.",
     "within 3 to 5 working days"),
    ("Is it days? Weeks? I can't be overdrawn for a month.", "It will be back by Friday at the latest.", "by Friday"),
    ("Can I still cancel later without being on the phone for an hour?", "Yes, absolutely, online or by phone.", "Yes"),
    ("So why do I owe all this money?", "It's three months of bills, because the meter readings stopped.", "because"),
    ("What's an SSID?", "It just means the name of your Wi-Fi network.", "means"),
    ("Who is actually dealing with it?", "I am. I'll chase the assessor today.", "I am"),
    ("How will I know it's actually coming?", "I'll text you the tracking link tonight.", "I'll text"),
    ("What if nobody shows up again?", "If they don't arrive by 10, I'll call you.", "If they"),
])
def test_a_reply_that_answers_the_customers_question_is_recognised(context, reply, answer):
    assert _answer(context, reply) == answer


@pytest.mark.parametrize("context, reply", [
    ("When will my refund arrive?", "Thanks for getting in touch, we're looking into it."),
    ("Can you promise it'll be here Saturday?", "The courier is very busy at the moment."),
    ("My parcel is late.", "It will arrive by Friday."),  # nothing was asked
])
def test_a_reply_that_does_not_answer_gets_no_credit(context, reply):
    assert _answer(context, reply) is None
