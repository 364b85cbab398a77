"""Evaluating a transition's condition against a scored reply."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scenarios.schema import Condition


@dataclass(frozen=True)
class ReplyFacts:
    """What a condition can look at after one reply."""

    reply: str
    scores: dict[str, int]
    overall: int
    mood: int
    facts_mentioned: frozenset[str]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'").lower()).strip()


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern:
    phrase = normalise(phrase)
    open_ended = phrase.endswith("*")
    words = phrase.rstrip("*").split()
    body = r"\s+".join(re.escape(word) for word in words)
    tail = r"[\w'-]*" if open_ended else r"(?![\w])"
    return re.compile(r"(?<![\w])" + body + tail)


def mentions(reply: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``reply`` as whole words (``refund*`` matches refunded)."""
    return _phrase_pattern(phrase).search(normalise(reply)) is not None


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def facts_in(reply: str, facts: dict[str, str]) -> set[str]:
    """The facts whose value appears in the reply, ignoring case, spaces and punctuation."""
    compact = _compact(reply)
    return {key for key, value in facts.items() if len(_compact(value)) >= 2 and _compact(value) in compact}


def holds(condition: Condition, seen: ReplyFacts) -> bool:
    """Every part of the condition that is set holds for this reply."""
    if any(seen.scores.get(dim, 0) < floor for dim, floor in condition.scores_at_least.items()):
        return False
    if any(seen.scores.get(dim, 100) >= ceiling for dim, ceiling in condition.scores_below.items()):
        return False
    if condition.overall_at_least is not None and seen.overall < condition.overall_at_least:
        return False
    if condition.overall_below is not None and seen.overall >= condition.overall_below:
        return False
    if condition.mood_at_least is not None and seen.mood < condition.mood_at_least:
        return False
    if condition.mood_below is not None and seen.mood >= condition.mood_below:
        return False
    if condition.mentions_any and not any(mentions(seen.reply, p) for p in condition.mentions_any):
        return False
    if not all(mentions(seen.reply, p) for p in condition.mentions_all):
        return False
    if any(mentions(seen.reply, p) for p in condition.mentions_none):
        return False
    return all(fact in seen.facts_mentioned for fact in condition.facts_mentioned)
