"""The rules' own features decide on evidence codes, so a reason's wording is free to change."""
from __future__ import annotations

import pytest

from scoring import active_listening, clarity, empathy, ownership
from scoring.engine import prepare
from scoring.evidence_codes import REASON_CODES

REPLIES = [
    ("I was charged twice and I'm really upset.",
     "I'm so sorry about that. I'll refund the extra charge by 5 pm today and follow up with an e-mail to confirm."),
    ("My parcel never arrived.",
     "Just to make sure I understand, the parcel shows delivered but you never got it? What did the tracking say?"),
    ("The app keeps crashing.", "First, open Settings. Next, clear the cache. Then restart the app."),
    ("I can't log in.", "When that happened to me I just tried again later. Have you tried restarting it?"),
    ("My order is late.", "That's not my department, you'll have to call the courier."),
]
MODULES = {"active_listening": active_listening, "empathy": empathy, "clarity": clarity, "ownership": ownership}


def _features() -> list[dict]:
    return [MODULES[d].assess(prepare(reply, context, None, None, None)).features
            for context, reply in REPLIES for d in MODULES]


def test_rewording_every_reason_leaves_the_rule_features_unchanged(monkeypatch):
    before = _features()
    for dimension, module in MODULES.items():
        names = ["PATTERNS", "FIXING"] if dimension == "empathy" else ["PATTERNS"]
        for name in names:
            table = getattr(module, name)
            monkeypatch.setattr(module, name, [(p, w, f"reworded {r}") for p, w, r in table])
        codes = REASON_CODES[dimension]
        monkeypatch.setitem(REASON_CODES, dimension, {**codes, **{f"reworded {r}": c for r, c in codes.items()}})
    monkeypatch.setattr(active_listening, "OPEN_QUESTION", "reworded " + active_listening.OPEN_QUESTION)
    after = _features()
    assert after == before
    assert any(f.get("em_apology") for f in before) and any(f.get("ow_timeline") for f in before)
    assert any(f.get("cl_next_step") for f in before) and any(f.get("al_self") for f in before)


@pytest.mark.parametrize("dimension", sorted(MODULES))
def test_every_pattern_reason_maps_to_a_code(dimension):
    tables = MODULES[dimension].PATTERNS + (empathy.FIXING if dimension == "empathy" else [])
    assert {r for _, _, r in tables} <= set(REASON_CODES[dimension])
