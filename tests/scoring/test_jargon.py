from scoring import load_jargon_lexicon, score_reply
from scoring.jargon import LexiconError

import pytest


def test_jargon_penalises_internal_terms_and_acronyms():
    card = score_reply("I've raised an RMA and escalated the ticket to tier 2.", "My blender is broken.",
                       models=False)
    flagged = {e.text for e in card.evidence if e.dimension == "jargon" and e.effect == "-"}
    assert {"RMA", "tier 2"} <= flagged
    assert card.scores["jargon"] <= 40


def test_jargon_does_not_penalise_an_explained_term():
    card = score_reply("Please read me the IMEI, the serial number on the back of your phone.", "My phone is lost.",
                       models=False)
    assert card.scores["jargon"] >= 80
    assert any(e.text == "IMEI" and e.effect == "+" for e in card.evidence)


def test_jargon_plain_reply_scores_high():
    assert score_reply("Your refund is on its way.", "Where is my refund?", models=False).scores["jargon"] >= 90


def test_jargon_org_lexicon_adds_terms(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("terms:\n  - GoldCare plus\n  - term: FlexiSaver\nallow: [RMA]\n")
    lexicon = load_jargon_lexicon(path)
    card = score_reply("Your FlexiSaver plan covers the RMA.", "What does my plan cover?", lexicon=lexicon,
                       models=False)
    flagged = {e.text for e in card.evidence if e.effect == "-" and e.dimension == "jargon"}
    assert flagged == {"FlexiSaver"}


def test_jargon_bad_lexicon_file_is_a_clear_error(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("terms: 5\n")
    with pytest.raises(LexiconError, match="terms"):
        load_jargon_lexicon(path)


def test_jargon_shouting_is_not_mistaken_for_acronyms():
    card = score_reply("PLEASE STOP YELLING AT ME", "", models=False)
    assert not [e for e in card.evidence if e.dimension == "jargon"]


def test_jargon_tip_offers_a_plain_alternative():
    card = score_reply("Your ticket is in the queue.", "Any news?", models=False)
    assert "your request" in card.tips["jargon"]
