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


def test_a_wh_word_opening_a_statement_does_not_make_it_a_question():
    assert "questions" not in kinds("When you look after everyone else, you can forget to look after yourself.")
    assert kinds("what happened after that") == {"questions"}
    assert kinds("how long have you had the problem") == {"questions"}


def test_suggestions_put_as_questions_in_everyday_words():
    assert kinds("Would you feel comfortable talking to your manager about it?") == {"advice_questions"}
    assert kinds("Have you told your bank about the charge?") == {"advice_questions"}
    assert kinds("What if you wrote to them instead?") == {"advice_questions"}
    assert kinds("Would that help?") == {"advice_questions"}


def test_chat_spellings_without_apostrophes_are_read_like_the_standard_ones():
    assert "reflections" in kinds("thats so frustrating")
    assert "reflections" in kinds("your really upset about it")
    assert "reflections" not in kinds("your order is really late")
    assert "affirmations" in kinds("dont worry, its going to be ok")
    text = "ok thats really stressful, im sorry"
    for start, end, span, _ in classify(PreparedReply(text, "", {})).spans:
        assert text[start:end] == span


def test_each_clause_of_a_run_on_sentence_counts():
    found = kinds("i understand how you feel, i went through the same thing with my landlord last year")
    assert {"reflections", "self_talk"} <= found
    assert kinds("I completely understand your frustration.") == {"reflections"}


def test_feelings_named_in_everyday_ways_are_reflections():
    assert "reflections" in kinds("I can feel your frustration.")
    assert "reflections" in kinds("I'd be furious too!")
    assert "reflections" in kinds("I can see it being really stressful not knowing when it will arrive.")
    assert "reflections" in kinds("Waiting two weeks for a refund is really frustrating.")
    assert "reflections" in kinds("You must feel as though nobody is listening.")
    assert "reflections" in kinds("It sounds like they left you without any answers.")
    assert "reflections" not in kinds("Nothing is hard about the new form.")
    assert "reflections" not in kinds("The battery is low.")


def test_invitations_to_say_more_ask_rather_than_advise():
    assert kinds("Tell me a little about what happened.") == {"questions"}
    assert kinds("May I ask when you placed the order") == {"questions"}
    assert kinds("Has the courier been in touch") == {"questions"}
    assert kinds("Is there anything you'd like to add?") == {"questions"}
    assert kinds("Is there anything you could do to reset it?") == {"advice_questions"}


def test_an_agent_offering_to_act_is_not_giving_advice():
    assert "advice" not in kinds("Let me check that for you.")
    assert "advice" in kinds("Let it charge for an hour.")


def test_validation_and_praise_are_affirmations():
    assert "affirmations" in kinds("You're absolutely right to expect better.")
    assert "affirmations" in kinds("You've done everything right here.")
    assert "affirmations" in kinds("Please be assured that you are being completely reasonable.")
    assert "affirmations" in kinds("You're stronger than you think.")
