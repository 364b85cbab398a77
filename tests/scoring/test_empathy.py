import pytest

from scoring import score_reply

CONTEXT = "I've been charged twice this month and I'm really stressed, I can't afford this!"


def test_empathy_penalises_calm_down():
    card = score_reply("Calm down, it's only a small amount.", CONTEXT, models=False)
    assert card.scores["empathy"] <= 20
    assert any(e.text.lower() == "calm down" and e.effect == "-" for e in card.evidence)


def test_empathy_penalises_hiding_behind_policy():
    card = score_reply("That's just our policy.", CONTEXT, models=False)
    assert card.scores["empathy"] <= 20


def test_empathy_rewards_naming_and_validating_the_feeling():
    card = score_reply("I'm so sorry — that sounds really stressful, and it's completely understandable to be "
                       "worried about money right now.", CONTEXT, models=False)
    assert card.scores["empathy"] >= 80
    assert card.bands["empathy"] == 5


def test_empathy_tip_replaces_the_dismissive_phrase():
    card = score_reply("Calm down please.", CONTEXT, models=False)
    assert "Calm down" in card.tips["empathy"]
    assert "charged twice" in card.tips["empathy"]


def test_empathy_asking_about_a_feeling_counts_less_than_naming_it():
    asked = score_reply("Are you feeling stressed?", CONTEXT, models=False)
    named = score_reply("You're feeling stressed, and that makes sense.", CONTEXT, models=False)
    assert named.scores["empathy"] > asked.scores["empathy"]


def test_empathy_reads_a_reflection_after_must_as_understanding_not_an_order():
    reflection = score_reply("You must feel as though we've let you down.", CONTEXT, models=False)
    order = score_reply("You must pay the second charge first.", CONTEXT, models=False)
    assert reflection.scores["empathy"] > order.scores["empathy"] + 20
    assert not any(e.effect == "-" for e in reflection.evidence if e.dimension == "empathy")


def test_empathy_does_not_read_whatever_you_need_as_dismissive():
    offer = score_reply("I'm here for whatever you need.", CONTEXT, models=False)
    shrug = score_reply("Whatever. It's only a small amount.", CONTEXT, models=False)
    assert not any(e.effect == "-" and e.text.lower() == "whatever" for e in offer.evidence)
    assert any(e.effect == "-" and e.text.lower() == "whatever" for e in shrug.evidence)


@pytest.mark.parametrize("reply, reason", [
    ("If you're unhappy, you're free to leave at the end of your contract.",
     "minimises or dismisses the customer's concern"),
    ("Look, there's a queue and you're in it like everyone else.", "minimises or dismisses the customer's concern"),
    ("Well, you shouldn't have left the laptop on show.", "blames the customer"),
    ("You must be using more gas than before.", "blames the customer"),
])
def test_empathy_catches_everyday_dismissal_and_blame(reply, reason):
    card = score_reply(reply, CONTEXT, models=False)
    assert any(e.reason == reason and e.effect == "-" for e in card.evidence if e.dimension == "empathy")
    assert not any(e.effect == "+" for e in card.evidence if e.dimension == "empathy")


def test_empathy_a_pleasantry_that_ignores_the_problem_is_not_empathy():
    card = score_reply("You are welcome!", "My fingerprint unlock stopped working after the update")
    assert card.scores["empathy"] < 60
    warm = score_reply("I'm sorry, that's really frustrating when you rely on it every day.",
                       "My fingerprint unlock stopped working after the update")
    assert warm.scores["empathy"] > card.scores["empathy"]
