"""The dialogue model: a call's resolution learned from whole-dialogue satisfaction (``scoring.dialogue``)."""
import numpy as np

from scoring import CallTurn, score_call
from scoring.dialogue import FEATURES, DialogueModel, dialogue_features
from scoring.learned import default_models
from scoring.scorecard import DIMENSIONS


def _scores(ownership: list[float]) -> np.ndarray:
    rows = np.full((len(ownership), len(DIMENSIONS)), 50.0)
    rows[:, DIMENSIONS.index("ownership")] = ownership
    return rows


def test_features_read_how_the_customer_took_the_earlier_turns():
    thanked = dialogue_features(_scores([40, 80]), ["My card was charged twice.", "Thank you, that solved it."])
    complained = dialogue_features(_scores([40, 80]), ["My card was charged twice.", "It's still not fixed!"])
    names = list(FEATURES)
    assert thanked[names.index("later_confirms")] == 1 and complained[names.index("later_confirms")] == 0
    assert complained[names.index("later_complains")] == 1 and thanked[names.index("later_complains")] == 0
    assert thanked[names.index("best_ownership")] == 0.8
    single = dialogue_features(_scores([60]), ["My card was charged twice."])
    assert single[names.index("log_turns")] == 0 and single[names.index("later_complains")] == 0


def test_model_learns_the_direction_of_its_labels_and_round_trips():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, len(FEATURES)))
    y = X[:, 1] - X[:, 5] + 0.1 * rng.normal(size=200)
    model = DialogueModel(weight=0.5).fit(X, y)
    better, worse = X[0].copy(), X[0].copy()
    better[1], worse[1] = 2.0, -2.0
    assert model.predict(better)[0] > model.predict(worse)[0]
    again = DialogueModel.from_dict(model.to_dict())
    assert np.allclose(again.predict(X), model.predict(X), atol=0.01) and again.weight == 0.5
    assert DialogueModel.from_dict(dict(model.to_dict(), features=["something", "else"])) is None


def test_shipped_call_overall_drops_when_the_customer_comes_back_complaining():
    assert default_models().dialogue is not None and default_models().dialogue.weight > 0
    first = CallTurn("I'm sorry about the double charge. I've refunded the second payment just now.",
                     "I was charged twice for my order.")
    thanked = [first, CallTurn("You're welcome. It will show on your statement within three days.",
                               "Thank you, that's sorted then.")]
    complained = [first, CallTurn("You're welcome. It will show on your statement within three days.",
                                  "It's still not fixed, this is ridiculous, nobody helps me.")]
    assert score_call(thanked).overall > score_call(complained).overall


def test_rules_only_call_overall_is_the_rubrics_weighted_mean():
    card = score_call([CallTurn("I'll refund you today.", "I was charged twice.")], models=False)
    weights = {"active_listening": 0.25, "empathy": 0.25, "clarity": 0.2, "jargon": 0.1, "ownership": 0.2}
    expected = sum(card.scores[d] * w for d, w in weights.items() if d not in card.not_applicable)
    total = sum(w for d, w in weights.items() if d not in card.not_applicable)
    assert card.overall == round(expected / total)
