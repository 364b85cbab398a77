"""Tips a trainer would sign: in the agent's voice, grammatical, fitting the situation, and varied across turns.

Over a hundred (context, reply) pairs are generated from templates and scored for real; every tip is checked.
"""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from scenarios.play import RolePlay
from scenarios.loader import load_scenario
from scoring import DIMENSIONS, CallTurn, score_call, score_reply
from scoring.evidence_codes import REASON_CODES, code_for
from scoring.tips import concern_clause
from scoring import active_listening, clarity, empathy, ownership

# (the customer's first-person complaint, words a tip that fits it may use)
SITUATIONS = [
    ("My card was charged twice for the same order.", ("card", "charge")),
    ("I ordered white trainers and you sent me black TRAINERS in a size 8.", ("order", "item", "trainers")),
    ("My order #48213 still hasn't arrived and it was meant to be here last Tuesday.", ("order", "delivery")),
    ("I've been waiting three weeks for my refund.", ("refund", "waiting")),
    ("I was billed after I cancelled my subscription.", ("billed", "charge", "cancel")),
    ("My internet keeps dropping every evening.", ("internet", "connection")),
    ("I'm locked out of my account and the reset link doesn't work.", ("account", "locked", "link")),
    ("The kettle you sent me arrived cracked.", ("item", "damaged", "kettle")),
    ("My parcel has been sitting at the depot for 5 days, I'm really stressed.", ("parcel", "depot", "delivery")),
    ("We booked a table for Friday and you cancelled it without telling us!", ("booking", "table", "cancel")),
    ("I've already restarted the router twice and it's still not working.", ("router", "working", "connection")),
    ("You charged me £40 for a delivery that never came, this is unacceptable.", ("charge", "delivery", "item")),
]
REPLIES = [
    "Okay.",
    "Calm down, it happens.",
    "That's not my department, you'll have to call the courier.",
    "Your ticket is in the escalation queue and the SLA is 48 hours.",
    "Can you give me your order number please?",
    "Have you tried restarting the router?",
    "Thanks for getting in touch, how can I help you today?",
    "I'll look into it.",
    "I'm so sorry about this — that sounds really frustrating. I'll sort it out for you right now and call you "
    "back by 3 pm today to confirm it's done.",
    "So just to check I've understood, this still isn't fixed and you've had to chase us. I'm really sorry, that "
    "must be exhausting. I'll take care of it myself today and e-mail you by 5 pm.",
]
THANKS = "Ok thank you for your help."
PAIRS = [(context, reply, fits) for (context, fits), reply in itertools.product(SITUATIONS, REPLIES)] + \
    [(f"{context}\n{THANKS}", reply, fits) for (context, fits), reply in itertools.product(SITUATIONS[:4], REPLIES[:3])]

ENDS_WELL = re.compile(r"[.?!…][\"”]?$")
DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
# The customer's own person pasted into advice: "you've sent you", "have I got that right" after a thank-you...
WRONG_PERSON = re.compile(r"\byou(?:'ve| have)? sent you\b|\bwe sent me\b|\byour \w+ were\b|\bthank you for your "
                          r"help\b|\bi ordered\b|\bsent me\b|\bcharged me\b|\bmy (?:card|order|refund|account|parcel|"
                          r"internet|subscription|router)\b", re.IGNORECASE)


def test_the_generated_set_is_large_enough():
    assert len(PAIRS) >= 100


def _problems(tip: str) -> list[str]:
    problems = []
    if not tip[:1].isupper():
        problems.append("does not start with a capital")
    if not ENDS_WELL.search(tip):
        problems.append("does not end with punctuation")
    if DOUBLED.search(tip):
        problems.append(f"doubled word {DOUBLED.search(tip).group()!r}")
    if re.search(r"[\"“]\s*[\"”]", tip):
        problems.append("empty quotes")
    if WRONG_PERSON.search(tip):
        problems.append(f"customer's person kept: {WRONG_PERSON.search(tip).group()!r}")
    if re.search(r"\bthank", tip, re.I) and "have I got that right" in tip:
        problems.append("'have I got that right?' after a thank-you")
    return problems


@pytest.mark.parametrize("context, reply, fits", PAIRS)
def test_every_tip_is_in_the_agents_voice_grammatical_and_fits(context, reply, fits):
    card = score_reply(reply, context)
    for dimension in DIMENSIONS:
        tip = card.tips[dimension]
        assert not _problems(tip), (dimension, tip, _problems(tip))
        if card.bands[dimension] == 5:
            assert tip == card.strengths[dimension] and tip.startswith("What worked")
            assert "e.g." not in tip and not card.examples[dimension]
        else:
            assert dimension not in card.strengths and not tip.startswith("What worked")
    if context.endswith(THANKS) and card.bands["active_listening"] < 5:
        assert "have I got that right" not in card.tips["active_listening"]
    for dimension in ("active_listening", "empathy"):
        tip = card.tips[dimension].lower()
        if card.bands[dimension] < 5 and "welcome" not in tip and "already" not in tip and "before i answer" not in tip:
            assert any(word in tip for word in fits), (dimension, card.tips[dimension])


