"""The role-play player: mood, branching on scores, words and facts, saved state, debrief."""
from __future__ import annotations

import json

import pytest

from scenarios import load_scenario
from scenarios.conditions import facts_in, mentions
from scenarios.mood import MoodModel
from scenarios.play import RolePlay, RolePlayError


@pytest.fixture
def tiny(tiny_file):
    return load_scenario(tiny_file)


def test_warm_replies_calm_the_customer_and_cold_ones_upset_them(tiny, fixed_scorer):
    warm = RolePlay(tiny, scorer=fixed_scorer(90)).reply("Let me look into that for you.")
    cold = RolePlay(tiny, scorer=fixed_scorer(15)).reply("Not my department.")
    assert warm.mood_before == cold.mood_before == 40
    assert warm.mood_after > 40 > cold.mood_after


def test_jargon_frustrates_even_when_the_rest_is_neutral():
    model = MoodModel()
    neutral = {"empathy": 30, "ownership": 35, "active_listening": 40, "clarity": 60, "jargon": 90}
    assert model.change(neutral) == 0
    assert model.change({**neutral, "jargon": 10}) < 0
    assert model.change({**neutral, "ownership": 10}) < 0
    assert model.change({**neutral, "empathy": 95}) > 0


def test_volatile_customers_move_further():
    scores = {"empathy": 90, "ownership": 90}
    assert MoodModel().change(scores, volatility=2.0) > MoodModel().change(scores, volatility=1.0)


def test_mood_below_condition_reads_the_mood_after_the_reply(tiny, fixed_scorer):
    result = RolePlay(tiny, scorer=fixed_scorer(0)).reply("Whatever.")
    assert result.mood_after < 20
    assert result.goto == "gave_up"
    assert result.ending.outcome == "hung_up"
    assert result.reaction == "Bye."


def test_a_keyword_in_the_reply_picks_its_transition_and_moves_the_mood(tiny, fixed_scorer):
    play = RolePlay(tiny, scorer=fixed_scorer(50))
    result = play.reply("I've REFUNDED the parcel for you.")
    assert result.goto == "refunded"
    assert result.mood_after == 40 + MoodModel().change(result.scorecard.scores) + 10
    assert play.finished and play.outcome == "resolved"


def test_a_fact_mentioned_in_the_reply_counts(tiny, fixed_scorer):
    result = RolePlay(tiny, scorer=fixed_scorer(50)).reply("I'm checking order ab 123 right now.")
    assert result.goto == "thanks"


def test_the_default_is_taken_when_no_condition_holds(tiny, fixed_scorer):
    play = RolePlay(tiny, scorer=fixed_scorer(50))
    result = play.reply("Okay.")
    assert result.goto == "waiting" and result.ending is None
    assert result.reaction == "So what now?"
    assert play.customer_line == "So what now?"
    assert play.state.path == ["opening", "waiting"]


def test_score_thresholds_choose_the_branch(tiny, fixed_scorer):
    play = RolePlay(tiny, scorer=fixed_scorer(50))
    play.reply("Okay.")
    play.scorer = fixed_scorer(70)
    assert play.reply("I understand how worrying that is.").goto == "thanks"


def test_the_scorer_gets_the_customer_lines_and_facts(tiny, fixed_scorer):
    calls = []

    def scorer(reply, context, facts=None, words=None, voice=None):
        calls.append((reply, context, facts))
        return fixed_scorer(50)(reply)

    play = RolePlay(tiny, scorer=scorer)
    play.reply("Okay.")
    play.reply("Still okay.")
    assert calls[1] == ("Still okay.", ["Where is my parcel?", "So what now?"], {"order_number": "AB-123"})


def test_replying_after_the_end_is_refused(tiny, fixed_scorer):
    play = RolePlay(tiny, scorer=fixed_scorer(0))
    play.reply("Whatever.")
    with pytest.raises(RolePlayError):
        play.reply("Hello?")


def test_state_round_trips_through_json(tiny, fixed_scorer):
    play = RolePlay(tiny, scorer=fixed_scorer(50))
    play.reply("Okay.")
    saved = json.loads(json.dumps(play.to_dict()))
    resumed = RolePlay.from_dict(tiny, saved, scorer=fixed_scorer(70))
    assert resumed.to_dict() == play.to_dict()
    assert resumed.customer_line == "So what now?" and resumed.mood == play.mood
    assert resumed.reply("I understand how worrying that is.").goto == "thanks"
    assert resumed.state.turns_taken == 2
    assert resumed.debrief().outcome == "resolved"


def test_a_saved_state_for_another_scenario_is_refused(tiny, fixed_scorer):
    saved = RolePlay(tiny, scorer=fixed_scorer(50)).to_dict()
    saved["turn_id"] = "gone"
    with pytest.raises(RolePlayError, match="no longer has"):
        RolePlay.from_dict(tiny, saved)
    saved["scenario_id"] = "other"
    with pytest.raises(RolePlayError, match="'other'"):
        RolePlay.from_dict(tiny, saved)


def test_debrief_names_best_and_weakest_moment_and_a_better_reply(tiny, fixed_scorer):
    play = RolePlay(tiny, scorer=fixed_scorer(30))
    play.reply("Okay.")
    play.scorer = fixed_scorer(80)
    play.reply("I understand how worrying that is.")
    review = play.debrief()
    assert review.outcome == "resolved" and review.ending_id == "thanks"
    assert review.weakest.turn_id == "opening" and review.best.turn_id == "waiting"
    assert review.better_reply == "I'm sorry it's late. I'll track order AB-123 for you now."
    assert review.tip.startswith("tip for")
    assert [turn.overall for turn in review.turns] == [30, 80]
    assert review.overall == 55
    json.dumps(review.to_dict())


def test_debrief_of_an_unfinished_role_play(tiny, fixed_scorer):
    play = RolePlay(tiny, scorer=fixed_scorer(50))
    play.reply("Okay.")
    assert play.debrief().outcome == "unfinished"


@pytest.mark.parametrize("reply, phrase, found", [
    ("I'll refund you today", "refund*", True),
    ("I've refunded it", "refund*", True),
    ("I've refunded it", "refund", False),
    ("You'll get your money  back", "money back", True),
    ("I can't do that", "can't", True),
    ("I can\u2019t do that", "can't", True),
    ("the prefund", "refund*", False),
])
def test_mentions_match_whole_words(reply, phrase, found):
    assert mentions(reply, phrase) is found


def test_facts_match_ignoring_case_spaces_and_punctuation():
    facts = {"order_number": "BL-48213", "amount": "£89.99", "date": "3 March"}
    assert facts_in("order bl 48213, that's 89.99 from the 3rd of March", facts) == {"order_number", "amount"}
    assert facts_in("on 3 March", facts) == {"date"}
