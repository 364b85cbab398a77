"""Training the learned scorers on Coach's labelled replies, and refitting them toward an organisation's reviewers."""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score
from sklearn.model_selection import KFold, train_test_split

from .band_scale import ScoreCalibration
from .engine import assess_all, blended_scores, prepare
from .jargon import builtin_lexicon
from .embedding import EMBEDDING_FILE, StaticEmbedding
from .data.compose import compose_all, compose_moves, move_values
from .moves import MoveClassifier
from .head_training import HEAD_WEIGHTS, featurise, fit_dialogue, fit_heads
from .human_data import load_sources
from .heads import HEADS_FILE
from .learned import META_FILE, TRAINED_DIR, JargonTermDetector, ReplyScorer, ScoringModels, dense_features, load_models
from .rubric import default_rubric
from .scorecard import DIMENSIONS

DATA_FILE = Path(__file__).resolve().parent / "data" / "replies.jsonl"
REFIT_MODEL_WEIGHT = 0.8
REFIT_MOVE_WEIGHT = 0.0  # after a refit the reviewers' standard leads: the refitted regression alone
# How much the learned model counts next to the rules, per dimension (written to meta.json). Listening and
# empathy: 0.5, chosen on composed replies with held-out phrasings and on the ESConv *valid* split (see
# benchmarks/scoring_eval.py); the other dimensions have no independent human labels, so the rules lead.
# Share of the learned listening and empathy scores that comes from the sentence move detector (the rest from
# the reply regression, which is the part a refit on reviews moves).
MOVE_WEIGHT = 1.0
MODEL_WEIGHTS = {"active_listening": 0.5, "empathy": 0.5, "clarity": 0.2, "jargon": 0.2, "ownership": 0.2}
# Dimensions whose blended score is calibrated onto the labelling scale (scoring.band_scale). Listening and
# empathy rank well but were squeezed toward the middle; the composed replies label them from many phrasings of
# each move. Clarity, jargon and ownership are labelled from a few fixed sentence frames, too narrow to map a real
# reply's score by, and their rule scores already sit on the band scale.
CALIBRATED = ("active_listening", "empathy")


@dataclass(frozen=True)
class TrainReport:
    rows: int
    out_dir: Path
    agreement: dict[str, float]  # held-out Spearman per dimension


@dataclass(frozen=True)
class RefitReport:
    rows: int
    out_dir: Path
    agreement: dict[str, tuple[float, float]]  # (before, after) quadratic-weighted kappa on bands


def read_labelled(path: str | Path | None = None) -> list[dict]:
    with Path(path or DATA_FILE).open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def featurize(rows: list[tuple[str, str, dict | None]], embedding: StaticEmbedding | None = None
              ) -> list[tuple[str, np.ndarray]]:
    """(context, reply, facts) rows -> (reply, dense features) pairs, the input of ``ReplyScorer``."""
    pairs = []
    for context, reply, facts in rows:
        prepared = prepare(reply, context, facts, None, None)
        pairs.append((reply, dense_features(reply, prepared.context, assess_all(prepared), embedding)))
    return pairs


def shipped_embedding() -> StaticEmbedding | None:
    """The distilled static embedding in scoring/trained (``python -m scoring.distil``), if present."""
    path = TRAINED_DIR / EMBEDDING_FILE
    return StaticEmbedding.load(path) if path.is_file() else None


def labels_matrix(records: list[dict]) -> np.ndarray:
    """Labels per dimension; NaN where a labelled reply leaves a dimension unlabelled (null)."""
    return np.array([[np.nan if r["labels"].get(d) is None else r["labels"][d] for d in DIMENSIONS]
                     for r in records], dtype=float)


