"""Shared scoring arithmetic for the dimension modules: matches to evidence and a clamped score."""
from __future__ import annotations

from .evidence_codes import code_for
from .language import Match
from .scorecard import Evidence


def evidence_from(dimension: str, matches: list[Match]) -> list[Evidence]:
    return [Evidence(dimension, m.start, m.end, m.text, "+" if m.weight > 0 else "-", m.reason,
                     code=code_for(dimension, m.reason))
            for m in matches if m.weight]


def capped_sum(matches: list[Match], positive_cap: float, negative_cap: float) -> float:
    """Sum match weights, with diminishing returns beyond the caps."""
    gain = sum(m.weight for m in matches if m.weight > 0)
    loss = sum(-m.weight for m in matches if m.weight < 0)
    return min(gain, positive_cap) - min(loss, negative_cap)


def clamp(score: float) -> float:
    return max(0.0, min(100.0, score))


def in_question(prepared, position: int) -> bool:
    """Whether the character at ``position`` sits in a sentence that ends with a question mark."""
    for start, end in prepared.sentences:
        if start <= position < end:
            return prepared.analysed[start:end].rstrip().endswith("?")
    return False


def kind_matches(kinds, found: list[Match], weights: dict[str, tuple[float, str]]) -> list[Match]:
    """Matches for sentence kinds (``scoring.sentences``) that no phrase match of the same sign already covers."""
    added: list[Match] = []
    for start, end, text, kind in kinds.spans:
        if kind not in weights:
            continue
        weight, reason = weights[kind]
        if any(m.start < end and start < m.end and (m.weight > 0) == (weight > 0) for m in found + added):
            continue
        added.append(Match(start, end, text, reason, weight))
    return added
