"""The NumPy sentence encoder is all-MiniLM-L6-v2 itself: same tokens and same vectors as sentence-transformers."""
from __future__ import annotations

import numpy as np
import pytest

from scoring.encoder import model_dir, shipped_encoder

TEXTS = [
    "I'm so sorry about this, I'll refund the £89.99 today.",
    "Put a friend's name on both tickets.",
    "Héllo wörld!!! co-operate 123abc ÄÖÜ naïve café",
    "You are welcome!",
    "x" * 150,
    "",
    "tab\tand\nnew line, emoji 🙂 and 中文",
]


@pytest.fixture(scope="module")
def library_model():
    sentence_transformers = pytest.importorskip("sentence_transformers")
    return sentence_transformers.SentenceTransformer(str(model_dir()), device="cpu")


@pytest.mark.slow
def test_tokens_are_the_library_tokeniser_s(library_model):
    encoder = shipped_encoder()
    for text in TEXTS:
        assert encoder.token_ids(text) == library_model.tokenizer(text)["input_ids"], text


@pytest.mark.slow
def test_vectors_equal_the_library_s(library_model):
    ours = shipped_encoder().encode(TEXTS)
    theirs = library_model.encode(TEXTS, normalize_embeddings=True)
    assert np.abs(ours - theirs).max() < 1e-4


def test_a_paraphrase_is_closer_than_another_topic():
    refund, paraphrase, other = shipped_encoder().encode(
        ["I'll refund your money today", "I'm putting the money back on your card this afternoon",
         "Your router needs a new password"])
    assert refund @ paraphrase > refund @ other + 0.2
    assert np.allclose(np.linalg.norm([refund, paraphrase, other], axis=1), 1, atol=1e-5)
