"""Learned scorers and loading them from a models folder.

The scorers follow scikit-learn's estimator conventions (settings in ``__init__``, ``fit`` learns attributes ending
in ``_``, ``predict`` never learns) and are fitted with scikit-learn, but keep only what they learned as arrays: a
models folder loads, and a reply scores, without importing scikit-learn or SciPy.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np

from .band_scale import ScoreCalibration
from .dialogue import DialogueModel
from .embedding import EMBEDDING_FILE, StaticEmbedding
from .fastlinear import hashed, hashed_linear, hashed_rows, linear
from .heads import HEADS_FILE, HumanHeads, head_features
from .language import PreparedReply, informal_to_standard, split_run_on
from .moves import MoveClassifier
from .sentences import on_own_case
from .scorecard import DIMENSIONS

TRAINED_DIR = Path(__file__).resolve().parent / "trained"
MODEL_FILE = "reply_model.joblib"
DETECTOR_FILE = "jargon_detector.joblib"
MOVES_FILE = "move_classifier.joblib"
META_FILE = "meta.json"
FALLBACK_MODEL_WEIGHT = 0.2  # the learned model's share for models whose meta.json names none


def rule_feature_vector(assessments: dict) -> np.ndarray:
    """The transparent rule outputs (scores and features) in a fixed order."""
    values = []
    for dimension in DIMENSIONS:
        values.append(assessments[dimension].score / 100)
        values.extend(assessments[dimension].features[name] for name in sorted(assessments[dimension].features))
    return np.asarray(values, dtype=float)


def dense_features(reply: str, context: str, assessments: dict, embedding: StaticEmbedding | None) -> np.ndarray:
    """Rule outputs, then (when an embedding is loaded) the reply's meaning vector and its likeness to the context."""
    rules = rule_feature_vector(assessments)
    if embedding is None:
        return rules
    reply_vector = embedding.encode_cached(reply)
    similarity = float(reply_vector @ embedding.encode_cached(context)) if context.strip() else 0.0
    return np.concatenate([rules, reply_vector, [similarity]])


REPLY_TOKENS = r"(?u)\b\w[\w']*\b|[?!]"


class ReplyFeaturizer:
    """Turns (reply, dense features) pairs into hashed reply n-grams (optional) plus the dense features (for fitting;
    ``ReplyScorer.predict`` computes the same without building the matrix)."""

    def __init__(self, n_features: int = 2 ** 15, rule_scale: float = 3.0, ngram_weight: float = 1.0):
        self.n_features = n_features
        self.rule_scale = rule_scale
        self.ngram_weight = ngram_weight

    def fit(self, X, y=None):
        self.n_dense_features_ = len(X[0][1]) if len(X) else 0
        return self

    def transform(self, X):
        from scipy import sparse  # fitting only

        dense = sparse.csr_matrix(np.vstack([features for _, features in X]) * self.rule_scale)
        if not self.ngram_weight:
            return dense
        texts = [reply[:5000] for reply, _ in X]
        grams = hashed(texts, self.n_features, token_pattern=REPLY_TOKENS)
        return sparse.hstack([grams * self.ngram_weight, dense]).tocsr()


