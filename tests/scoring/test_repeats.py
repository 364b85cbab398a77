import pytest

from scoring import score_reply
from scoring.language import PreparedReply
from scoring.repeats import repeated_requests, repeated_suggestions


def _requests(reply: str, context: str, facts: dict | None = None) -> list[str]:
    return [m.reason for m in repeated_requests(PreparedReply(reply, context, facts or {}))]


def _suggestions(reply: str, context: str) -> list[str]:
    return [m.reason for m in repeated_suggestions(PreparedReply(reply, context, {}))]


@pytest.mark.parametrize("context, reply, detail", [
    ("Hi, I've just emailed my membership number (GM-20931) and I want to cancel.", "What's your membership number?",
     "membership number"),
    ("hi, tracking 99120044, it's been sitting at the depot for 5 days", "Hi, what's your tracking number please?",
     "tracking number"),
    ("@TelCo no service in postcode M14 since this morning", "Hi, what's your postcode?", "postcode"),
    ("I've sent my meter reading 3 times (48213) and my bill still says estimated!",
     "Can you provide a meter reading please?", "meter reading"),
    ("My account number is 40118822 and my direct debit bounced.", "Could you please provide your account number?",
     "account number"),
    ("I'm locked out, my username is jess.k@example.com", "What's your username?", "username"),
    ("I'm calling about booking XK7Q2P, I need to add my baby.", "Sure, can I get the booking reference?",
     "booking reference"),
    ("Hi, this is Mr Abebe in room 312. The air conditioning isn't working.", "Can I take your name and room number?",
     "name"),
    ("Hello, my name is Suresh Nair, account number ending 4410.", "Okay sir, may I know your account number please?",
     "account number"),
    ("@FlowWaterUK no water at 9 Meadow Close, SN5 7QT since 6am.", "Can you please DM us your postcode?", "postcode"),
    ("My bin's not been collected for three weeks, at 12 Oak Road.", "Okay, what's the address please?", "address"),
    ("Flight AI-512 delayed 5 hrs, PNR T4X8PQ, I will miss my connection", "Please DM us your PNR.", "pnr"),
])
def test_asking_again_for_a_detail_the_customer_gave_is_flagged(context, reply, detail):
    assert _requests(reply, context) == [f"asks for the {detail} the customer already gave"]


@pytest.mark.parametrize("context, reply", [
    ("My parcel hasn't arrived and it's been two weeks.", "What's your order number?"),
    ("I was charged twice this month.", "Can you confirm the postcode on the account?"),
    ("My name is Sam and my parcel is late.", "What's your tracking number?"),
    ("Room 312 is too cold.", "What's your surname?"),
    ("My parcel is late.", "What's the delivery address please?"),
])
def test_asking_for_a_detail_the_customer_did_not_give_is_fine(context, reply):
    assert _requests(reply, context) == []


def test_a_scenario_fact_counts_as_given_once_the_customer_has_said_it():
    facts = {"order_number": "BL-48213"}
    assert _requests("What's your order number?", "It's BL-48213 and the blender arrived broken.", facts)
    assert not _requests("What's your order number?", "My blender arrived broken.", facts)


@pytest.mark.parametrize("context, reply", [
    ("my router light's been flashing orange since yesterday. already restarted it 3 times.",
     "Please try restarting your router."),
    ("I'm locked out and I've already tried the reset link twice.", "Have you tried using the reset password link?"),
    ("I've cleared my cache and it still won't load.", "Could you clear your cache and try again?"),
    ("printer says offline. I already restarted the printer.", "Let's try a few things. 1. Restart your printer."),
])
def test_suggesting_what_the_customer_already_tried_is_flagged(context, reply):
    assert _suggestions(reply, context) == ["suggests what the customer already tried"]


@pytest.mark.parametrize("context, reply", [
    ("My router light is flashing orange.", "Please try restarting your router."),
    ("I have the cancellation email but you're still charging me.", "Could you forward me the cancellation email?"),
    ("I've been waiting for two weeks.", "Could you wait until Friday?"),
    ("My router light is flashing.", "1. Restart your router. 2. Check the cable."),
])
def test_a_first_suggestion_is_not_a_repeat(context, reply):
    assert _suggestions(reply, context) == []


def test_asking_again_caps_listening_even_with_the_learned_model():
    context = "Hi, order 7712-AB, I was charged twice for it, can you refund one of them?"
    card = score_reply("Hi, thanks for contacting us. Can you give me the order number please?", context)
    assert card.scores["active_listening"] <= 25
    assert any(e.reason == "asks for the order number the customer already gave" for e in card.evidence)


def test_the_tip_says_what_the_customer_already_gave_and_how_to_use_it():
    card = score_reply("Hi, what's your tracking number please?",
                       "hi, tracking 99120044, it's been sitting at the depot for 5 days, can you tell me why?")
    tip = card.tips["active_listening"]
    assert tip.startswith("The customer already gave the tracking number")
    assert "what's your tracking number" in tip and "sitting at the depot for 5 days" in tip
