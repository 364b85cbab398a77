"""How the customer sounds in words: a small lexicon reading from -1 (angry, upset) to 1 (pleased), negation-aware."""
from __future__ import annotations

import re

POSITIVE = frozenset("""
thanks thank great perfect wonderful excellent brilliant lovely amazing appreciate appreciated helpful happy glad pleased
good fine fantastic awesome sorted resolved works working fixed relieved grateful nice kind cheers super ok okay
""".split())
NEGATIVE = frozenset("""
angry furious upset annoyed annoying frustrated frustrating ridiculous unacceptable terrible awful horrible useless
disappointed disappointing worst hate wrong broken late never nobody complaint complain cancel refund rubbish joke
waiting waited problem issue damaged missing lost fed unhappy disgusting pathetic incompetent stupid sick tired worried
""".split())
NEGATORS = frozenset("not no never don't doesn't didn't isn't wasn't can't cannot won't hasn't haven't nothing".split())
WORD = re.compile(r"[a-z']+")


def sentiment(text: str) -> float:
    """Positive minus negative words over their total, softened so one word does not read as ±1."""
    tokens = WORD.findall(text.lower().replace("’", "'"))
    positive = negative = 0
    for i, token in enumerate(tokens):
        negated = any(t in NEGATORS for t in tokens[max(0, i - 2): i])
        if token in POSITIVE:
            negative, positive = (negative + 1, positive) if negated else (negative, positive + 1)
        elif token in NEGATIVE and token not in NEGATORS:
            positive, negative = (positive + 1, negative) if negated and token not in {"never"} else (positive, negative + 1)
    if positive + negative == 0:
        return 0.0
    return round((positive - negative) / (positive + negative + 1), 2)
