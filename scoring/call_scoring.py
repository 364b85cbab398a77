"""Scoring a whole call: per-turn scorecards aggregated so each dimension reflects the call as a customer felt it."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from . import conduct
from .dialogue import dialogue_features
from .engine import add_seconds, assess_all, blended_scores, finish, prepare, resolve_models
from .inputs import CallTurn
from .jargon import JargonLexicon
from .learned import ScoringModels
from .rubric import Rubric, default_rubric
from .scorecard import DIMENSIONS, Evidence, Scorecard


def score_call(agent_turns: list[CallTurn], rubric: Rubric | None = None, *, lexicon: JargonLexicon | None = None,
               models: ScoringModels | str | Path | None = None,
               previous_tips: dict[str, str] | None = None) -> Scorecard:
    """Score the agent's turns of a call.

    Evidence offsets index the agent turns joined by newlines; seconds come from word timings,
    or are interpolated over the turn's start_s..end_s when only those are known. Each dimension's tip comes
    from its weakest turn (what worked across the call in band 5), worded apart from ``previous_tips``, the tips
    of the agent's previous scored call.
    """
    rubric = rubric or default_rubric()
    scoring_models = resolve_models(models)
    turns = [turn for turn in agent_turns if turn.text.strip()]
    if not turns:
        empty = prepare("", "", None, None, None)
        return finish({d: 0 for d in DIMENSIONS}, [], {d: "No agent speech to score." for d in DIMENSIONS},
                      ["empty_reply"], [], rubric, empty)
    per_turn, evidence, failed, offset = [], [], [], 0
    for turn in turns:
        prepared = prepare(turn.text, turn.context, None, turn.words, None)
        assessments = assess_all(prepared, lexicon, scoring_models)
        scores = blended_scores(prepared, assessments, scoring_models, rubric)
        per_turn.append((turn, scores, assessments, len(prepared.context_terms) > 0))
        turn_evidence = [item for d in DIMENSIONS for item in assessments[d].evidence]
        items, fail_evidence = conduct.auto_fail_items(prepared, rubric)
        failed += [item for item in items if item not in failed]
        evidence += _place(turn_evidence + fail_evidence, turn, offset)
        offset += len(turn.text) + 1
    turn_scores = np.array([[scores[d] for d in DIMENSIONS] for _, scores, _, _ in per_turn])
    scores = aggregate(turn_scores, [len(turn.text.split()) for turn, *_ in per_turn],
                       [has_context for *_, has_context in per_turn])
    tips = {d: min(per_turn, key=lambda t: t[1][d])[2][d].tip for d in DIMENSIONS}
    heard_anything = any(has_context for *_, has_context in per_turn)
    na = [d for d, conditions in rubric.not_applicable.items() if "no_context" in conditions and not heard_anything]
    card = finish(scores, evidence, tips, failed, na, rubric, previous_tips=previous_tips)
    resolution = call_resolution(scoring_models, turn_scores, [turn.context for turn in turns])
    if resolution is None:
        return card
    score, weight = resolution
    return replace(card, overall=blend_overall(card, score, weight),
                   resolution={"score": int(round(score)), "weight": weight, "rubric_overall": card.overall})


def aggregate(turn_scores: np.ndarray, words: list[int], has_context: list[bool]) -> dict[str, int]:
    """The call's score per dimension from its turns' (n, 5): empathy and ownership need to show up somewhere;
    jargon and deflection count wherever they appear."""
    lengths = np.maximum(1, np.asarray(words, dtype=float))
    result = {}
    for k, d in enumerate(DIMENSIONS):
        values = turn_scores[:, k]
        mean = float(values @ lengths / lengths.sum())
        if d in ("empathy", "ownership"):
            value = 0.6 * values.max() + 0.4 * mean
            value = min(value, values.min() + 45)  # one dismissive or deflecting turn drags the call down
        elif d == "jargon":
            value = min(mean, values.min() + 15)
        elif d == "active_listening":
            heard = values[np.asarray(has_context, dtype=bool)] if any(has_context) else values
            value = 0.5 * heard.max() + 0.5 * heard.mean()
        else:
            value = mean
        result[d] = int(round(max(0.0, min(100.0, float(value)))))
    return result


def call_resolution(models: ScoringModels | None, turn_scores: np.ndarray, contexts: list[str]
                    ) -> tuple[float, float] | None:
    """The dialogue model's resolution score (0-100) for the call and its weight in the overall; None without one."""
    model = models.dialogue if models is not None else None
    if model is None or not model.weight:
        return None
    return float(model.predict(dialogue_features(turn_scores, contexts))[0]), model.weight


def blend_overall(card: Scorecard, resolution: float, weight: float) -> int:
    """The rubric's overall moved toward the dialogue's resolution (an auto-failed call stays at 0)."""
    return 0 if card.auto_fail else int(round((1 - weight) * card.overall + weight * resolution))


def _place(evidence: list[Evidence], turn: CallTurn, offset: int) -> list[Evidence]:
    """Move turn-relative evidence into call offsets and seconds."""
    if turn.words:
        evidence = add_seconds(evidence, turn.text, turn.words)
    placed = []
    for item in evidence:
        start_s, end_s = item.start_s, item.end_s
        if start_s is None and turn.start_s is not None and turn.end_s is not None and turn.text:
            span = turn.end_s - turn.start_s
            start_s = round(turn.start_s + span * item.start / len(turn.text), 2)
            end_s = round(turn.start_s + span * item.end / len(turn.text), 2)
        placed.append(replace(item, start=item.start + offset, end=item.end + offset, start_s=start_s, end_s=end_s))
    return placed
