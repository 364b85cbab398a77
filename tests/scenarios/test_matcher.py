"""The move matcher: meaning over words, negation and questions, and an explanation for each decision."""
from __future__ import annotations

import pytest

from scenarios.matcher import Move, MoveMatcher

MOVES = [
    Move("refund_now", "offers", ("I'll refund you myself right now", "I'm putting your money back on your card today",
                                  "I'll release the refund myself")),
    Move("order_number", "asks_for", ("could you give me the order number?", "what's your order number?")),
]


@pytest.fixture(scope="module")
def matcher():
    return MoveMatcher(MOVES)


def test_an_offer_in_other_words_is_matched_and_explained(matcher):
    decision = matcher.decide("I'm sending your £89.99 back to your card this afternoon.")["refund_now"]
    assert decision.made
    assert decision.sentence.startswith("I'm sending") and decision.example and decision.similarity >= 0.4


def test_a_refused_offer_is_not_an_offer(matcher):
    decision = matcher.decide("I can't refund you until the warehouse scans it.")["refund_now"]
    assert not decision.made and decision.why


def test_a_question_about_a_refund_offers_nothing(matcher):
    assert not matcher.decide("Do you want a refund?")["refund_now"].made


def test_asking_for_the_order_number_needs_a_question(matcher):
    assert matcher.decide("Could you give me your order number, please?")["order_number"].made
    assert not matcher.decide("Your order number is on the email.")["order_number"].made


def test_shared_moves_are_told_apart(matcher):
    decisions = matcher.decide("There's nothing I can do. That's our policy.")
    assert decisions["deflects"].made and decisions["explains_policy"].made
    assert not decisions["refund_now"].made
