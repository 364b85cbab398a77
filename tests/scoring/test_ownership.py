import pytest

from scoring import score_reply

CONTEXT = "I was billed after I cancelled my subscription."


def test_ownership_rewards_commitment_timeline_and_follow_up():
    card = score_reply("I'll refund the charge now and I'll email you by 5 pm today to confirm.", CONTEXT,
                       models=False)
    assert card.scores["ownership"] >= 80
    reasons = {e.reason for e in card.evidence if e.dimension == "ownership"}
    assert {"commits to an action in the first person", "gives a timeline", "promises a follow-up"} <= reasons


def test_ownership_penalises_not_my_department():
    card = score_reply("That's not my department, you'll have to call billing.", CONTEXT, models=False)
    assert card.scores["ownership"] <= 15
    assert any(e.text.lower() == "not my department" for e in card.evidence)


def test_ownership_tip_suggests_a_fitting_action():
    card = score_reply("There's nothing I can do.", CONTEXT, models=False)
    assert "I'll process your refund" in card.tips["ownership"] or "reverse" in card.tips["ownership"]
    assert "nothing I can do" in card.tips["ownership"]


@pytest.mark.parametrize("reply", ["I'll run a line test now.", "Let me pull up your account.",
                                   "I'm going to rebook you on the 6:15.", "I'll have this sorted by Friday."])
def test_ownership_counts_any_action_the_agent_takes_on(reply):
    card = score_reply(reply, CONTEXT, models=False)
    assert any(e.reason == "commits to an action in the first person" for e in card.evidence)


@pytest.mark.parametrize("reply", ["Please let me know if you need anything.", "I'll be honest, it's tricky.",
                                   "I'll need your account number.", "I will not refund that.",
                                   "I'll have to ask you to call billing."])
def test_ownership_does_not_count_hedges_or_the_customers_part_as_commitments(reply):
    card = score_reply(reply, CONTEXT, models=False)
    assert not any(e.reason == "commits to an action in the first person" for e in card.evidence)


FINGERPRINT = "My fingerprint unlock stopped working after the update"
FIX = ("Go to Settings, then Apps, clear the data of the fingerprint app and register your finger again. "
       "That fixes it.")


def test_ownership_the_actual_fix_beats_a_pleasantry_that_ignores_the_problem():
    fix, pleasantry = score_reply(FIX, FINGERPRINT), score_reply("You are welcome!", FINGERPRINT)
    assert fix.scores["ownership"] > pleasantry.scores["ownership"]
    assert fix.overall > pleasantry.overall


def test_listening_the_fix_is_not_below_a_pleasantry():
    fix, pleasantry = score_reply(FIX, FINGERPRINT), score_reply("You are welcome!", FINGERPRINT)
    assert fix.scores["active_listening"] >= pleasantry.scores["active_listening"]


def test_ownership_an_action_done_now_counts_at_least_as_much_as_a_vague_promise():
    vague = score_reply("I'll look into it.", CONTEXT).scores["ownership"]
    assert score_reply("I'm emailing you the refund confirmation now.", CONTEXT).scores["ownership"] >= vague


@pytest.mark.parametrize("reply", ["I'm emailing you the refund confirmation now.",
                                   "I'm putting the credit on your account now.", "I've taken the fee off.",
                                   "We're sending you a new card today."])
def test_ownership_present_and_past_actions_are_not_flat(reply):
    card = score_reply(reply, CONTEXT)
    assert card.scores["ownership"] > 40
    assert score_reply(reply, CONTEXT, models=False).scores["ownership"] > 40
    reasons = {e.reason for e in card.evidence if e.dimension == "ownership"}
    assert reasons & {"is acting for the customer now", "has already acted for the customer"}


def test_ownership_deflection_stays_below_the_fix():
    deflect = score_reply("There's nothing I can do, you'll have to contact the manufacturer.", FINGERPRINT)
    assert deflect.scores["ownership"] < score_reply(FIX, FINGERPRINT).scores["ownership"]


def test_a_pleasantry_after_a_thank_you_is_not_capped():
    thanked = score_reply("You are welcome!", "Thanks, that fixed it")
    ignored = score_reply("You are welcome!", FINGERPRINT)
    assert ignored.scores["active_listening"] <= 20 and ignored.scores["empathy"] <= 30
    assert thanked.scores["empathy"] > ignored.scores["empathy"]


def test_listening_credits_the_fix_for_the_problem_raised():
    card = score_reply(FIX, FINGERPRINT, models=False)
    assert any(e.reason == "answers the problem the customer raised" for e in card.evidence
               if e.dimension == "active_listening")


@pytest.mark.parametrize("reply", [
    "Go to Settings, then Apps, clear the data of the fingerprint app and register your finger again.",
    "Please open Settings > Accounts and tap Remove account, then sign in again.",
    "You can try to restart the router and hold the reset button for ten seconds.",
])
def test_ownership_credits_self_service_steps_that_solve_it(reply):
    context = "My fingerprint unlock stopped working after the update."
    card = score_reply(reply, context, models=False)
    assert any(e.code == "ownership.gives_steps" for e in card.evidence)
    pleasantry = score_reply("Thanks for reaching out to us.", context, models=False)
    assert card.scores["ownership"] > pleasantry.scores["ownership"]


def test_ownership_a_hand_off_is_not_a_step():
    card = score_reply("Please contact the bank about it.", CONTEXT, models=False)
    assert not any(e.code == "ownership.gives_steps" for e in card.evidence)
    assert card.scores["ownership"] <= 19


def test_ownership_credits_the_answer_to_why():
    context = "Why do my icons overlap after the update?"
    card = score_reply("That's because the new firmware does not support free placement of icons yet.", context,
                       models=False)
    assert any(e.code == "ownership.explains_cause" for e in card.evidence)


@pytest.mark.parametrize("reply", ["It's probably a firmware issue, you'd need to check with the manufacturer.",
                                   "You could try contacting the courier directly with your tracking number."])
def test_handing_the_next_step_back_to_the_customer_is_a_deflection(reply):
    card = score_reply(reply, "My parcel still hasn't come and my laptop won't connect.", models=False)
    assert "ownership.pushes_back" in {e.code for e in card.evidence if e.dimension == "ownership"}
