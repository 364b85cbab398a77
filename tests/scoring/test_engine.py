import json

import pytest

from scoring import DIMENSIONS, Scorecard, ScoringError, score_reply


def _assert_valid(card: Scorecard) -> None:
    assert set(card.scores) == set(DIMENSIONS) == set(card.bands) == set(card.tips)
    assert all(0 <= s <= 100 for s in card.scores.values())
    assert all(1 <= b <= 5 for b in card.bands.values())
    assert 0 <= card.overall <= 100
    json.dumps(card.to_dict())


def test_scorecard_to_dict_has_the_score_text_shape():
    data = score_reply("I'm sorry. I'll fix it today.", "It's broken", models=False).to_dict()
    assert {"scores", "bands", "overall", "evidence", "tips", "rubric"} <= set(data)
    assert {"dimension", "start", "end", "text", "effect", "reason"} <= set(data["evidence"][0])


def test_empty_reply_scores_zero_without_crashing():
    card = score_reply("", "Where is my order?")
    _assert_valid(card)
    assert card.overall == 0 and "empty_reply" in card.auto_fail


@pytest.mark.parametrize("reply", [
    "Je suis désolé, je vais vérifier votre commande.",
    "😊👍 sorry!! 🙏",
    "<p>I'm <b>sorry</b> — I'll <a href='https://x.io'>refund</a> you today.</p>",
    "word " * 10_000,
])
def test_unusual_replies_get_sensible_scores(reply):
    _assert_valid(score_reply(reply, "My order is late"))


def test_html_tags_do_not_count_as_jargon_and_offsets_stay_on_the_original():
    reply = "<p>I'm <b>sorry</b> about that.</p>"
    card = score_reply(reply, "It broke", models=False)
    assert not [e for e in card.evidence if e.dimension == "jargon"]
    assert all(reply[e.start:e.end] == e.text for e in card.evidence)


def test_very_long_reply_is_a_clear_error():
    with pytest.raises(ScoringError, match="limit"):
        score_reply("a" * 200_000)


def test_wrong_types_are_clear_errors():
    with pytest.raises(ScoringError):
        score_reply(5)
    with pytest.raises(ScoringError):
        score_reply("hi", context={"x": 1})


def test_context_may_be_a_list_of_turns():
    card = score_reply("So you were charged twice?", ["Hi.", "I was charged twice."], models=False)
    assert card.scores["active_listening"] >= 60


def test_shipped_models_load_and_blend():
    assert score_reply("I'll sort it today.", "It broke").scores == score_reply("I'll sort it today.", "It broke").scores
