import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from scoring.engine import assess_all, prepare
from scoring.fastlinear import hashed
from scoring.learned import REPLY_TOKENS, default_models

TEXTS = ["Hello there! I'm so sorry, is that right?", "", "x y z x x", "The IMEI-2 config_file v2.3 éclair 🙂"]


def test_hashed_ngrams_match_sklearns_hashing_vectorizer():
    word = HashingVectorizer(n_features=2 ** 15, ngram_range=(1, 2), alternate_sign=False, norm="l2",
                             token_pattern=REPLY_TOKENS)
    assert abs(word.transform(TEXTS) - hashed(TEXTS, 2 ** 15, token_pattern=REPLY_TOKENS)).max() == 0
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=2 ** 14, alternate_sign=False,
                              lowercase=False)
    fast = hashed(TEXTS, 2 ** 14, analyzer="char_wb", ngram_range=(2, 4), lowercase=False)
    assert abs(chars.transform(TEXTS) - fast).max() == 0


def test_fast_predictions_equal_the_sklearn_estimators():
    models = default_models()
    prepared = prepare("I'm so sorry. I'll refund you today and email you.", "My refund never came", None, None, None)
    X = [(prepared.text, models.features(prepared, assess_all(prepared, None, models)))]
    features = models.reply_scorer.featurizer_.transform(X)
    slow = np.column_stack([r.predict(features) for r in models.reply_scorer.regressors_])
    assert np.allclose(models.reply_scorer.predict(X), np.clip(slow, 0, 100))
    sentences = ["I'm so sorry to hear that.", "Have you tried restarting it?"]
    vectors = np.vstack([models.embedding.encode(s) for s in sentences])
    moves = models.move_classifier
    assert np.allclose(moves.predict_proba(sentences, vectors),
                       moves.classifier_.predict_proba(moves._features(sentences, vectors)))
    words = ["IMEI", "config_file", "hello"]
    detector = models.term_detector
    assert np.allclose(detector.predict_proba(words),
                       detector.classifier_.predict_proba(detector._vectorizer().transform(words))[:, 1])
