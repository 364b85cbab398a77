from scoring.language import PreparedReply
from scoring.sentences import classify


def kinds(text):
    return {kind for _, _, _, kind in classify(PreparedReply(text, "", {})).spans}


def test_questions_are_told_apart_from_advice_put_as_a_question():
    assert kinds("When did you first notice it?") == {"questions"}
    assert kinds("how long has this been going on") == {"questions"}
    assert kinds("Have you tried restarting the router?") == {"advice_questions"}
    assert kinds("Is it possible to talk to your manager about it?") == {"advice_questions"}


def test_advice_self_talk_and_information_are_recognised():
    assert "advice" in kinds("Maybe you should take a few days off.")
    assert "advice" in kinds("Take a deep breath and go for a walk.")
    assert "self_talk" in kinds("I went through the same thing when I lost my job.")
    assert "information" in kinds("Most orders arrive within 5 days.")


def test_reflections_and_affirmations_aimed_at_the_customer():
    assert "reflections" in kinds("That sounds really stressful.")
    assert "reflections" in kinds("I can only imagine how hard that is.")
    assert "affirmations" in kinds("You're not alone in this.")
    assert "affirmations" in kinds("I'm sure you'll get through this.")


def test_evidence_spans_point_into_the_reply():
    text = "Thanks. That sounds really stressful! Have you tried calling them?"
    for start, end, span, _ in classify(PreparedReply(text, "", {})).spans:
        assert text[start:end] == span
