"""Learned scorers (scikit-learn estimators) and loading them from a models folder."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression, Ridge

from .language import PreparedReply
from .scorecard import DIMENSIONS

TRAINED_DIR = Path(__file__).resolve().parent / "trained"
MODEL_FILE = "reply_model.joblib"
DETECTOR_FILE = "jargon_detector.joblib"
META_FILE = "meta.json"


def rule_feature_vector(assessments: dict) -> np.ndarray:
    """The transparent rule outputs (scores and features) in a fixed order."""
    values = []
    for dimension in DIMENSIONS:
        values.append(assessments[dimension].score / 100)
        values.extend(assessments[dimension].features[name] for name in sorted(assessments[dimension].features))
    return np.asarray(values, dtype=float)


class ReplyFeaturizer(BaseEstimator, TransformerMixin):
    """Turns (reply, rule features) pairs into hashed reply n-grams plus the rule features."""

    def __init__(self, n_features: int = 2 ** 15, rule_scale: float = 3.0):
        self.n_features = n_features
        self.rule_scale = rule_scale

    def fit(self, X, y=None):
        self.n_rule_features_ = len(X[0][1]) if len(X) else 0
        return self

    def transform(self, X):
        hasher = HashingVectorizer(n_features=self.n_features, ngram_range=(1, 2), alternate_sign=False,
                                   norm="l2", token_pattern=r"(?u)\b\w[\w']*\b|[?!]")
        texts = [reply[:5000] for reply, _ in X]
        rules = np.vstack([features for _, features in X]) * self.rule_scale
        return sparse.hstack([hasher.transform(texts), sparse.csr_matrix(rules)]).tocsr()


class ReplyScorer(BaseEstimator):
    """Predicts the five dimension scores (0-100) from a reply and its rule features; a multi-output ridge."""

    def __init__(self, n_features: int = 2 ** 15, alpha: float = 1.0, random_state: int = 0):
        self.n_features = n_features
        self.alpha = alpha
        self.random_state = random_state

    def fit(self, X, Y, sample_weight=None):
        self.featurizer_ = ReplyFeaturizer(self.n_features).fit(X)
        self.regressor_ = Ridge(alpha=self.alpha, random_state=self.random_state)
        self.regressor_.fit(self.featurizer_.transform(X), np.asarray(Y, dtype=float), sample_weight=sample_weight)
        return self

    def predict(self, X) -> np.ndarray:
        return np.clip(self.regressor_.predict(self.featurizer_.transform(X)), 0, 100)


TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9_\-./]*[A-Za-z0-9]")


class JargonTermDetector(BaseEstimator):
    """Flags single words that look like technical jargon (char n-grams), outside a known plain vocabulary."""

    def __init__(self, threshold: float = 0.85, C: float = 2.0, random_state: int = 0):
        self.threshold = threshold
        self.C = C
        self.random_state = random_state

    def _vectorizer(self):
        return HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=2 ** 14, alternate_sign=False,
                                 lowercase=False)

    def fit(self, words, labels, plain_vocabulary=()):
        self.classifier_ = LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
        self.classifier_.fit(self._vectorizer().transform(list(words)), np.asarray(labels))
        self.plain_vocabulary_ = frozenset(w.lower() for w in plain_vocabulary)
        return self

    def predict_proba(self, words):
        return self.classifier_.predict_proba(self._vectorizer().transform(list(words)))[:, 1]

    def find(self, text: str) -> list[tuple[int, int]]:
        candidates = [m for m in TOKEN_RE.finditer(text[:20000]) if self._candidate(m.group())]
        if not candidates:
            return []
        probabilities = self.predict_proba([m.group() for m in candidates])
        return [(m.start(), m.end()) for m, p in zip(candidates, probabilities) if p >= self.threshold]

    def _candidate(self, word: str) -> bool:
        if word.lower() in self.plain_vocabulary_ or len(word) < 3:
            return False
        return bool(re.search(r"\d|_|[a-z][A-Z]|^[A-Z]{2,}|[./]", word)) or len(word) >= 10


class ScoringModels:
    """The trained models a scorer uses; load them with ``load_models``."""

    def __init__(self, reply_scorer: ReplyScorer | None, term_detector: JargonTermDetector | None,
                 meta: dict | None = None):
        self.reply_scorer = reply_scorer
        self.term_detector = term_detector
        self.meta = meta or {}

    def predict_one(self, prepared: PreparedReply, assessments: dict) -> dict[str, float] | None:
        if self.reply_scorer is None:
            return None
        row = self.reply_scorer.predict([(prepared.text, rule_feature_vector(assessments))])[0]
        return dict(zip(DIMENSIONS, (float(v) for v in row)))

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if self.reply_scorer is not None:
            joblib.dump(self.reply_scorer, folder / MODEL_FILE, compress=3)
        if self.term_detector is not None:
            joblib.dump(self.term_detector, folder / DETECTOR_FILE, compress=3)
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
    except Exception as error:  # a corrupt or incompatible pickle must surface as a clear message
        raise ModelsError(f"{path}: cannot load models ({error}); run `coach models train`") from error
    return ScoringModels(scorer, detector, meta)


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
