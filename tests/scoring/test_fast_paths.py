"""Scoring's own n-gram hashing and linear outputs give what scikit-learn gives, without importing it."""
import subprocess
import sys

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression, Ridge

from scoring.data.compose import compose_moves, move_values
from scoring.engine import assess_all, prepare
from scoring.fastlinear import hashed
from scoring.learned import REPLY_TOKENS, JargonTermDetector, ReplyScorer, default_models
from scoring.moves import MoveClassifier

TEXTS = ["Hello there! I'm so sorry, is that right?", "", "x y z x x", "The IMEI-2 config_file v2.3 éclair 🙂"]


def test_hashed_ngrams_match_sklearns_hashing_vectorizer():
    word = HashingVectorizer(n_features=2 ** 15, ngram_range=(1, 2), alternate_sign=False, norm="l2",
                             token_pattern=REPLY_TOKENS)
    assert abs(word.transform(TEXTS) - hashed(TEXTS, 2 ** 15, token_pattern=REPLY_TOKENS)).max() == 0
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=2 ** 14, alternate_sign=False,
                              lowercase=False)
    fast = hashed(TEXTS, 2 ** 14, analyzer="char_wb", ngram_range=(2, 4), lowercase=False)
    assert abs(chars.transform(TEXTS) - fast).max() == 0


def test_the_move_detector_predicts_what_sklearns_logistic_regression_predicts():
    pairs = compose_moves(600, seed=3)
    sentences, families = [s for s, _ in pairs], [f for _, f in pairs]
    vectors = np.vstack([default_models().embedding.encode(s) for s in sentences])
    moves = MoveClassifier(random_state=0).fit(sentences, vectors, families, move_values())
    reference = LogisticRegression(C=moves.C, max_iter=3000, random_state=0).fit(moves.features(sentences, vectors),
                                                                                  families)
    assert np.allclose(moves.predict_proba(sentences[:20], vectors[:20]),
                       reference.predict_proba(moves.features(sentences[:20], vectors[:20])))


def test_the_reply_scorer_and_term_detector_predict_what_sklearn_predicts():
    models = default_models()
    prepared = prepare("I'm so sorry. I'll refund you today and email you.", "My refund never came", None, None, None)
    X = [(prepared.text, models.features(prepared, assess_all(prepared, None, models)))] * 8
    Y = np.linspace(10, 90, 40).reshape(8, 5)
    scorer = ReplyScorer(alpha=3.0).fit(X, Y)
    features = scorer.featurizer_.transform(X)
    reference = np.column_stack([Ridge(alpha=3.0, random_state=0).fit(features, Y[:, k]).predict(features)
                                 for k in range(5)])
    assert np.allclose(scorer.predict(X), np.clip(reference, 0, 100))
    words, labels = ["IMEI", "config_file", "hello", "SKU-42", "kettle", "refund"], [1, 1, 0, 1, 0, 0]
    detector = JargonTermDetector().fit(words, labels)
    logistic = LogisticRegression(C=detector.C, max_iter=2000, random_state=0).fit(detector.features(words), labels)
    assert np.allclose(detector.predict_proba(words), logistic.predict_proba(detector.features(words))[:, 1])


def test_scoring_a_reply_imports_neither_sklearn_nor_scipy():
    code = ("import sys; from scoring import score_reply; score_reply('I am sorry, I will fix it.', 'It broke');"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
