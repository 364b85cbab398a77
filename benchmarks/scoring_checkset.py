"""Agreement of Coach's five scores with the band a rater gave to customer-service replies.

    .venv/bin/python benchmarks/scoring_checkset.py [--set heldout|dev] [--models DIR]

``benchmarks/data/cs_replies_*.jsonl``: customer messages and agent replies written for the project across
some 30 industries, channels (chat, e-mail, phone, social) and moods, from excellent to poor, each labelled 1-5
on every dimension by one rater following ``scoring/data/LABELLING.md`` and the rubric's anchors. They are the
project's own text, not independent human labels. The ``dev`` set was read while developing the rules (its
figures flatter them); the ``heldout`` set, by a different writer, was measured once, after development.

Prints per dimension: Spearman between score and band, quadratic-weighted kappa between Coach's band and the
rater's, the share of exact and within-one bands, and Coach's mean score at each of the rater's bands.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import default_rubric, score_reply  # noqa: E402
from scoring.engine import resolve_models  # noqa: E402
from scoring.scorecard import DIMENSIONS  # noqa: E402

SETS = {name: ROOT / "benchmarks" / "data" / f"cs_replies_{name}.jsonl" for name in ("heldout", "dev")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="heldout", choices=sorted(SETS))
    parser.add_argument("--models", default=None, help="Folder of trained models (default: the shipped ones).")
    args = parser.parse_args()
    rows = [json.loads(line) for line in SETS[args.set].open(encoding="utf-8")]
    models, rubric = resolve_models(args.models), default_rubric()
    cards = [score_reply(row["reply"], row["context"], rubric=rubric, models=models) for row in rows]
    print(f"{args.set} set: {len(rows)} customer-service replies, one rater's bands")
    print(f"{'dimension':<18}{'Spearman':>9}{'kappa':>7}{'exact':>7}{'±1':>6}   mean score at rater band 1..5")
    for dimension in DIMENSIONS:
        human = np.array([row["bands"][dimension] for row in rows])
        scores = np.array([card.scores[dimension] for card in cards])
        bands = np.array([card.bands[dimension] for card in cards])
        kappa = cohen_kappa_score(human, bands, weights="quadratic", labels=[1, 2, 3, 4, 5])
        means = " ".join(f"{scores[human == b].mean():4.0f}" if (human == b).any() else "   -" for b in range(1, 6))
        print(f"{dimension:<18}{spearmanr(scores, human)[0]:>9.3f}{kappa:>7.3f}{np.mean(human == bands):>7.2f}"
              f"{np.mean(abs(human - bands) <= 1):>6.2f}   {means}")


if __name__ == "__main__":
    main()
