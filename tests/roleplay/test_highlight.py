"""Evidence highlighting: the reply cut at evidence boundaries, "-" evidence winning where spans overlap."""
from coach.roleplay.highlight import Piece, highlight


def test_reply_is_cut_at_evidence_and_keeps_every_character():
    text = "I am so sorry, I will fix it today."
    evidence = [
        {"dimension": "empathy", "start": 0, "end": 13, "effect": "+", "reason": "apologises"},
        {"dimension": "ownership", "start": 15, "end": 25, "effect": "+", "reason": "commits"},
        {"dimension": "ownership", "start": 29, "end": 34, "effect": "+", "reason": "gives a timeline"},
    ]
    pieces = highlight(text, evidence)
    assert "".join(piece.text for piece in pieces) == text
    assert pieces[0] == Piece("I am so sorry", "+", "Empathy + apologises")
    assert [p.text for p in pieces if p.effect] == ["I am so sorry", "I will fix", "today"]


def test_overlapping_evidence_names_every_reason_and_a_minus_wins():
    text = "per our policy you must wait"
    evidence = [
        {"dimension": "jargon", "start": 0, "end": 14, "effect": "-", "reason": "policy talk"},
        {"dimension": "ownership", "start": 8, "end": 28, "effect": "-", "reason": "deflects"},
        {"dimension": "clarity", "start": 8, "end": 14, "effect": "+", "reason": "short"},
    ]
    pieces = highlight(text, evidence)
    overlap = next(p for p in pieces if p.text == "policy")
    assert overlap.effect == "-" and "Plain language - policy talk" in overlap.reasons and "Ownership - deflects" in overlap.reasons
    assert "".join(p.text for p in pieces) == text


def test_evidence_outside_the_text_is_ignored():
    assert highlight("Fine.", [{"dimension": "clarity", "start": 3, "end": 40, "effect": "+", "reason": "x"}]) == [Piece("Fine.")]
