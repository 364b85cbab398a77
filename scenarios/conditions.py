"""Evaluating a transition's condition against a scored reply."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scenarios.schema import Condition, MoveCondition


@dataclass(frozen=True)
class ReplyFacts:
    """What a condition can look at after one reply."""

    reply: str
    scores: dict[str, int]
    overall: int
    mood: int
    facts_mentioned: frozenset[str]
    moves_made: frozenset[str] = frozenset()
    moves_so_far: frozenset[str] = frozenset()  # this reply's moves and every earlier reply's


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


def move_failures(condition: MoveCondition, moves_made: frozenset[str]) -> list[str]:
    """Why a move condition does not hold for a reply that made ``moves_made`` (empty: it holds)."""
    missing = [move for move in condition.required() if move not in moves_made]
    made = [move for move in condition.forbidden() if move in moves_made]
    return [f"did not make move '{move}'" for move in missing] + [f"made move '{move}'" for move in made]


def failures(condition: Condition, seen: ReplyFacts) -> list[str]:
    """Every part of the condition that does not hold for this reply, in words (empty: it holds)."""
    failed = move_failures(condition, seen.moves_made)
    failed += [f"{dim} {seen.scores.get(dim, 0)} < {floor}" for dim, floor in condition.scores_at_least.items()
               if seen.scores.get(dim, 0) < floor]
    failed += [f"{dim} {seen.scores.get(dim, 100)} >= {ceiling}" for dim, ceiling in condition.scores_below.items()
               if seen.scores.get(dim, 100) >= ceiling]
    if condition.overall_at_least is not None and seen.overall < condition.overall_at_least:
        failed.append(f"overall {seen.overall} < {condition.overall_at_least}")
    if condition.overall_below is not None and seen.overall >= condition.overall_below:
        failed.append(f"overall {seen.overall} >= {condition.overall_below}")
    if condition.mood_at_least is not None and seen.mood < condition.mood_at_least:
        failed.append(f"mood {seen.mood} < {condition.mood_at_least}")
    if condition.mood_below is not None and seen.mood >= condition.mood_below:
        failed.append(f"mood {seen.mood} >= {condition.mood_below}")
    if condition.mentions_any and not any(mentions(seen.reply, p) for p in condition.mentions_any):
        failed.append("none of the words " + ", ".join(condition.mentions_any))
    failed += [f"no '{p}'" for p in condition.mentions_all if not mentions(seen.reply, p)]
    failed += [f"said '{p}'" for p in condition.mentions_none if mentions(seen.reply, p)]
    failed += [f"fact {fact} not said yet" for fact in condition.facts_mentioned if fact not in seen.facts_mentioned]
    failed += [f"move '{move}' not made yet" for move in condition.made_so_far if move not in seen.moves_so_far]
    return failed


def holds(condition: Condition, seen: ReplyFacts) -> bool:
    """Every part of the condition that is set holds for this reply."""
    return not failures(condition, seen)
