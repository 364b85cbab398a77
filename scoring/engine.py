"""Scoring a reply (and a whole call): rules per dimension, the learned model, then the rubric."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import active_listening, clarity, conduct, empathy, jargon, ownership
from .inputs import TimedWord, VoiceFeatures
from .jargon import JargonLexicon
from .language import PreparedReply, word_spans
from .learned import ScoringModels, default_models, load_models
from .rubric import Rubric, default_rubric
from .scorecard import DIMENSIONS, Assessment, Evidence, Scorecard
from .tips import Tip, settle

MAX_REPLY_CHARS = 100_000


class ScoringError(ValueError):
    """The input cannot be scored (wrong type, too long); the message says what to change."""


def score_reply(reply: str, context: str | list[str] = "", facts: dict | None = None,
                words: list[TimedWord] | None = None, voice: VoiceFeatures | None = None,
                rubric: Rubric | None = None, *, lexicon: JargonLexicon | None = None,
                models: ScoringModels | str | Path | None = None,
                previous_tips: dict[str, str] | None = None) -> Scorecard:
    """Score one agent reply against its context on the five dimensions.

    ``models`` is a loaded ``ScoringModels``, a folder of trained models, or None for the shipped ones;
    pass ``models=False`` for rules only. ``previous_tips`` are the tips shown on the conversation's previous turn:
    a tip that would repeat one of them is worded another way.
    """
    prepared = prepare(reply, context, facts, words, voice)
    rubric = rubric or default_rubric()
    scoring_models = resolve_models(models)
    assessments = assess_all(prepared, lexicon, scoring_models)
    return _scorecard(prepared, assessments, blended_scores(prepared, assessments, scoring_models, rubric), rubric,
                      previous_tips)


def assess_all(prepared: PreparedReply, lexicon: JargonLexicon | None = None,
               scoring_models: ScoringModels | None = None) -> dict[str, Assessment]:
    detector = scoring_models.term_detector if scoring_models else None
    return {
        "active_listening": active_listening.assess(prepared),
        "empathy": empathy.assess(prepared),
        "clarity": clarity.assess(prepared),
        "jargon": jargon.assess(prepared, lexicon, detector),
        "ownership": ownership.assess(prepared),
    }


def prepare(reply, context, facts, words, voice) -> PreparedReply:
    if not isinstance(reply, str):
        raise ScoringError(f"reply must be text, got {type(reply).__name__}")
    if isinstance(context, (list, tuple)):
        if not all(isinstance(turn, str) for turn in context):
            raise ScoringError("context must be text or a list of texts")
        context = "\n".join(context)
    elif context is None:
        context = ""
    elif not isinstance(context, str):
        raise ScoringError(f"context must be text or a list of texts, got {type(context).__name__}")
    if facts is not None and not isinstance(facts, dict):
        raise ScoringError(f"facts must be a mapping, got {type(facts).__name__}")
    if len(reply) > MAX_REPLY_CHARS:
        raise ScoringError(f"reply is {len(reply):,} characters; the limit is {MAX_REPLY_CHARS:,}")
    return PreparedReply(reply, context[-MAX_REPLY_CHARS:], dict(facts or {}), list(words or []), voice)


def resolve_models(models) -> ScoringModels | None:
    if models is False:
        return None
    if models is None:
        return default_models()
    if isinstance(models, ScoringModels):
        return models
    return load_models(models)


def blended_scores(prepared: PreparedReply, assessments: dict[str, Assessment], scoring_models: ScoringModels | None,
                   rubric: Rubric) -> dict[str, float]:
    """The rule scores, blended with the learned model's and calibrated when models are loaded; a rule's ceiling
    (an ignoring or dismissive move) holds whatever the model says."""
    base, features = base_scores(prepared, assessments, scoring_models, rubric)
    if features is not None:
        base = scoring_models.with_heads(base, scoring_models.heads.predict(features)[0])
    return {d: min(base[d], assessments[d].ceiling) for d in DIMENSIONS}


def base_scores(prepared: PreparedReply, assessments: dict[str, Assessment], scoring_models: ScoringModels | None,
                rubric: Rubric, want_features: bool = False) -> tuple[dict[str, float], "np.ndarray | None"]:
    """The rules blended with the learned model (calibrated), before the human-label heads; and the heads' input
    features when the models carry heads that count."""
    rules = {d: assessments[d].score for d in DIMENSIONS}
    if scoring_models is None:
        return rules, None
    learned, moves = scoring_models.predict_parts(prepared, assessments) if prepared.word_count else (None, {})
    blended = scoring_models.blend(rules, learned, rubric.model_weight)
    wanted = want_features or (scoring_models.heads is not None and any(scoring_models.head_weights().values()))
    if learned is None or scoring_models.embedding is None or not wanted:
        return blended, None
    return blended, scoring_models.head_features(prepared, assessments, blended, moves)


def _scorecard(prepared: PreparedReply, assessments: dict[str, Assessment], blended: dict[str, float],
               rubric: Rubric, previous_tips: dict[str, str] | None = None) -> Scorecard:
    scores = {d: int(round(max(0.0, min(100.0, blended[d])))) if prepared.word_count else 0 for d in DIMENSIONS}
    evidence = [item for dimension in DIMENSIONS for item in assessments[dimension].evidence]
    failed, fail_evidence = conduct.auto_fail_items(prepared, rubric)
    na = conduct.not_applicable(prepared, rubric)
    if not prepared.word_count:
        failed = failed + ["empty_reply"]
    return finish(scores, evidence + fail_evidence, {d: assessments[d].tip for d in DIMENSIONS},
                   failed, na, rubric, prepared, previous_tips=previous_tips)


def finish(scores: dict[str, int], evidence: list[Evidence], tips: dict[str, Tip | str], failed: list[str],
            na: list[str], rubric: Rubric, prepared: PreparedReply | None = None, *,
            previous_tips: dict[str, str] | None = None) -> Scorecard:
    """The scorecard: bands, the overall score, and each tip settled for its band (``scoring.tips.settle``)."""
    bands = {d: rubric.band(scores[d]) for d in DIMENSIONS}
    weights = {d: rubric.weights[d] for d in DIMENSIONS if d not in na} or dict(rubric.weights)
    total = sum(weights.values()) or 1.0
    overall = 0 if failed else int(round(sum(scores[d] * w for d, w in weights.items()) / total))
    if prepared is not None and prepared.words:
        evidence = add_seconds(evidence, prepared.text, prepared.words)
    texts, strengths, examples, options = settle(tips, bands, evidence, previous_tips)
    return Scorecard(scores=scores, bands=bands, band_labels={d: rubric.anchors[d][bands[d]] for d in DIMENSIONS},
                     overall=overall, evidence=evidence, tips=texts, rubric=rubric.label, auto_fail=failed,
                     not_applicable=na, strengths=strengths, examples=examples, tip_options=options)


def add_seconds(evidence: list[Evidence], text: str, words: list[TimedWord], offset: int = 0) -> list[Evidence]:
    """Give each evidence span the start and end time of the words it covers."""
    spans = [(s + offset, e + offset, w) for (s, e), w in zip(word_spans(text, words), words) if s >= 0]
    timed = []
    for item in evidence:
        if item.start_s is not None:
            timed.append(item)
            continue
        covered = [w for s, e, w in spans if s < item.end and item.start < e]
        timed.append(replace(item, start_s=covered[0].start, end_s=covered[-1].end) if covered else item)
    return timed
