"""Learned heads trained on human labels from many independent sources (``scoring.human_data``).

One linear head per dimension over features the scorer already computes: the rule assessments (scores and
features), the rules-plus-model blend, the move detector's listening and empathy, the static MiniLM-distilled
embedding of the reply, its interaction with the context embedding (elementwise product and cosine, so answering or
restating the customer's request in other words is seen) and a few cheap word statistics (how many words are rare,
that is, split into several word pieces). Fitted with scikit-learn's ``Ridge`` on standardised features, each
source weighted equally; scoring keeps only the arrays (``human_heads.npz``) and needs neither scikit-learn nor
SciPy. The final score blends the head with the rules-plus-model score by ``meta["head_weight"]``, chosen by
leave-one-source-out evaluation (``benchmarks/scoring_eval.py``).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .embedding import StaticEmbedding
from .scorecard import DIMENSIONS

HEADS_FILE = "human_heads.npz"
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
_YOU = frozenset({"you", "your", "you're", "you've", "you'll", "yours"})
_SELF = frozenset({"i", "i'm", "i've", "i'll", "we", "we're", "we've", "we'll", "me", "us", "my", "our"})


def word_statistics(text: str, embedding: StaticEmbedding) -> list[float]:
    words = _WORD_RE.findall(text[:5000].lower().replace("’", "'"))
    n = len(words)
    if not n:
        return [0.0] * 8
    pieces = [len(embedding._pieces(w.split("'")[0])) for w in words]
    return [np.log1p(n), sum(len(w) for w in words) / n / 10, sum(len(w) >= 8 for w in words) / n,
            sum(p >= 2 for p in pieces) / n, sum(p == 0 for p in pieces) / n,
            sum(w in _YOU for w in words) / n, sum(w in _SELF for w in words) / n, float("?" in text)]


def head_features(text: str, context: str, rule_vector: np.ndarray, blended: dict[str, float],
                  moves: dict[str, float], embedding: StaticEmbedding) -> np.ndarray:
    reply_vector = embedding.encode_cached(text)
    has_context = bool(context.strip())
    context_vector = embedding.encode_cached(context[-3000:]) if has_context else np.zeros_like(reply_vector)
    cosine = float(reply_vector @ context_vector)
    base = [blended[d] / 100 for d in DIMENSIONS]
    move = [moves.get("active_listening", 50.0) / 100, moves.get("empathy", 50.0) / 100]
    return np.concatenate([rule_vector, base, move, word_statistics(text, embedding), [cosine, float(has_context)],
                           reply_vector, reply_vector * context_vector * 10]).astype(np.float32)


class HumanHeads:
    """Per-dimension ridge heads; ``predict`` gives 0-100 scores (the 5th-95th percentile of the training
    predictions mapped onto 10-90)."""

    def __init__(self, alpha: float = 1000.0, random_state: int = 0):
        self.alpha = alpha
        self.random_state = random_state

    def fit(self, X: np.ndarray, targets: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]):
        """``targets[dimension] = (row indices into X, target 0..1, sample weight)``."""
        from sklearn.linear_model import Ridge  # fitting only

        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale_ = np.where(scale > 1e-6, scale, 1.0)
        Z = (X - self.mean_) / self.scale_
        coef = np.zeros((len(DIMENSIONS), X.shape[1]))
        intercept = np.zeros(len(DIMENSIONS))
        low, high = np.zeros(len(DIMENSIONS)), np.ones(len(DIMENSIONS))
        self.fitted_ = np.zeros(len(DIMENSIONS), dtype=bool)
        for k, dimension in enumerate(DIMENSIONS):
            if dimension not in targets or not len(targets[dimension][0]):
                continue
            index, y, weight = targets[dimension]
            regressor = Ridge(alpha=self.alpha, random_state=self.random_state)
            regressor.fit(Z[index], y, sample_weight=weight / weight.mean())
            coef[k], intercept[k] = regressor.coef_, regressor.intercept_
            predicted = Z[index] @ coef[k] + intercept[k]
            low[k], high[k] = np.percentile(predicted, 5), np.percentile(predicted, 95)
            self.fitted_[k] = True
        self.coef_, self.intercept_, self.low_, self.high_ = coef, intercept, low, high
        return self

    def raw(self, X: np.ndarray) -> np.ndarray:
        return ((np.atleast_2d(X) - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Scores 0-100, one column per dimension (NaN for a dimension without a head)."""
        spread = np.where(self.high_ > self.low_, self.high_ - self.low_, 1.0)
        scores = np.clip(10 + 80 * (self.raw(X) - self.low_) / spread, 0, 100)
        return np.where(self.fitted_, scores, np.nan)

    def save(self, path: str | Path) -> Path:
        np.savez(path, mean=self.mean_, scale=self.scale_, coef=self.coef_.astype(np.float32),
                 intercept=self.intercept_, low=self.low_, high=self.high_, fitted=self.fitted_,
                 alpha=np.array(self.alpha), random_state=np.array(self.random_state))
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> "HumanHeads":
        with np.load(path, allow_pickle=False) as data:
            heads = cls(float(data["alpha"]), int(data["random_state"]))
            heads.mean_, heads.scale_ = data["mean"], data["scale"]
            heads.coef_, heads.intercept_ = data["coef"].astype(float), data["intercept"]
            heads.low_, heads.high_, heads.fitted_ = data["low"], data["high"], data["fitted"].astype(bool)
        return heads


def source_weighted_targets(rows: list[dict], factors: dict[str, float] | None = None
                            ) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per dimension, the rows that carry a target; every source weighs the same in total (times ``factors``)."""
    factors = factors or {"self": 0.2}
    targets = {}
    for dimension in DIMENSIONS:
        index = [i for i, r in enumerate(rows) if dimension in r["targets"]]
        if not index:
            continue
        counts: dict[str, int] = {}
        for i in index:
            counts[rows[i]["source"]] = counts.get(rows[i]["source"], 0) + 1
        y = np.array([rows[i]["targets"][dimension] for i in index], dtype=float)
        w = np.array([factors.get(rows[i]["source"], 1.0) / counts[rows[i]["source"]] for i in index])
        targets[dimension] = (np.array(index), y, w)
    return targets
