"""A fast static sentence embedding: one vector per word piece, averaged over a reply.

The vectors are distilled once, at training time, from all-MiniLM-L6-v2 (``scoring.distil``): each word
piece of the model's vocabulary is run through the transformer on its own, mean-pooled, reduced with PCA and
stored as float16 in ``scoring/trained/static_embedding.npz``. At scoring time there is no transformer: a
reply is split into word pieces (the model's own WordPiece rules) and their vectors are averaged, which
takes microseconds.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

EMBEDDING_FILE = "static_embedding.npz"
_PIECE_RE = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
MAX_CHARS = 5000
MAX_WORD_CHARS = 100  # a longer "word" is unknown, as in BERT's own tokeniser (and cannot cost O(n^2))


def word_pieces(word: str, index: dict[str, int]) -> tuple[int, ...] | None:
    """Greedy longest-match WordPiece, as BERT tokenises: the ids of the word's pieces in ``index``, None when the
    word cannot be split into known pieces or is longer than MAX_WORD_CHARS."""
    if len(word) > MAX_WORD_CHARS:
        return None
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in index:
                pieces.append(index[piece])
                break
            end -= 1
        if end == start:
            return None
        start = end
    return tuple(pieces)


class StaticEmbedding:
    """Word-piece vectors and the vocabulary they belong to; ``encode`` gives unit-length mean vectors."""

    def __init__(self, vocabulary: list[str], vectors: np.ndarray):
        self.vocabulary = vocabulary
        self.index = {piece: i for i, piece in enumerate(vocabulary)}
        self.vectors = vectors.astype(np.float32)
        self.dimensions = self.vectors.shape[1]
        self._pieces = lru_cache(maxsize=50_000)(self._word_pieces)
        self._cached_vectors = lru_cache(maxsize=1024)(self._encode_read_only)

    @classmethod
    def load(cls, path: str | Path) -> "StaticEmbedding":
        with np.load(path, allow_pickle=False) as data:
            return cls(str(data["vocabulary"]).split("\n"), data["vectors"])

    def save(self, path: str | Path) -> Path:
        np.savez(path, vocabulary=np.array("\n".join(self.vocabulary)),
                            vectors=self.vectors.astype(np.float16))
        return Path(path)

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        """The word's pieces; an unknown word gives nothing."""
        return word_pieces(word, self.index) or ()

    def token_ids(self, text: str) -> list[int]:
        ids: list[int] = []
        for word in _PIECE_RE.findall(text[:MAX_CHARS].lower().replace("’", "'")):
            ids.extend(self._pieces(word))
        return ids

    def encode(self, text: str) -> np.ndarray:
        """The reply's mean word-piece vector, scaled to unit length (zeros for an empty reply)."""
        ids = self.token_ids(text)
        if not ids:
            return np.zeros(self.dimensions, dtype=np.float32)
        vector = self.vectors[ids].mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def _encode_read_only(self, text: str) -> np.ndarray:
        vector = self.encode(text)
        vector.flags.writeable = False
        return vector

    def encode_cached(self, text: str) -> np.ndarray:
        """``encode``, cached by the text (read-only): the reply model and the heads both encode the reply and its
        context, and every reply to the same customer message reuses the context's vector."""
        return self._cached_vectors(text)
