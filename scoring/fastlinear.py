"""Scoring-time shortcuts for the linear models: hashed n-grams and linear outputs without scikit-learn.

The n-grams and their hashes are the ones ``HashingVectorizer(alternate_sign=False)`` makes (MurmurHash3 of each
n-gram, as scikit-learn's ``murmurhash3_32``), and the outputs equal ``predict``/``predict_proba``; the tests check
both. Scoring needs neither scikit-learn nor SciPy, which take most of a second to import: only fitting does.
"""
from __future__ import annotations

import re
from functools import lru_cache

import mmh3
import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")
_DEFAULT_TOKENS = r"(?u)\b\w\w+\b"


@lru_cache(maxsize=16)
def _analyzer(analyzer: str, ngram_range: tuple[int, int], token_pattern: str | None, lowercase: bool):
    """The n-grams of a text, as ``HashingVectorizer(...).build_analyzer()`` makes them."""
    low, high = ngram_range
    if analyzer == "char_wb":
        def char_wb(text: str) -> list[str]:
            text = _WHITE_SPACES.sub(" ", text.lower() if lowercase else text)
            grams = []
            for word in text.split():
                word = f" {word} "
                for n in range(low, high + 1):
                    offset = 0
                    grams.append(word[offset:offset + n])
                    while offset + n < len(word):
                        offset += 1
                        grams.append(word[offset:offset + n])
                    if offset == 0:  # a word shorter than n: once
                        break
            return grams
        return char_wb
    tokens = re.compile(token_pattern or _DEFAULT_TOKENS)

    def words(text: str) -> list[str]:
        found = tokens.findall(text.lower() if lowercase else text)
        grams = list(found) if low == 1 else []
        for n in range(max(2, low), high + 1):
            grams.extend(" ".join(found[i:i + n]) for i in range(len(found) - n + 1))
        return grams
    return words


def hashed_rows(texts: list[str], n_features: int, *, analyzer: str = "word", ngram_range=(1, 2),
                token_pattern: str | None = None, lowercase: bool = True, norm: bool = True
                ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each text's (feature indices, values), as ``HashingVectorizer(alternate_sign=False)`` hashes them."""
    analyse = _analyzer(analyzer, tuple(ngram_range), token_pattern, lowercase)
    rows = []
    for text in texts:
        counts: dict[int, float] = {}
        for token in analyse(text):
            index = abs(mmh3.hash(token, 0)) % n_features
            counts[index] = counts.get(index, 0.0) + 1.0
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=float, count=len(counts))
        if norm and len(values):
            values /= np.sqrt((values ** 2).sum())
        rows.append((indices, values))
    return rows


def hashed(texts: list[str], n_features: int, **options):
    """Like ``HashingVectorizer(alternate_sign=False, norm="l2" or None).transform(texts)`` (a SciPy sparse matrix,
    for fitting)."""
    from scipy import sparse  # fitting only: scoring uses hashed_rows

    rows = hashed_rows(texts, n_features, **options)
    indptr = np.cumsum([0] + [len(indices) for indices, _ in rows])
    indices = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
    values = np.concatenate([v for _, v in rows]) if rows else np.zeros(0)
    matrix = sparse.csr_matrix((values, indices, indptr), shape=(len(texts), n_features))
    matrix.sum_duplicates()
    return matrix


def hashed_linear(rows: list[tuple[np.ndarray, np.ndarray]], dense: np.ndarray | None, coef: np.ndarray,
                  intercept, n_hashed: int, hashed_scale: float = 1.0, dense_scale: float = 1.0) -> np.ndarray:
    """The linear output for features laid out as [hashed n-grams * hashed_scale, dense * dense_scale],
    computed row by row without building sparse matrices (fast for one reply)."""
    coef = np.atleast_2d(coef)
    out = np.empty((len(rows), coef.shape[0]))
    for i, (indices, values) in enumerate(rows):
        total = coef[:, indices] @ values * hashed_scale if len(indices) else np.zeros(coef.shape[0])
        if dense is not None:
            total = total + coef[:, n_hashed:] @ dense[i] * dense_scale
        out[i] = total
    return out + intercept


def linear(features, coef: np.ndarray, intercept) -> np.ndarray:
    """``features @ coef.T + intercept`` for a sparse or dense feature matrix."""
    return np.asarray(features @ coef.T) + intercept


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)
