"""The learned move detector: which listening or empathy move each sentence of a reply makes.

A logistic regression over a sentence's word n-grams and its static embedding (``scoring.embedding``),
trained on the project's seed phrasings (``scoring/data/phrases.py``) filled into many situations. A reply's
learned listening and empathy scores follow the labelling guide (``scoring/data/LABELLING.md``) from the
moves of its sentences: listening from the best move and the move it closes on, less for each sentence that
moves on to a fix; empathy from the tone across its sentences (work on the customer's case, a commitment or an
explanation of what happened to their order, is neither, and is left out).
"""
from __future__ import annotations

import numpy as np

from .fastlinear import hashed, hashed_linear, hashed_rows, softmax

FIX_PENALTY = 20.0  # as in LABELLING.md: each sentence that moves on to a fix costs 20 points of listening


TOKENS = r"(?u)\b\w[\w']*\b|[?!]"


class MoveClassifier:
    """Sentence -> probability of each move family; ``values`` maps a family to its (listening, empathy, kind).

    A multinomial logistic regression, fitted with scikit-learn; scoring uses only its learned arrays.
    """

    def __init__(self, C: float = 3.0, random_state: int = 0):
        self.C = C
        self.random_state = random_state

    def features(self, sentences: list[str], vectors: np.ndarray):
        """Hashed word n-grams and the static embedding of each sentence (a SciPy sparse matrix, for fitting)."""
        from scipy import sparse  # fitting only

        texts = [s[:2000] for s in sentences]
        return sparse.hstack([hashed(texts, 2 ** 14, token_pattern=TOKENS), sparse.csr_matrix(vectors)]).tocsr()

    def fit(self, sentences: list[str], vectors: np.ndarray, families: list[str], values: dict):
        from sklearn.linear_model import LogisticRegression  # fitting only

        classifier = LogisticRegression(C=self.C, max_iter=3000, random_state=self.random_state)
        classifier.fit(self.features(sentences, vectors), families)
        self.coef_, self.intercept_, self.classes_ = classifier.coef_, classifier.intercept_, classifier.classes_
        classes = list(self.classes_)
        self.listening_ = np.array([values[c][0] for c in classes], dtype=float)
        self.empathy_ = np.array([values[c][1] for c in classes], dtype=float)
        self.fix_ = np.array([values[c][2] == "fix" for c in classes])
        self.case_ = np.array([values[c][2] == "case" for c in classes])
        return self

    def predict_proba(self, sentences: list[str], vectors: np.ndarray) -> np.ndarray:
        """Each sentence's probability of each move family (columns in ``classes_`` order)."""
        rows = hashed_rows([s[:2000] for s in sentences], 2 ** 14, token_pattern=TOKENS)
        return softmax(hashed_linear(rows, vectors, self.coef_, self.intercept_, 2 ** 14))

    def predict(self, sentences: list[str], vectors: np.ndarray) -> np.ndarray:
        """The most likely move family of each sentence."""
        return self.classes_[self.predict_proba(sentences, vectors).argmax(axis=1)]

    def score(self, sentences: list[str], vectors: np.ndarray, groups: list[int] | None = None,
              own_case: list[bool] | None = None) -> dict[str, float]:
        """Learned listening and empathy (0-100) for a reply's sentences, in order.

        ``groups`` names the sentence each item belongs to when a run-on sentence was split into clauses: a
        sentence that moves on to a fix costs listening once, however many of its clauses do, and in proportion to
        how sure the detector is (the expected number of fixes, not a count of sentences past an even chance).
        ``own_case`` marks the items that the sentence rules read as work on the customer's own case
        (``sentences.on_own_case``): one the detector takes for advice or information is case work, not a fix.
        """
        probabilities = self.predict_proba(sentences, vectors)
        listening = probabilities @ self.listening_
        empathy = probabilities @ self.empathy_
        fix_share = probabilities[:, self.fix_].sum(axis=1)
        case_share = probabilities[:, self.case_].sum(axis=1)
        if own_case is not None:
            moved = np.asarray(own_case, dtype=bool) & (fix_share > 0.5)
            case_share = np.where(moved, case_share + fix_share, case_share)
            fix_share = np.where(moved, 0.0, fix_share)
        groups = list(range(len(sentences))) if groups is None else groups
        fix_by_sentence: dict[int, float] = {}  # how likely each sentence moves on to a fix
        for group, share in zip(groups, fix_share):
            fix_by_sentence[group] = max(fix_by_sentence.get(group, 0.0), share)
        fixes = sum(fix_by_sentence.values()) if len(sentences) > 1 else 0.0
        # the move the reply closes on, not counting closing work on the case ("I'll call you back by 5")
        on_case = case_share >= 0.5
        closing = max((i for i in range(len(sentences)) if not on_case[i]), default=len(sentences) - 1)
        al = 0.5 * listening.max() + 0.5 * listening[closing] - FIX_PENALTY * fixes
        # warmth across the sentences; work on the case is neither warm nor cold, so it counts as much as it is not
        weights = 1 - case_share + 1e-6
        warmth = float((empathy * weights).sum() / weights.sum())
        return {"active_listening": float(np.clip(al, 0, 100)), "empathy": float(np.clip(warmth, 0, 100))}
