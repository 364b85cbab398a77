from scoring import score_reply

CONTEXT = "My order #48213 still hasn't arrived and it was meant to be here last Tuesday."


def test_active_listening_rewards_restating_the_concern_over_a_generic_reply():
    good = score_reply("So your order 48213 still hasn't arrived, even though it was due last Tuesday — "
                       "is that right?", CONTEXT, models=False)
    bad = score_reply("Thank you for contacting us. Please see our FAQ page.", CONTEXT, models=False)
    assert good.scores["active_listening"] >= 70
    assert bad.scores["active_listening"] <= 30


def test_active_listening_penalises_asking_for_details_already_given():
    card = score_reply("What is your order number?", CONTEXT, models=False)
    reasons = [e.reason for e in card.evidence if e.dimension == "active_listening" and e.effect == "-"]
    assert any("already gave" in reason for reason in reasons)
    assert card.scores["active_listening"] < 40


def test_active_listening_evidence_points_at_the_restatement():
    reply = "It sounds like your parcel is late. When did you last get a tracking update?"
    card = score_reply(reply, CONTEXT, models=False)
    spans = [e for e in card.evidence if e.dimension == "active_listening" and e.effect == "+"]
    assert any(reply[e.start:e.end] == e.text and e.text.lower().startswith("it sounds like") for e in spans)


def test_active_listening_rewards_using_the_customers_name_from_facts():
    with_name = score_reply("Thanks Priya, so the parcel hasn't arrived yet.", CONTEXT, facts={"name": "Priya"},
                            models=False)
    assert any(e.text == "Priya" and e.effect == "+" for e in with_name.evidence)


def test_active_listening_tip_quotes_the_customers_concern():
    card = score_reply("Okay.", CONTEXT, models=False)
    assert "order #48213 still hasn't arrived" in card.tips["active_listening"]


def test_active_listening_counts_a_factual_question_with_have_to_as_a_question_not_advice():
    card = score_reply("Do you have to pay the second charge before the refund comes through?",
                       "I've been charged twice and my bank says it will take ages to sort out.", models=False)
    assert not any(e.effect == "-" for e in card.evidence if e.dimension == "active_listening")
    assert any("question" in e.reason for e in card.evidence if e.dimension == "active_listening")


def test_active_listening_rewards_an_invitation_to_say_more():
    context = "The app keeps crashing and I've lost all my notes."
    invited = score_reply("I understand. Tell me a little about what happened before it crashed.", context,
                          models=False)
    told = score_reply("I understand. Reinstall the app.", context, models=False)
    assert invited.scores["active_listening"] >= told.scores["active_listening"] + 20


def test_active_listening_does_not_take_a_relative_clause_or_a_modal_for_listening():
    card = score_reply("Good things come to those who are patient, and it will get sorted.",
                       "I will lose my deposit if this isn't fixed.", models=False)
    reasons = [(e.text.lower(), e.reason) for e in card.evidence if e.dimension == "active_listening"]
    assert not any("question" in reason for _, reason in reasons)
    assert ("will", "uses the customer's own words") not in reasons
