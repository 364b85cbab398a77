"""The player with the move matcher: branches on what a reply does, lines that fit it, and a calm customer who
asks again rather than leaving without a reason. The scorer is fixed (the graph is under test); the matcher is real."""
from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import ScenarioError, check_warnings, load_scenario
from scenarios.play import PATIENCE, RolePlay

DATA = Path(__file__).parent / "data"


@pytest.fixture
def scenario():
    return load_scenario(DATA / "moves.yaml")


def test_an_offer_in_other_words_takes_its_transition_and_says_why(scenario, fixed_scorer):
    result = RolePlay(scenario, scorer=fixed_scorer(50)).reply("Let me get a fresh parcel out to you this afternoon.")
    assert result.goto == "sent"
    assert "made resend" in result.decision["why"]
    resend = next(move for move in result.decision["moves"] if move["move"] == "resend")
    assert resend["made"] and resend["sentence"] and resend["example"] and resend["similarity"] > 0


def test_a_refused_offer_takes_no_transition(scenario, fixed_scorer):
    result = RolePlay(scenario, scorer=fixed_scorer(50)).reply("I can't send you a new parcel, sorry.")
    assert result.goto == "details"
    assert "did not make move 'resend'" in result.decision["why"]


def test_the_next_line_gives_the_order_number_only_when_it_was_asked_for(scenario, fixed_scorer):
    asked = RolePlay(scenario, scorer=fixed_scorer(50))
    assert asked.reply("Could you read me your order reference?").reaction.startswith("It's AB-123")
    assert asked.customer_line.startswith("It's AB-123")
    told = RolePlay(scenario, scorer=fixed_scorer(50))
    assert told.reply("Parcels are sometimes slow this time of year.").reaction == "It still hasn't come."


def test_the_fitting_line_survives_saving_and_resuming(scenario, fixed_scorer):
    play = RolePlay(scenario, scorer=fixed_scorer(50))
    play.reply("Could you read me your order reference?")
    resumed = RolePlay.from_dict(scenario, play.to_dict(), scorer=fixed_scorer(50))
    assert resumed.customer_line.startswith("It's AB-123")


def test_a_calm_customer_asks_again_before_leaving_and_the_debrief_says_why(scenario, fixed_scorer):
    play = RolePlay(scenario, scorer=fixed_scorer(90))
    play.reply("Parcels are sometimes slow this time of year.")
    again = play.reply("Thanks for bearing with us.")
    assert again.ending is None and again.goto == "details"
    assert again.reaction.startswith("I appreciate that, but you haven't answered me yet.")
    assert "asks again" in again.decision["why"]
    last = play.reply("Thanks for bearing with us.")
    assert last.ending.id == "gave_up"
    assert "asked twice" in play.debrief().ending_reason


def test_an_angry_customer_leaves_without_asking_again(scenario, fixed_scorer):
    play = RolePlay(scenario, scorer=fixed_scorer(0))
    play.reply("Not my problem.")
    assert play.reply("Not my problem.").ending.id == "gave_up"


def test_asking_again_costs_mood(scenario, fixed_scorer):
    play = RolePlay(scenario, scorer=fixed_scorer(90))
    play.reply("Parcels are sometimes slow this time of year.")
    again = play.reply("Thanks for bearing with us.")
    kinds = {move["kind"] for move in again.decision["moves"] if move["made"]}
    earned = min(100, again.mood_before + play.mood_model.change(again.scorecard.scores)
                 + play.mood_model.move_change(kinds))
    assert again.mood_after == earned - PATIENCE


def test_check_warns_about_a_turn_that_branches_on_keywords_alone(tiny_file):
    warnings = check_warnings([tiny_file])
    assert [w.line for w in warnings] == [24]  # the refund transition's condition
    assert "rests on keywords alone" in warnings[0].message
    assert check_warnings([DATA / "moves.yaml"]) == []


def test_a_condition_naming_an_undefined_move_is_refused(write_scenario):
    text = (DATA / "moves.yaml").read_text().replace("offers: [resend]}\n        goto: sent\n      - when: {asks",
                                                     "offers: [refund]}\n        goto: sent\n      - when: {asks")
    with pytest.raises(ScenarioError, match="offers names move 'refund', which 'moves' does not define"):
        load_scenario(write_scenario(text))


def test_a_condition_can_rest_on_a_move_made_in_an_earlier_reply(scenario, fixed_scorer):
    asked = RolePlay(scenario, scorer=fixed_scorer(50))
    asked.reply("Could you read me your order reference?")
    assert asked.reply("Thanks, I'm looking into it now.").goto == "looked_up"
    never_asked = RolePlay(scenario, scorer=fixed_scorer(50))
    never_asked.reply("Parcels are sometimes slow this time of year.")
    result = never_asked.reply("Thanks, I'm looking into it now.")
    assert result.goto != "looked_up" and "move 'order_number' not made yet" in result.decision["why"]
