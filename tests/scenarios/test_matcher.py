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


COURIER = MoveMatcher([
    Move("bike_by_saturday", "offers", ("I'm sending another bike by express courier",
                                        "a second bike will be with you in time for the birthday")),
    Move("keep_posted", "offers", ("I'll let you know once the courier has it", "I'll text you the tracking tonight")),
    Move("new_name", "offers", ("the name is printed on a card on the back of the box",)),
])


@pytest.mark.parametrize("reply", [
    "It's with the courier at the moment.",
    "That's a courier issue, unfortunately we've no control over their network.",
    "You could try contacting the courier directly with your tracking number.",
])
def test_describing_the_situation_or_handing_it_back_offers_nothing(reply):
    decisions = COURIER.decide(reply)
    assert not decisions["bike_by_saturday"].made and not decisions["keep_posted"].made


@pytest.mark.parametrize("reply", [
    "A new bike leaves today and arrives tomorrow, before the party.",
    "I've put a second bike on the express courier so it's with you on Friday.",
])
def test_a_plan_stated_with_its_time_is_an_offer(reply):
    assert COURIER.decide(reply)["bike_by_saturday"].made


def test_an_offer_worded_as_a_fact_needs_no_commitment():
    assert COURIER.decide("You'll find the new name printed on the card on the back of the box.")["new_name"].made


@pytest.mark.parametrize("reply", [
    "It's probably a firmware issue, you'd need to check with the manufacturer.",
    "You could try calling the courier yourself.",
])
def test_handing_the_next_step_to_the_customer_deflects(reply):
    decision = COURIER.decide(reply)["deflects"]
    assert decision.made and "customer" in decision.why


VISIT = MoveMatcher([
    Move("engineer_visit", "offers", ("I'll book an engineer to visit", "an engineer can come out to you")),
    Move("different_fix", "offers", ("this time I'll send a senior engineer", "I'll replace the whole line box")),
    Move("call_back", "offers", ("I'll phone you tomorrow afternoon with news", "I'll call you back at 4 pm today")),
])


def test_a_clause_makes_the_offer_it_is_closest_to_not_every_offer_it_resembles():
    decisions = VISIT.decide("I can book another engineer visit for you.")
    assert decisions["engineer_visit"].made and not decisions["different_fix"].made


def test_the_agent_acting_is_not_read_as_handing_the_work_back():
    decisions = VISIT.decide("I will call you myself with an update by 4 pm tomorrow.")
    assert decisions["call_back"].made and not decisions["deflects"].made


def test_a_commitment_made_of_a_description_of_the_situation_offers_nothing():
    retention = MoveMatcher([Move("leave_any_time", "offers", ("it's one call to cancel later",
                                                               "you can stop whenever you like"))])
    reply = "Most people who cancel end up regretting it, so let me go through the other packages again."
    assert not retention.decide(reply)["leave_any_time"].made


CANCEL = MoveMatcher([Move("cancel_now", "offers", ("I've cancelled your subscription now", "I'll cancel it for you right now"))])


def test_what_the_customer_might_do_is_no_offer():
    assert not CANCEL.decide("You'll lose all your profiles and watch history if you cancel today.")["cancel_now"].made
    assert not CANCEL.decide("If you cancel today, you lose your watch history.")["cancel_now"].made


def test_an_offer_with_a_condition_on_the_customer_is_still_an_offer():
    assert CANCEL.decide("I'll cancel it for you right now if you'd like.")["cancel_now"].made


VISIT_TOMORROW = MoveMatcher([Move("engineer_tomorrow", "offers", ("I've booked an engineer for tomorrow morning",
                                                                    "an engineer will come to you tomorrow"))])


def test_seeing_the_situation_commits_to_nothing():
    assert not VISIT_TOMORROW.decide("I can see the engineer was booked.")["engineer_tomorrow"].made


def test_an_offer_for_another_day_is_not_this_offer():
    assert not VISIT_TOMORROW.decide("I can rebook the visit; the next available is an all-day slot next week.")[
        "engineer_tomorrow"].made
    assert VISIT_TOMORROW.decide("I've booked an engineer to come out tomorrow between 8 and 10.")["engineer_tomorrow"].made


REFUND = MoveMatcher([
    Move("refund_now", "offers", ("I'll release the refund myself right now", "I'm refunding the full amount now")),
    Move("refund_date", "offers", ("it will be on your card by Friday", "expect it within five working days")),
])


def test_an_amount_is_heard_as_money():
    assert REFUND.decide("I'm releasing the £89.99 myself right now.")["refund_now"].made


def test_an_apology_says_sorry():
    decisions = REFUND.decide("It's gone through from my end today, so it will show on your card within 3 to 5 working days.")
    assert decisions["refund_date"].made and not decisions["apologises"].made


def test_the_agent_promising_to_write_is_no_deflection():
    assert not REFUND.decide("And I'll email you when it's gone through.")["deflects"].made