class ReplyScorer:
    """Predicts the five dimension scores (0-100) from a reply and its dense features; one ridge per dimension.

    A label may be missing (NaN) where the labelled reply says nothing about a dimension; each dimension is
    fitted on the replies labelled for it.
    """

    def __init__(self, n_features: int = 2 ** 15, alpha: float = 30.0, ngram_weight: float = 1.0,
                 random_state: int = 0):
        self.n_features = n_features
        self.alpha = alpha
        self.ngram_weight = ngram_weight
        self.random_state = random_state

    def fit(self, X, Y, sample_weight=None):
        from sklearn.linear_model import Ridge  # fitting only

        Y = np.asarray(Y, dtype=float)
        self.featurizer_ = ReplyFeaturizer(self.n_features, ngram_weight=self.ngram_weight).fit(X)
        features = self.featurizer_.transform(X)
        weights = np.ones(len(Y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        coefs, intercepts = [], []
        for k in range(Y.shape[1]):
            known = ~np.isnan(Y[:, k])
            regressor = Ridge(alpha=self.alpha, random_state=self.random_state)
            if known.any():
                regressor.fit(features[known], Y[known, k], sample_weight=weights[known])
            else:  # no labels at all: predict the middle of the scale
                regressor.fit(features[:1], [50.0])
            coefs.append(regressor.coef_)
            intercepts.append(regressor.intercept_)
        self.coef_ = np.vstack(coefs)
        self.intercept_ = np.asarray(intercepts, dtype=float)
        return self

    def predict(self, X) -> np.ndarray:
        coef, intercept, featurizer = self.coef_, self.intercept_, self.featurizer_
        dense = np.vstack([features for _, features in X])
        if not featurizer.ngram_weight:
            return np.clip(linear(dense * featurizer.rule_scale, coef, intercept), 0, 100)
        rows = hashed_rows([reply[:5000] for reply, _ in X], featurizer.n_features, token_pattern=REPLY_TOKENS)
        output = hashed_linear(rows, dense, coef, intercept, featurizer.n_features, featurizer.ngram_weight,
                               featurizer.rule_scale)
        return np.clip(output, 0, 100)


TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9_\-./]*[A-Za-z0-9]")
DETECTOR_FEATURES = 2 ** 14
_TECHNICAL_LOOK = re.compile(r"\d|_|[a-z][A-Z]|^[A-Z]{2,}|[./]")
DETECTOR_NGRAMS = {"analyzer": "char_wb", "ngram_range": (2, 4), "lowercase": False}


class JargonTermDetector:
    """Flags single words that look like technical jargon (char n-grams), outside a known plain vocabulary."""

    def __init__(self, threshold: float = 0.85, C: float = 2.0, random_state: int = 0):
        self.threshold = threshold
        self.C = C
        self.random_state = random_state

    def features(self, words):
        """Hashed character n-grams of each word (a SciPy sparse matrix, for fitting)."""
        return hashed(list(words), DETECTOR_FEATURES, **DETECTOR_NGRAMS)

    def fit(self, words, labels, plain_vocabulary=()):
        from sklearn.linear_model import LogisticRegression  # fitting only

        classifier = LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
        classifier.fit(self.features(words), np.asarray(labels))
        self.coef_, self.intercept_ = classifier.coef_, classifier.intercept_
        self.plain_vocabulary_ = frozenset(w.lower() for w in plain_vocabulary)
        return self

    def predict_proba(self, words):
        rows = hashed_rows(list(words), DETECTOR_FEATURES, **DETECTOR_NGRAMS)
        decision = hashed_linear(rows, None, self.coef_, self.intercept_, DETECTOR_FEATURES)[:, 0]
        return 1 / (1 + np.exp(-decision))

    def find(self, text: str) -> list[tuple[int, int]]:
        candidates = [m for m in TOKEN_RE.finditer(text[:20000]) if self._candidate(m.group())]
        if not candidates:
            return []
        probabilities = self.predict_proba([m.group() for m in candidates])
        return [(m.start(), m.end()) for m, p in zip(candidates, probabilities) if p >= self.threshold]

    def _candidate(self, word: str) -> bool:
        if word.lower() in self.plain_vocabulary_ or len(word) < 3:
            return False
        return bool(_TECHNICAL_LOOK.search(word)) or len(word) >= 10


class ScoringModels:
    """The trained models a scorer uses; load them with ``load_models``."""

    def __init__(self, reply_scorer: ReplyScorer | None, term_detector: JargonTermDetector | None,
                 meta: dict | None = None, embedding: StaticEmbedding | None = None,
                 move_classifier: MoveClassifier | None = None, heads: HumanHeads | None = None):
        self.heads = heads
        self.reply_scorer = reply_scorer
        self.term_detector = term_detector
        self.meta = meta or {}
        self.embedding = embedding
        self.move_classifier = move_classifier
        self.calibrations = {d: ScoreCalibration.from_dict(knots) for d, knots in
                             (self.meta.get("calibration") or {}).items()}
        self.dialogue = DialogueModel.from_dict(self.meta.get("dialogue") or {})

    def model_weights(self, rubric_weight: float | None = None) -> dict[str, float]:
        """How much the learned model counts per dimension: the rubric's weight when it sets one, else the trained
        weights (meta "model_weight"), else ``FALLBACK_MODEL_WEIGHT``."""
        value = self.meta.get("model_weight", FALLBACK_MODEL_WEIGHT) if rubric_weight is None else rubric_weight
        if isinstance(value, dict):
            return {d: float(value.get(d, FALLBACK_MODEL_WEIGHT)) for d in DIMENSIONS}
        return dict.fromkeys(DIMENSIONS, float(value))

    def blend(self, rules: dict[str, float], learned: dict[str, float] | None, rubric_weight: float | None = None
              ) -> dict[str, float]:
        """Each dimension's score: the rule score and the learned one weighted (``model_weights``), then put on
        the labelling guide's scale by the trained calibration, where there is one."""
        weights = self.model_weights(rubric_weight)
        scores = {}
        for dimension, rule in rules.items():
            weight = weights[dimension]
            value = rule if learned is None else (1 - weight) * rule + weight * learned[dimension]
            calibration = self.calibrations.get(dimension)
            scores[dimension] = float(calibration.transform(value)) if calibration else value
        return scores

    def features(self, prepared: PreparedReply, assessments: dict) -> np.ndarray:
        return dense_features(prepared.text, prepared.context, assessments, self.embedding)

    def predict_one(self, prepared: PreparedReply, assessments: dict) -> dict[str, float] | None:
        return self.predict_parts(prepared, assessments)[0]

    def predict_parts(self, prepared: PreparedReply, assessments: dict
                      ) -> tuple[dict[str, float] | None, dict[str, float]]:
        """The learned scores (reply regression mixed with the move detector) and the move detector's own."""
        if self.reply_scorer is None:
            return None, {}
        row = self.reply_scorer.predict([(prepared.text, self.features(prepared, assessments))])[0]
        learned = dict(zip(DIMENSIONS, (float(v) for v in row)))
        moves = self.move_scores(prepared)
        share = float(self.meta.get("move_weight", 1.0))
        for dimension, value in moves.items():
            learned[dimension] = (1 - share) * learned[dimension] + share * value
        return learned, moves

    def head_weights(self) -> dict[str, float]:
        """How much the human-label heads count in the final score, per dimension (meta "head_weight")."""
        if self.heads is None or self.embedding is None:
            return dict.fromkeys(DIMENSIONS, 0.0)
        value = self.meta.get("head_weight") or {}
        return {d: float(value.get(d, 0.0)) for d in DIMENSIONS}

    def head_features(self, prepared: PreparedReply, assessments: dict, blended: dict[str, float],
                      moves: dict[str, float]) -> np.ndarray:
        return head_features(prepared.text, prepared.context, rule_feature_vector(assessments), blended, moves,
                             self.embedding)

    def with_heads(self, blended: dict[str, float], head_scores: np.ndarray | None,
                   weights: dict[str, float] | None = None) -> dict[str, float]:
        """The blend of the rules-plus-model scores with the human-label heads' scores."""
        if head_scores is None:
            return blended
        weights = self.head_weights() if weights is None else weights
        out = dict(blended)
        for k, d in enumerate(DIMENSIONS):
            if weights[d] and not np.isnan(head_scores[k]):
                out[d] = (1 - weights[d]) * blended[d] + weights[d] * float(head_scores[k])
        return out

    def move_scores(self, prepared: PreparedReply) -> dict[str, float]:
        """Listening and empathy from the moves of the reply's sentences (empty without a move classifier)."""
        if self.move_classifier is None or self.embedding is None:
            return {}
        clauses, groups, own_case = [], [], []  # an informal run-on sentence is scored clause by clause
        for index, (start, end) in enumerate(prepared.sentences[:50]):
            standard = informal_to_standard(prepared.text[start:end].strip().lower().replace("’", "'"))[0]
            for clause in split_run_on(standard):
                clauses.append(clause)
                groups.append(index)
                own_case.append(on_own_case(clause, standard))
        if not clauses:
            clauses, groups, own_case = [prepared.text[:2000]], [0], [False]
        vectors = np.vstack([self.embedding.encode(c) for c in clauses])
        return self.move_classifier.score(clauses, vectors, groups, own_case)

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if self.reply_scorer is not None:
            joblib.dump(self.reply_scorer, folder / MODEL_FILE, compress=3)
        if self.term_detector is not None:
            joblib.dump(self.term_detector, folder / DETECTOR_FILE, compress=3)
        if self.move_classifier is not None:
            joblib.dump(self.move_classifier, folder / MOVES_FILE, compress=3)
        if self.heads is not None:
            self.heads.save(folder / HEADS_FILE)
        (folder / META_FILE).write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return folder


class ModelsError(ValueError):
    """A models folder is missing or its files cannot be read."""


@lru_cache(maxsize=8)
def _load(folder: str) -> ScoringModels:
    path = Path(folder)
    if not path.is_dir():
        raise ModelsError(f"{path}: models folder not found")
    try:
        scorer = joblib.load(path / MODEL_FILE) if (path / MODEL_FILE).is_file() else None
        detector = joblib.load(path / DETECTOR_FILE) if (path / DETECTOR_FILE).is_file() else None
        meta = json.loads((path / META_FILE).read_text()) if (path / META_FILE).is_file() else {}
        embedding = _embedding_for(path, meta)
        moves = joblib.load(path / MOVES_FILE) if (path / MOVES_FILE).is_file() else None
        heads = HumanHeads.load(path / HEADS_FILE) if (path / HEADS_FILE).is_file() else None
    except Exception as error:  # a corrupt or incompatible pickle must surface as a clear message
        raise ModelsError(f"{path}: cannot load models ({error}); run `coach models train`") from error
    return ScoringModels(scorer, detector, meta, embedding, moves, heads)


def _embedding_for(path: Path, meta: dict) -> StaticEmbedding | None:
    """The folder's static embedding, else the shipped one, when the reply scorer was trained with one."""
    if not meta.get("embedding"):
        return None
    for candidate in (path / EMBEDDING_FILE, TRAINED_DIR / EMBEDDING_FILE):
        if candidate.is_file():
            return StaticEmbedding.load(candidate)
    raise ModelsError(f"{path}: the reply model needs {EMBEDDING_FILE}; run `python -m scoring.distil`")


def load_models(folder: str | Path) -> ScoringModels:
    """Load trained models from a folder (cached per folder; a refit writes a new folder or calls ``clear``)."""
    return _load(str(Path(folder).resolve()))


def clear_model_cache() -> None:
    _load.cache_clear()


def default_models() -> ScoringModels | None:
    """The models shipped in ``scoring/trained/``, or None when they have not been trained yet."""
    if not (TRAINED_DIR / MODEL_FILE).is_file():
        return None
    return load_models(TRAINED_DIR)