def train(data_path: str | Path | None = None, out_dir: str | Path | None = None,
          random_state: int = 0, move_sentences: int = 16000, calibration_replies: int = 3000,
          human_per_source: int | None = None) -> TrainReport:
    """Fit the reply scorer, the sentence move detector (on ``move_sentences`` composed sentences) and the
    jargon term detector, calibrate their blend on ``calibration_replies`` composed replies, then fit the
    human-label heads on the independent sources (``scoring.human_data``; at most ``human_per_source`` rows a
    source, all by default); write them to ``out_dir`` (default scoring/trained)."""
    records = read_labelled(data_path)
    embedding = shipped_embedding()
    X = featurize([(r["context"], r["reply"], r.get("facts")) for r in records], embedding)
    Y = labels_matrix(records)
    train_idx, test_idx = train_test_split(np.arange(len(X)), test_size=0.2, random_state=random_state)
    held_out = ReplyScorer(random_state=random_state).fit([X[i] for i in train_idx], Y[train_idx])
    predicted = held_out.predict([X[i] for i in test_idx])
    agreement = {}
    for k, d in enumerate(DIMENSIONS):
        known = ~np.isnan(Y[test_idx, k])
        agreement[d] = float(spearmanr(predicted[known, k], Y[test_idx, k][known])[0]) if known.sum() > 2 else 0.0
    scorer = ReplyScorer(random_state=random_state).fit(X, Y)
    detector = train_term_detector([r["reply"] for r in records], random_state)
    moves = train_move_classifier(embedding, random_state, move_sentences) if embedding is not None else None
    meta = {"trained_on": Path(data_path or DATA_FILE).name, "rows": len(records), "random_state": random_state,
            "held_out_spearman": {d: round(v, 3) for d, v in agreement.items()},
            "embedding": embedding is not None, "model_weight": dict(MODEL_WEIGHTS),
            "move_weight": MOVE_WEIGHT if moves is not None else 0.0}
    if moves is not None:
        meta["move_holdout_accuracy"] = round(moves.holdout_accuracy_, 3)
    models = ScoringModels(scorer, detector, meta, embedding, moves)
    meta["calibration"] = fit_calibrations(models, calibration_replies, seed=13 + random_state)
    heads = None
    if embedding is not None and moves is not None:
        heads, counts, dialogue = train_heads(ScoringModels(scorer, detector, meta, embedding, moves), random_state,
                                              human_per_source)
        if heads is not None:
            meta.update(head_meta(counts, dialogue))
    folder = ScoringModels(scorer, detector, meta, embedding, moves, heads).save(out_dir or TRAINED_DIR)
    return TrainReport(len(records), folder, agreement)


def train_heads(models: ScoringModels, random_state: int = 0, per_source: int | None = None):
    """The human-label heads, fitted on every available source (the project's own replies as extra examples only);
    None when no independent source is available. Returns (heads, rows per source, the dialogue model fitted on
    the rows with dialogue satisfaction, or None)."""
    sources = load_sources(per_source=per_source)
    if not any(name != "self" for name in sources):
        return None, {}, None
    rows = [row for name in sorted(sources) for row in sources[name]]
    data = featurise([(row["context"], row["reply"]) for row in rows], models)
    heads = fit_heads(rows, data.features, random_state=random_state)
    return heads, {n: len(v) for n, v in sorted(sources.items())}, fit_dialogue(rows, data, heads, HEAD_WEIGHTS)


def head_meta(counts: dict[str, int], dialogue) -> dict:
    """What the models' meta says about the heads and the dialogue model (``scoring.dialogue``)."""
    meta = {"head_weight": dict(HEAD_WEIGHTS), "heads": {"rows_per_source": counts,
                                                          "trained_on": "scoring/data/SOURCES.md"}}
    if dialogue is not None:
        meta["dialogue"] = dict(dialogue.to_dict(), trained_on="stc3 dialogue satisfaction")
    return meta


