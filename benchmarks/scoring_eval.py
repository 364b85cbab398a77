"""Agreement of Coach's scores with human labels on ESConv (measuring only; never trained on).

    .venv/bin/python benchmarks/scoring_eval.py [--data ../shared/data] [--split test|valid] [--models DIR]

Prints, per dimension, the rules alone, the learned model alone and the combination Coach ships (the
trained ``model_weight`` blend, calibrated onto the labelling scale). Positives and negatives follow
../shared/data/README.md. ROC AUC uses the 0-100 score; macro-F1 uses a fixed, untuned cut: score >= 50
counts as showing the behaviour. Develop on the ``valid`` split; the ``test`` split is for the final figure
only.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sklearn.metrics import f1_score, roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import default_rubric  # noqa: E402
from scoring.engine import assess_all, blended_scores, prepare, resolve_models  # noqa: E402

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
    strategies = set().union(*(positive | negative for positive, negative in MAPPING.values()))
    return [row for row in rows if row["split"] == split and row["seeker_context"] and row["strategy"] in strategies]


def score_rows(rows: list[dict], models) -> dict[str, dict[str, list[float]]]:
    """Per variant (rules, learned, combined) and dimension, the score of every row."""
    scoring_models = resolve_models(models)
    rubric = default_rubric()
    variants = {"rules": {}, "learned": {}, "combined": {}}
    for dimension in MAPPING:
        for variant in variants.values():
            variant[dimension] = []
    for row in rows:
        prepared = prepare(row["supporter_utterance"], row["seeker_context"], None, None, None)
        assessments = assess_all(prepared, None, scoring_models)
        learned = scoring_models.predict_one(prepared, assessments) if scoring_models and prepared.word_count else None
        combined = blended_scores(prepared, assessments, scoring_models, rubric)
        for dimension in MAPPING:
            rule = assessments[dimension].score
            variants["rules"][dimension].append(rule)
            variants["learned"][dimension].append(learned[dimension] if learned else rule)
            variants["combined"][dimension].append(combined[dimension])
    return variants


def agreement(rows: list[dict], scores: list[float], dimension: str) -> dict:
    positive, negative = MAPPING[dimension]
    pairs = [(int(row["strategy"] in positive), score) for row, score in zip(rows, scores)
             if row["strategy"] in positive | negative]
    labels = [label for label, _ in pairs]
    values = [score for _, score in pairs]
    return {"n": len(labels), "positives": sum(labels), "auc": roc_auc_score(labels, values),
            "macro_f1": f1_score(labels, [int(v >= CUT) for v in values], average="macro")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--split", default="test", choices=["train", "valid", "test"])
    parser.add_argument("--models", default=None, help="Folder of trained models (default: the shipped ones).")
    parser.add_argument("--rules-only", action="store_true", help="Leave the learned model out.")
    args = parser.parse_args()
    rows = load_rows(args.data, args.split)
    variants = score_rows(rows, False if args.rules_only else args.models)
    print(f"ESConv {args.split} split (measuring only), ROC AUC / macro-F1 at score >= {CUT}")
    print(f"{'dimension':<18}{'n':>6}{'pos':>6}  {'rules only':>15}  {'learned':>15}  {'combined':>15}{'target':>8}")
    for dimension in MAPPING:
        cells = []
        for variant in ("rules", "learned", "combined"):
            result = agreement(rows, variants[variant][dimension], dimension)
            cells.append(f"{result['auc']:.3f} / {result['macro_f1']:.3f}")
        print(f"{dimension:<18}{result['n']:>6}{result['positives']:>6}  {cells[0]:>15}  {cells[1]:>15}  "
              f"{cells[2]:>15}{TARGETS[dimension]:>8.2f}")


if __name__ == "__main__":
    main()
