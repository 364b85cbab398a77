"""Agreement of Coach's scores with human labels on the ESConv test split (measuring only; never trained on).

    .venv/bin/python benchmarks/scoring_eval.py [--data ../shared/data] [--rules-only]

Positives and negatives follow ../shared/data/README.md. ROC AUC uses the 0-100 score; macro-F1 uses a
fixed, untuned cut: score >= 50 counts as showing the behaviour.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sklearn.metrics import f1_score, roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import score_reply  # noqa: E402

MAPPING = {
    "active_listening": ({"Restatement or Paraphrasing", "Reflection of feelings", "Question"},
                         {"Providing Suggestions", "Information", "Self-disclosure"}),
    "empathy": ({"Reflection of feelings", "Affirmation and Reassurance"},
                {"Providing Suggestions", "Information", "Question", "Self-disclosure"}),
}
TARGETS = {"active_listening": 0.85, "empathy": 0.80}
CUT = 50


def load_rows(data_dir: Path, split: str) -> list[dict]:
    with (data_dir / "esconv_supporter_turns.jsonl").open(encoding="utf-8") as file:
        rows = [json.loads(line) for line in file]
    return [row for row in rows if row["split"] == split and row["seeker_context"]]


def evaluate(rows: list[dict], models) -> dict[str, dict]:
    results = {}
    cache = {}
    for dimension, (positive, negative) in MAPPING.items():
        labels, scores = [], []
        for row in rows:
            if row["strategy"] not in positive | negative:
                continue
            if row["id"] not in cache:
                cache[row["id"]] = score_reply(row["supporter_utterance"], row["seeker_context"], models=models).scores
            labels.append(int(row["strategy"] in positive))
            scores.append(cache[row["id"]][dimension])
        results[dimension] = {
            "n": len(labels), "positives": sum(labels),
            "auc": roc_auc_score(labels, scores),
            "macro_f1": f1_score(labels, [int(s >= CUT) for s in scores], average="macro"),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--split", default="test")
    parser.add_argument("--rules-only", action="store_true", help="Leave the learned model out.")
    args = parser.parse_args()
    rows = load_rows(args.data, args.split)
    results = evaluate(rows, False if args.rules_only else None)
    print(f"ESConv {args.split} split, {'rules only' if args.rules_only else 'rules + learned model'}")
    print(f"{'dimension':<18}{'n':>6}{'pos':>6}{'ROC AUC':>9}{'macro-F1':>10}{'target':>8}")
    for dimension, result in results.items():
        print(f"{dimension:<18}{result['n']:>6}{result['positives']:>6}{result['auc']:>9.3f}"
              f"{result['macro_f1']:>10.3f}{TARGETS[dimension]:>8.2f}")


if __name__ == "__main__":
    main()
