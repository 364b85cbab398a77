from scoring import score_reply
from scoring.engine import prepare
from scoring.learned import default_models


def test_the_learned_move_detector_tells_listening_from_advising_and_self_talk():
    context = "I lost my job last week and I don't know how I'm going to pay rent."
    models = default_models()

    def moves(reply):
        return models.move_scores(prepare(reply, context, None, None, None))

    reflecting = moves("That sounds so stressful, you must be really worried about the rent.")
    asking = moves("How long were you working there?")
    advising = moves("You should update your CV and apply for benefits.")
    sharing = moves("When I lost my job I went travelling for a month.")
    assert reflecting["active_listening"] > advising["active_listening"]
    assert asking["active_listening"] > sharing["active_listening"]
    assert reflecting["empathy"] > max(advising["empathy"], asking["empathy"], sharing["empathy"])
    card = score_reply("That sounds so stressful, you must be really worried about the rent.", context)
    advice = score_reply("You should update your CV and apply for benefits.", context)
    assert card.scores["empathy"] > advice.scores["empathy"]
    assert card.scores["active_listening"] > advice.scores["active_listening"]


def test_a_closing_commitment_does_not_cost_listening_or_empathy():
    context = "I was charged twice this month and I'm really stressed about it."
    models = default_models()
    warm = "I'm so sorry, that sounds really stressful. So you were charged twice this month?"
    committed = warm + " I'll reverse the duplicate charge today and email you when it's done."
    before = models.move_scores(prepare(warm, context, None, None, None))
    after = models.move_scores(prepare(committed, context, None, None, None))
    assert after["empathy"] >= before["empathy"] - 5
    assert after["active_listening"] >= before["active_listening"] - 5
    card = score_reply(committed, context)
    assert card.bands["empathy"] >= 4 and card.bands["ownership"] >= 4


def test_run_on_sentences_are_split_into_clauses_with_their_own_subject():
    from scoring.language import split_run_on

    assert split_run_on("i get it, i went through the same thing") == ["i get it", "i went through the same thing"]
    assert split_run_on("sorry, you must be so upset but you should call them") == [
        "sorry, you must be so upset", "but you should call them"]
    assert split_run_on("Yes, that's right.") == ["Yes, that's right."]
