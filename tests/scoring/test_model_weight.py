"""A rubric's ``model_weight`` sets the learned model's share of every skill; left out, the trained models' own
per-skill weights (meta.json) apply, as they do for the default rubric."""
import pytest

from scoring import DIMENSIONS, RubricError, score_reply
from scoring.learned import ScoringModels
from scoring.rubric import rubric_from_text

RUBRIC = ("name: blend\nversion: '1'\nweights: {active_listening: 1, empathy: 1, clarity: 1, jargon: 1, ownership: 1}\n"
          "band_thresholds: [20, 40, 60, 80]\n")
CONTEXT = "My parcel was meant to arrive on Monday and it still isn't here. I'm really fed up."
REPLY = ("Sorry to hear that. I've checked and your parcel is at the depot; I'll have it sent out today and email you "
         "the tracking.")


def test_the_rubrics_model_weight_sets_the_share_of_the_learned_score():
    trained = {"active_listening": 0.5, "empathy": 0.5, "clarity": 0.2, "jargon": 0.2, "ownership": 0.2}
    models = ScoringModels(None, None, {"model_weight": trained})
    rules, learned = dict.fromkeys(DIMENSIONS, 40.0), dict.fromkeys(DIMENSIONS, 80.0)
    assert models.blend(rules, learned, 0.25) == dict.fromkeys(DIMENSIONS, 50.0)
    assert models.blend(rules, learned) == {d: 40 + 40 * trained[d] for d in DIMENSIONS}


def test_a_rubric_that_trusts_the_model_more_changes_the_shipped_score():
    rules_only = score_reply(REPLY, CONTEXT, rubric=rubric_from_text(RUBRIC + "model_weight: 0\n"))
    model_only = score_reply(REPLY, CONTEXT, rubric=rubric_from_text(RUBRIC + "model_weight: 1\n"))
    trained = score_reply(REPLY, CONTEXT, rubric=rubric_from_text(RUBRIC))
    assert rules_only.scores != model_only.scores and rules_only.overall != model_only.overall
    assert trained.scores == score_reply(REPLY, CONTEXT).scores  # the default rubric sets none either
    assert trained.scores not in (rules_only.scores, model_only.scores)


@pytest.mark.parametrize("value", ["1.5", "-0.1", "lots"])
def test_a_model_weight_outside_0_to_1_is_refused(value):
    with pytest.raises(RubricError, match="model_weight"):
        rubric_from_text(RUBRIC + f"model_weight: {value}\n", "team.yaml")
