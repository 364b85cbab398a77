from scoring.language import PreparedReply


def _sentences(text: str) -> list[str]:
    prepared = PreparedReply(text, "", {})
    return [text[start:end].strip() for start, end in prepared.sentences]


def test_an_emails_greeting_sign_off_and_signature_are_not_sentences_of_the_reply():
    email = "Hi Leanne,\n\nI'm so sorry about the cake. I'll send a new one tomorrow.\n\nKind regards,\nOwen Price"
    assert _sentences(email) == ["I'm so sorry about the cake.", "I'll send a new one tomorrow."]


def test_a_greeting_inside_the_first_sentence_stays():
    assert _sentences("Hi, thanks for waiting. I've found your order.") == ["Hi, thanks for waiting.",
                                                                            "I've found your order."]


def test_a_reply_that_is_only_thanks_keeps_its_sentence():
    assert _sentences("Thanks!") == ["Thanks!"]


def test_decimals_and_titles_do_not_end_a_sentence():
    assert _sentences("Your rate goes back to 22.9% today. Dr. Patel will call at 3.30 pm.") == [
        "Your rate goes back to 22.9% today.", "Dr. Patel will call at 3.30 pm."]