def refit_heads(folder: str | Path | None = None, random_state: int = 0, per_source: int | None = None,
                featurised=None) -> dict[str, int]:
    """Refit only the human-label heads of a models folder (default scoring/trained) on the current rules and
    models, at ``HEAD_WEIGHTS``: what ``train`` does last, without refitting the reply model, the move detector or
    the calibration (after a rule edit, which changes the heads' input), and the dialogue model after them.
    ``featurised`` may pass the featurised rows (``head_training.featurise``, in ``load_sources`` order, sorted by
    source name) when the caller already has them. Returns the rows per source."""
    from .learned import clear_model_cache

    folder = Path(folder or TRAINED_DIR)
    models = load_models(folder)
    base = ScoringModels(models.reply_scorer, models.term_detector, dict(models.meta), models.embedding,
                         models.move_classifier)
    if featurised is None:
        heads, counts, dialogue = train_heads(base, random_state, per_source)
    else:
        sources = load_sources(per_source=per_source)
        rows = [row for name in sorted(sources) for row in sources[name]]
        heads, counts = fit_heads(rows, featurised.features, random_state=random_state), {n: len(v) for n, v in
                                                                                        sorted(sources.items())}
        dialogue = fit_dialogue(rows, featurised, heads, HEAD_WEIGHTS)
    if heads is None:
        raise ValueError("no human-labelled source available to fit the heads on")
    meta = {k: v for k, v in models.meta.items() if k != "dialogue"}
    meta.update(head_meta(counts, dialogue))
    heads.save(folder / HEADS_FILE)
    (folder / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    clear_model_cache()
    return counts


def fit_calibrations(models: ScoringModels, count: int, seed: int) -> dict[str, dict]:
    """Per dimension, the calibration of the models' blended score onto the labels of ``count`` freshly composed
    replies: new combinations (a seed of their own) of the held-out fifth of the phrasings."""
    rubric = default_rubric()
    scores = {d: [] for d in CALIBRATED}
    labels = {d: [] for d in CALIBRATED}
    for record in compose_all(count, seed=seed, phrase_split="holdout"):
        prepared = prepare(record["reply"], record["context"], record.get("facts"), None, None)
        assessments = assess_all(prepared, None, models)
        blended = blended_scores(prepared, assessments, models, rubric)
        for d in CALIBRATED:
            if record["labels"][d] is not None:
                scores[d].append(blended[d])
                labels[d].append(record["labels"][d])
    return {d: ScoreCalibration().fit(scores[d], labels[d]).to_dict() for d in CALIBRATED if len(scores[d]) >= 20}


def train_move_classifier(embedding: StaticEmbedding, random_state: int = 0, count: int = 8000) -> MoveClassifier:
    """Fit the sentence move detector on the seed phrasings; its accuracy on unseen phrasings goes in the meta."""
    def fit(pairs):
        sentences = [sentence for sentence, _ in pairs]
        vectors = np.vstack([embedding.encode(sentence) for sentence in sentences])
        return MoveClassifier(random_state=random_state).fit(sentences, vectors, [f for _, f in pairs], move_values())

    held_out = fit(compose_moves(count, seed=11 + random_state, phrase_split="train"))
    check = compose_moves(max(count // 4, 12), seed=12 + random_state, phrase_split="holdout")
    vectors = np.vstack([embedding.encode(sentence) for sentence, _ in check])
    predicted = held_out.predict([s for s, _ in check], vectors)
    classifier = fit(compose_moves(count, seed=11 + random_state))
    classifier.holdout_accuracy_ = float(np.mean(predicted == np.array([f for _, f in check])))
    return classifier


def train_term_detector(plain_texts: list[str], random_state: int = 0) -> JargonTermDetector:
    """Jargon words (lexicon plus technical-looking tokens) against the plain words of the training replies."""
    rng = random.Random(random_state)
    jargon_words = {word for term in builtin_lexicon().terms for word in term.split() if len(word) > 2}
    stems = ["sync", "config", "auth", "proxy", "cache", "kernel", "router", "server", "token", "batch", "queue",
             "ledger", "api", "sku", "ticket", "node", "port", "build", "patch", "deploy", "payload", "schema"]
    for _ in range(400):
        stem, other = rng.choice(stems), rng.choice(stems)
        jargon_words.add(rng.choice([f"{stem}_{other}", f"{stem}{other.title()}", f"{stem.upper()}-{rng.randint(1, 999)}",
                                     f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}", f"{stem}.{other}",
                                     f"re{stem}", f"{stem}ing", f"ERR_{rng.randint(100, 599)}",
                                     f"{stem.upper()}{rng.randint(1, 9)}"]))
    plain = {w for text in plain_texts for w in re.findall(r"[A-Za-z][a-z']+", text)}
    plain -= {w.lower() for w in jargon_words} | jargon_words
    plain |= {w.title() for w in plain}
    words = sorted(jargon_words) + sorted(plain)
    labels = [1] * len(jargon_words) + [0] * len(plain)
    return JargonTermDetector(random_state=random_state).fit(words, labels, plain_vocabulary=plain)


def _bands(scores) -> list[int]:
    rubric = default_rubric()
    return [rubric.band(int(round(s))) for s in scores]


def _kappa(predicted, human) -> float:
    predicted, human = _bands(predicted), _bands(human)
    if len(set(predicted) | set(human)) < 2:
        return 1.0 if predicted == human else 0.0
    value = cohen_kappa_score(human, predicted, weights="quadratic", labels=[1, 2, 3, 4, 5])
    return 0.0 if np.isnan(value) else float(value)


def refit_from_reviews(rows: list[tuple[str, str, dict[str, float]]], out_dir: str | Path,
                       base_models: ScoringModels | str | Path | None = None, data_path: str | Path | None = None,
                       review_weight: float | None = None, random_state: int = 0) -> RefitReport:
    """Refit the reply scorer on Coach's labelled replies plus an organisation's reviewed replies.

    ``rows`` are (context, reply, {dimension: human score 0-100}); dimensions a reviewer left out keep the
    current model's opinion. Agreement (quadratic-weighted kappa on bands) is measured out of fold when there
    are at least 10 reviews, in sample otherwise. The refitted models are written to ``out_dir``.
    """
    rows = [(str(context or ""), str(reply), dict(scores)) for context, reply, scores in rows if str(reply).strip()]
    if not rows:
        raise ValueError("no reviewed replies to refit on")
    base = base_models if isinstance(base_models, ScoringModels) else load_models(base_models or TRAINED_DIR)
    rubric = default_rubric()
    X = featurize([(context, reply, None) for context, reply, _ in rows], base.embedding)
    rule_scores = np.array([_rule_scores(x[1]) for x in X])
    learned, shown = _current_scores(base, rows, rubric)
    current = np.array([[scores[d] for d in DIMENSIONS] for scores in learned])
    before_blend = np.array([[scores[d] for d in DIMENSIONS] for scores in shown])
    human = np.array([[scores.get(d, np.nan) for d in DIMENSIONS] for _, _, scores in rows], dtype=float)
    targets = np.where(np.isnan(human), current, human)
    records = read_labelled(data_path)
    base_X = featurize([(r["context"], r["reply"], r.get("facts")) for r in records], base.embedding)
    base_Y = labels_matrix(records)
    weight = review_weight or max(1.0, 0.5 * len(base_X) / len(X))

    def fit(indices) -> ReplyScorer:
        sample_weight = np.concatenate([np.ones(len(base_X)), np.full(len(indices), weight)])
        return ReplyScorer(random_state=random_state).fit(base_X + [X[i] for i in indices],
                                                          np.vstack([base_Y, targets[indices]]), sample_weight)

    after = np.zeros_like(current)
    if len(X) >= 10:
        for fit_idx, test_idx in KFold(5, shuffle=True, random_state=random_state).split(X):
            after[test_idx] = fit(fit_idx).predict([X[i] for i in test_idx])
    else:
        after = fit(np.arange(len(X))).predict(X)
    after_blend = (1 - REFIT_MODEL_WEIGHT) * rule_scores + REFIT_MODEL_WEIGHT * after
    agreement = {}
    for k, d in enumerate(DIMENSIONS):
        known = ~np.isnan(human[:, k])
        if known.any():
            agreement[d] = (_kappa(before_blend[known, k], human[known, k]), _kappa(after_blend[known, k], human[known, k]))
    # the refitted regression learns the reviewers' own scale, so the base calibration no longer applies
    meta = dict(base.meta, refitted_on_reviews=len(X), review_weight=weight, model_weight=REFIT_MODEL_WEIGHT,
                move_weight=REFIT_MOVE_WEIGHT, calibration=None,
                agreement_before_after={d: [round(b, 3), round(a, 3)] for d, (b, a) in agreement.items()})
    folder = ScoringModels(fit(np.arange(len(X))), base.term_detector, meta).save(out_dir)
    return RefitReport(len(X), folder, agreement)


def _current_scores(models: ScoringModels, rows, rubric) -> tuple[list[dict], list[dict]]:
    """For each reviewed reply, what the current models' learned part says (move detector included) and the score
    Coach showed (rules and model blended, calibrated, capped)."""
    learned, shown = [], []
    for context, reply, _ in rows:
        prepared = prepare(reply, context, None, None, None)
        assessments = assess_all(prepared, None, models)
        learned.append(models.predict_one(prepared, assessments))
        shown.append(blended_scores(prepared, assessments, models, rubric))
    return learned, shown


def _rule_scores(features: np.ndarray) -> list[float]:
    """The rule score of each dimension, read back from the feature vector ``rule_feature_vector`` built."""
    return [float(features[i]) * 100 for i in _RULE_SCORE_POSITIONS]


def _rule_score_positions() -> list[int]:
    prepared = prepare("ok", "", None, None, None)
    assessments = assess_all(prepared)
    positions, cursor = [], 0
    for d in DIMENSIONS:
        positions.append(cursor)
        cursor += 1 + len(assessments[d].features)
    return positions


_RULE_SCORE_POSITIONS = _rule_score_positions()