@pytest.mark.parametrize("statement, said_back", [
    ("my card was charged twice", "your card was charged twice"),
    ("I was charged twice for one order", "you were charged twice for one order"),
    ("I've been waiting three weeks for my refund", "you've been waiting three weeks for your refund"),
    ("I'm locked out of my account", "you're locked out of your account"),
    ("my order still hasn't arrived", "your order still hasn't arrived"),
])
def test_the_customers_complaint_is_said_back_in_the_second_person(statement, said_back):
    assert concern_clause(statement) == said_back


@pytest.mark.parametrize("statement", ["you sent me black TRAINERS in a size 8", "Thank you for your help",
                                       "where is my order?", "hello there"])
def test_a_fragment_that_cannot_be_re_personed_safely_is_never_quoted(statement):
    assert concern_clause(statement) == ""


def test_the_reported_nonsense_tips_are_gone():
    thanks = score_reply("No worries.", "My card was charged twice.\nOk thank you for your help")
    assert "thank you for your help" not in thanks.tips["active_listening"].lower()
    assert "have I got that right" not in thanks.tips["active_listening"]
    trainers = score_reply("Calm down.", "I ordered white trainers and you sent me black TRAINERS in a size 8.")
    assert "sent you" not in trainers.tips["empathy"] and "TRAINERS" not in trainers.tips["empathy"]


def test_a_tip_is_worded_another_way_when_the_agent_saw_it_last_turn():
    context = "My card was charged twice."
    first = score_reply("Okay.", context)
    second = score_reply("Okay.", context, previous_tips=first.tips)
    for dimension in DIMENSIONS:
        if first.bands[dimension] < 5:
            assert second.tips[dimension] != first.tips[dimension], dimension
            assert second.examples[dimension] in second.tips[dimension]


def test_the_role_play_never_shows_the_same_tip_twice_in_a_row():
    play = RolePlay(load_scenario(Path(__file__).parents[2] / "scenarios" / "late_delivery.yaml"))
    first = play.reply("Ok.")
    second = play.reply("Ok.")
    for dimension in DIMENSIONS:
        if first.scorecard.bands[dimension] < 5 and second.scorecard.bands[dimension] < 5:
            assert first.scorecard.tips[dimension] != second.scorecard.tips[dimension], dimension
    assert play.state.history[-1].examples == second.scorecard.examples


def test_call_scoring_varies_from_the_previous_calls_tips():
    turns = [CallTurn("Okay.", "My card was charged twice.", 0.0, 2.0)]
    first = score_call(turns)
    second = score_call(turns, previous_tips=first.tips)
    assert any(second.tips[d] != first.tips[d] for d in DIMENSIONS if first.bands[d] < 5)


def test_a_band_five_call_dimension_says_what_worked():
    turns = [CallTurn("I'm so sorry, that sounds really stressful. I'll reverse the extra charge now and call you "
                      "back by 3 pm today.", "I was charged twice and I'm upset", 0.0, 6.0)]
    card = score_call(turns)
    top = [d for d in DIMENSIONS if card.bands[d] == 5]
    assert top and all(card.tips[d].startswith("What worked") for d in top)


# --- structured evidence -------------------------------------------------------------------------

CODE = re.compile(r"^(?:listening|empathy|clarity|jargon|ownership|conduct)\.[a-z_]+$")


@pytest.mark.parametrize("context, reply, fits", PAIRS[::7])
def test_every_evidence_carries_a_machine_code(context, reply, fits):
    card = score_reply(reply, context)
    for item in card.evidence:
        assert CODE.match(item.code), item
        assert item.to_dict()["code"] == item.code


def test_every_rule_reason_has_a_registered_code():
    tables = {"active_listening": active_listening.PATTERNS, "empathy": empathy.PATTERNS + empathy.FIXING,
              "clarity": clarity.PATTERNS, "ownership": ownership.PATTERNS}
    kinds = {"active_listening": [*active_listening.KIND_WEIGHTS.values(), *active_listening.CLOSING_WEIGHTS.values()],
             "empathy": list(empathy.KIND_WEIGHTS.values())}
    for dimension, table in tables.items():
        reasons = {reason for _, _, reason in table} | {reason for _, reason in kinds.get(dimension, [])}
        assert reasons <= set(REASON_CODES[dimension]), reasons - set(REASON_CODES[dimension])
    assert code_for("active_listening", "asks for the order number the customer already gave") == \
        "listening.repeat_request"
    assert code_for("empathy", "apologises (as a question)") == "empathy.apology_asked"


def test_codes_name_what_the_reply_did():
    card = score_reply("I'm so sorry. Your RMA is in the queue. That's not my department.",
                       "I was charged twice and I'm upset")
    codes = {item.code for item in card.evidence}
    assert {"empathy.apology", "jargon.term", "ownership.deflects"} <= codes
    timed = score_reply("I'll reverse the extra charge by 3 pm today.", "I was charged twice.")
    assert "ownership.commitment_with_time" in {item.code for item in timed.evidence}
    repeat = score_reply("Can you give me the order number please?", "Order 7712-AB, I was charged twice for it.")
    assert "listening.repeat_request" in {item.code for item in repeat.evidence}
