"""Agreement of Coach's scores with human labels from many sources, with leave-one-source-out (LOSO) figures.

    .venv/bin/python benchmarks/scoring_eval.py [--quick] [--data ../shared/data] [--esconv-split valid|test]
                                                [--models DIR] [--markdown FILE]

For every labelled source (scoring/human_data.py; STC-3 and ESConv are read from ../shared/data at run time) and
every dimension it labels: ROC AUC for binary labels, Spearman for graded ones, pairwise accuracy for the OneStop
pairs (clarity and jargon should be higher on the Elementary twin), and for STC-3 the dialogue-level Spearman with
customer satisfaction of the mean per-reply overall and of ``score_call``'s overall (the rubric's overall of the
call blended with the dialogue model, ``scoring.dialogue``). Columns:

* ``before``: the rules and reply model alone (no human-label heads; the release before the heads).
* ``shipped``: the models as shipped, heads trained on every source (in-source for all but ESConv).
* ``LOSO``: the source left out: heads trained on all the *other* sources (and the project's own replies),
  blended at the shipped weights. ``LOSO head``: the left-out head alone (weight 1).

The dialogue model learns from STC-3 only, so in the LOSO and the 5-fold columns it is fitted 5-fold by dialogue
(no dialogue in both its train and test part); ``shipped`` uses the shipped one (in-source). STC-3 also gets a
5-fold check split by dialogue. The head weights are chosen on the LOSO figures (printed as
``chosen head_weight``); ESConv is measuring only (never trained on); develop on its ``valid`` split.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import default_rubric  # noqa: E402
from scoring.call_scoring import aggregate  # noqa: E402
from scoring.dialogue import DialogueModel, dialogue_matrix, dialogues  # noqa: E402
from scoring.engine import resolve_models  # noqa: E402
from scoring.head_training import (DIALOGUE_WEIGHT, HEAD_ALPHA, Featurised, featurise, final_scores,  # noqa: E402
                                   fit_heads, overall, weighted_overall)
from scoring.human_data import HUMAN_SOURCES, SHARED_DATA, SOURCE_DIMENSIONS, load_sources  # noqa: E402
from scoring.scorecard import DIMENSIONS  # noqa: E402

ESCONV_MAPPING = {
    "active_listening": ({"Restatement or Paraphrasing", "Reflection of feelings", "Question"},
                         {"Providing Suggestions", "Information", "Self-disclosure"}),
    "empathy": ({"Reflection of feelings", "Affirmation and Reassurance"},
                {"Providing Suggestions", "Information", "Question", "Self-disclosure"}),
}
CACHE = Path.home() / ".cache" / "coach-scoring-eval"
GRID = [round(0.1 * i, 1) for i in range(11)]
SHORT = {"active_listening": "listening", "empathy": "empathy", "clarity": "clarity", "jargon": "jargon",
         "ownership": "ownership"}


def load_esconv(data_dir: Path, split: str, limit: int | None) -> list[dict]:
    path = data_dir / "esconv_supporter_turns.jsonl"
    if not path.is_file():
        return []
    strategies = set().union(*(p | n for p, n in ESCONV_MAPPING.values()))
    rows = []
    with path.open(encoding="utf-8") as file:
        for line in file:
            r = json.loads(line)
            if r["split"] == split and r["seeker_context"] and r["strategy"] in strategies:
                rows.append({"source": f"esconv_{split}", "id": r["id"], "group": r["conversation_id"],
                             "context": r["seeker_context"], "reply": r["supporter_utterance"], "targets": {},
                             "eval": {"strategy": r["strategy"]}})
    return rows[:limit] if limit else rows


def _fingerprint(models, sources: dict[str, list[dict]]) -> str:
    """Changes whenever the scores before the heads change: the base scores and head features of a fixed probe
    of rows (other engineers' edits to tips or evidence leave it alone)."""
    probe = [r for name in sorted(sources) for r in sources[name][:8]]
    data = featurise([(r["context"], r["reply"]) for r in probe], models, processes=1)
    digest = hashlib.sha1(np.round(data.base, 3).tobytes() + np.round(data.features, 3).tobytes())
    # a rule edit that the probe rows do not show must still invalidate the cache: the scoring code, lexicons and
    # the models before the heads (the heads and their weights are not part of the cached numbers)
    scoring_dir = ROOT / "scoring"
    for path in sorted([*scoring_dir.glob("*.py"), *scoring_dir.glob("lexicons/**/*"), *scoring_dir.glob("rubrics/*"),
                        *(scoring_dir / "trained").glob("*")]):
        if path.is_file() and path.name != "human_heads.npz":
            content = path.read_bytes()
            if path.name == "meta.json":
                meta = json.loads(content)
                content = json.dumps({k: v for k, v in meta.items() if k not in ("head_weight", "heads")},
                                     sort_keys=True).encode()
            digest.update(path.name.encode() + content)
    return digest.hexdigest()[:16]


def featurise_cached(name: str, rows: list[dict], models, key: str) -> Featurised:
    """Scores and head features of a source's rows, cached outside the repository (numbers only, no text)."""
    ids = hashlib.sha1("\n".join(r["id"] for r in rows).encode()).hexdigest()[:12]
    path = CACHE / f"{name}-{key}-{ids}.npz"
    if path.is_file():
        with np.load(path) as data:
            return Featurised(data["base"], data["ceiling"], data["features"], data["na"], data["failed"])
    data = featurise([(r["context"], r["reply"]) for r in rows], models)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, base=data.base, ceiling=data.ceiling, features=data.features, na=data.na, failed=data.failed)
    return data


def auc(labels, scores) -> float:
    labels = np.asarray(labels)
    return float(roc_auc_score(labels, scores)) if 0 < labels.sum() < len(labels) else float("nan")


def spearman(a, b) -> float:
    return float(spearmanr(a, b)[0]) if len(a) > 2 else float("nan")


def pairwise(rows: list[dict], scores: np.ndarray) -> float:
    pairs: dict[str, dict[int, float]] = {}
    for row, score in zip(rows, scores):
        pairs.setdefault(row["eval"]["pair"], {})[row["eval"]["elementary"]] = score
    wins = [1.0 if p[1] > p[0] else 0.5 if p[1] == p[0] else 0.0 for p in pairs.values() if len(p) == 2]
    return float(np.mean(wins)) if wins else float("nan")


def call_overall(rows: list[dict], scores: np.ndarray, data: Featurised, resolution: np.ndarray | None,
                 weight: float) -> np.ndarray:
    """Per dialogue (``dialogues`` order), the overall ``score_call`` gives its agent turns: the rubric's overall
    of the call's aggregated skills, blended with the dialogue model's ``resolution`` by ``weight``."""
    groups = dialogues(rows)
    called = np.array([[v for v in aggregate(scores[g], [len(rows[i]["reply"].split()) for i in g],
                                             [bool(rows[i]["context"].strip()) for i in g]).values()] for g in groups])
    na = np.array([data.na[g].all(axis=0) for g in groups])
    failed = np.array([data.failed[g].any() for g in groups])
    total = np.round(weighted_overall(called, na, failed))
    return total if resolution is None else np.where(failed, 0.0, np.round((1 - weight) * total + weight * resolution))


def dialogue_folds(rows: list[dict], scores: np.ndarray, folds: int = 5) -> np.ndarray:
    """The dialogue model's resolution per dialogue, each fitted on the other folds' dialogues (split by dialogue)."""
    X, y, groups = dialogue_matrix(rows, scores)
    fold = np.random.default_rng(13).permutation(len(groups)) % folds
    predicted = np.zeros(len(groups))
    for k in range(folds):
        predicted[fold == k] = DialogueModel().fit(X[fold != k], y[fold != k]).predict(X[fold == k])
    return predicted


def shipped_resolution(models, rows: list[dict], scores: np.ndarray) -> np.ndarray | None:
    """The shipped dialogue model's resolution per dialogue of STC-3 rows (in-source: it was fitted on them)."""
    if models.dialogue is None or not rows or "dialogue_satisfaction" not in rows[0]["eval"]:
        return None
    return models.dialogue.predict(dialogue_matrix(rows, scores)[0])


def metrics(source: str, rows: list[dict], scores: np.ndarray, data: Featurised,
            resolution: np.ndarray | None = None) -> dict[tuple[str, str], float]:
    """{(dimension, measure name): figure} for one source's rows and their final scores (n, 5); for STC-3,
    ``resolution`` is the dialogue model's score per dialogue (None: the call overall without it)."""
    col = {d: scores[:, k] for k, d in enumerate(DIMENSIONS)}
    out = {}
    if source == "stc3":
        out[("ownership", "Spearman vs solution share")] = spearman(col["ownership"],
                                                                    [r["eval"]["solution_share"] for r in rows])
        out[("ownership", "Spearman vs not-useful share (want < 0)")] = spearman(
            col["ownership"], [r["eval"]["not_useful_share"] for r in rows])
        total = overall(data, scores)
        by_dialogue: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            by_dialogue.setdefault(r["group"], []).append(i)
        means = [float(np.mean(total[i])) for i in by_dialogue.values()]
        satisfaction = [rows[i[0]]["eval"]["dialogue_satisfaction"] for i in by_dialogue.values()]
        out[("overall", "dialogue mean vs satisfaction (Spearman)")] = spearman(means, satisfaction)
        # resolution weighted more: the mean of the overall and the ownership score (a figure, not the rubric)
        resolved = (total + col["ownership"]) / 2
        out[("overall", "dialogue mean of (overall + ownership)/2 vs satisfaction")] = spearman(
            [float(np.mean(resolved[i])) for i in by_dialogue.values()], satisfaction)
        calls = call_overall(rows, scores, data, resolution, DIALOGUE_WEIGHT)
        out[("overall", "score_call overall (with the dialogue model) vs satisfaction")] = spearman(
            calls, [rows[g[0]]["eval"]["dialogue_satisfaction"] for g in dialogues(rows)])
    elif source == "sgd":
        out[("active_listening", "AUC restatement/request vs other acts")] = auc(
            [r["eval"]["listening"] for r in rows], col["active_listening"])
        known = [i for i, r in enumerate(rows) if r["eval"]["ownership"] is not None]
        out[("ownership", "AUC solution/done vs failure/request-only")] = auc(
            [rows[i]["eval"]["ownership"] for i in known], col["ownership"][known])
    elif source == "goemotions":
        out[("empathy", "AUC caring vs other")] = auc([r["eval"]["empathy"] for r in rows], col["empathy"])
    elif source == "empathic_reactions":
        out[("empathy", "Spearman vs empathic concern")] = spearman(col["empathy"],
                                                                    [r["eval"]["empathy"] for r in rows])
    elif source == "complex":
        plain = [r["eval"]["plainness"] for r in rows]
        out[("clarity", "Spearman vs plainness of words")] = spearman(col["clarity"], plain)
        out[("jargon", "Spearman vs plainness of words")] = spearman(col["jargon"], plain)
    elif source == "onestop":
        out[("clarity", "pairwise: Elementary > Advanced")] = pairwise(rows, col["clarity"])
        out[("jargon", "pairwise: Elementary > Advanced")] = pairwise(rows, col["jargon"])
    elif source.startswith("esconv"):
        for d, (positive, negative) in ESCONV_MAPPING.items():
            out[(d, "AUC (README mapping)")] = auc([int(r["eval"]["strategy"] in positive) for r in rows], col[d])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--quick", action="store_true", help="At most 700 rows a source (about a minute).")
    parser.add_argument("--esconv-split", default="valid", choices=["valid", "test"],
                        help="ESConv split (measuring only): valid while developing, test for a final figure.")
    parser.add_argument("--models", default=None, help="Folder of trained models (default: the shipped ones).")
    parser.add_argument("--markdown", type=Path, default=None, help="Also write the tables to this file.")
    args = parser.parse_args()
    started = time.perf_counter()
    limit = 700 if args.quick else None
    models = resolve_models(args.models)
    shipped_weights = models.head_weights() if models.heads is not None else dict.fromkeys(DIMENSIONS, 0.0)
    sources = load_sources(per_source=limit)
    missing = [name for name in HUMAN_SOURCES if name not in sources]
    if missing:  # the figures below then leave these sources out, and their averages move
        print(f"not measured, file missing: {', '.join(missing)} (scoring/data/sources/README.md says how to get each; "
              "GoEmotions: python scoring/data/sources/extract.py goemotions)", file=sys.stderr)
    esconv = load_esconv(args.data, args.esconv_split, limit)
    key = _fingerprint(models, sources)
    names = [n for n in (*HUMAN_SOURCES, "self") if n in sources]
    data = {n: featurise_cached(n, sources[n], models, key) for n in names}
    if esconv:
        sources[esconv[0]["source"]], data[esconv[0]["source"]] = esconv, featurise_cached(
            esconv[0]["source"], esconv, models, key)
    featurised_s = time.perf_counter() - started
    human = [n for n in names if n != "self"]
    all_rows = [r for n in names for r in sources[n]]
    all_features = np.concatenate([data[n].features for n in names])
    offsets = np.cumsum([0] + [len(sources[n]) for n in names])
    span = {n: np.arange(offsets[i], offsets[i + 1]) for i, n in enumerate(names)}

    # leave one source out: heads fitted on the others, predicted on it
    loso_heads = {}
    for held in human:
        keep = np.concatenate([span[n] for n in names if n != held])
        heads = fit_heads([all_rows[i] for i in keep], all_features[keep], HEAD_ALPHA)
        loso_heads[held] = heads.predict(data[held].features)
    full = fit_heads(all_rows, all_features, HEAD_ALPHA)
    measured = list(human) + ([esconv[0]["source"]] if esconv else [])
    table: dict[tuple[str, str, str], dict[str, float]] = {}
    held: dict[str, np.ndarray] = {}

    def record(source, column, scores, resolution=None):
        for (dimension, measure), value in metrics(source, sources[source], scores, data[source],
                                                   resolution).items():
            table.setdefault((dimension, source, measure), {})[column] = value

    for source in measured:
        d = data[source]
        record(source, "before", final_scores(d, None, {}))
        shipped_heads = models.heads.predict(d.features) if models.heads is not None else None
        shipped = final_scores(d, shipped_heads, shipped_weights)
        record(source, "shipped", shipped, shipped_resolution(models, sources[source], shipped))
        held_heads = loso_heads[source] if source in loso_heads else full.predict(d.features)  # ESConv: never trained on
        held[source] = held_heads
        for w in GRID:
            record(source, f"w{w}", final_scores(d, held_heads, dict.fromkeys(DIMENSIONS, w)))

    # in-source check on STC-3, split by dialogue (5 folds)
    stc3_cv = None
    if "stc3" in sources:
        groups = sorted({r["group"] for r in sources["stc3"]})
        fold_of = {g: i % 5 for i, g in enumerate(np.random.default_rng(13).permutation(groups))}
        folds = np.array([fold_of[r["group"]] for r in sources["stc3"]])
        predicted = np.zeros((len(folds), len(DIMENSIONS)))
        others = np.concatenate([span[n] for n in names if n != "stc3"])
        for fold in range(5):
            train_idx = np.concatenate([others, span["stc3"][folds != fold]])
            heads = fit_heads([all_rows[i] for i in train_idx], all_features[train_idx], HEAD_ALPHA)
            predicted[folds == fold] = heads.predict(data["stc3"].features[folds == fold])
        stc3_cv = predicted

    # the weight per dimension that maximises the mean LOSO figure over its human sources
    chosen, grid_means = {}, {}
    for dimension in DIMENSIONS:
        cells = [v for (d, s, m), v in table.items() if d == dimension and s in human and "want < 0" not in m]
        if not cells:
            continue
        means = {w: np.nanmean([c[f"w{w}"] for c in cells]) for w in GRID}
        chosen[dimension] = max(GRID, key=lambda w: (round(means[w], 3), -w))
        grid_means[dimension] = means

    loso_weights = shipped_weights if models.heads is not None else {d: chosen.get(d, 0.0) for d in DIMENSIONS}
    dialogue_grid = {}
    for source in measured:
        scores = final_scores(data[source], held[source], loso_weights)
        resolution = dialogue_folds(sources[source], scores) if source == "stc3" else None
        record(source, "loso", scores, resolution)
        if resolution is not None:
            satisfaction = [sources[source][g[0]]["eval"]["dialogue_satisfaction"] for g in dialogues(sources[source])]
            dialogue_grid = {w: spearman(call_overall(sources[source], scores, data[source], resolution, w),
                                         satisfaction) for w in GRID}
    if stc3_cv is not None:
        scores = final_scores(data["stc3"], stc3_cv, loso_weights)
        record("stc3", "stc3_cv", scores, dialogue_folds(sources["stc3"], scores))
    lines = report(table, chosen, grid_means, loso_weights, dialogue_grid, args, len(all_rows), featurised_s,
                   time.perf_counter() - started)
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fmt(value) -> str:
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.3f}"


def report(table, chosen, grid_means, shipped_weights, dialogue_grid, args, n_rows, featurised_s, total_s) -> list[str]:
    lines = [f"Scoring agreement with human labels ({'quick: ≤700 rows a source' if args.quick else 'all rows'}; "
             f"{n_rows:,} labelled rows; ESConv {args.esconv_split} split, measuring only)", "",
             "| dimension | source | measure | before (no heads) | shipped | LOSO | LOSO head alone |",
             "|---|---|---|---|---|---|---|"]
    for (dimension, source, measure), cells in sorted(table.items(), key=lambda kv: (
            (DIMENSIONS + ("overall",)).index(kv[0][0]), kv[0][1])):
        loso = cells.get("loso")
        lines.append(f"| {SHORT.get(dimension, dimension)} | {source} | {measure} | {_fmt(cells.get('before'))} | "
                     f"{_fmt(cells.get('shipped'))} | {_fmt(loso) if source not in ('esconv_valid', 'esconv_test') else '(held out: ' + _fmt(cells.get('shipped')) + ')'} | "
                     f"{_fmt(cells.get('w1.0'))} |")
    if any(k[0] == "ownership" and k[1] == "stc3" for k in table):
        cv = {m: c.get("stc3_cv") for (d, s, m), c in table.items() if s == "stc3"}
        lines += ["", "STC-3 in-source check (heads trained with the other 4/5 of STC-3 dialogues too, 5 folds by dialogue): " +
                  "; ".join(f"{m}: {_fmt(v)}" for m, v in cv.items())]
    lines += ["", "Left-out average per dimension (human sources only; LOSO at the weights used above):", "",
              "| dimension | before | LOSO | best head_weight by LOSO | weight used |", "|---|---|---|---|---|"]
    for dimension in DIMENSIONS:
        cells = [c for (d, s, m), c in table.items() if d == dimension and not s.startswith("esconv")
                 and "want < 0" not in m]
        if not cells:
            continue
        w = shipped_weights.get(dimension, 0.0)
        lines.append(f"| {SHORT[dimension]} | {_fmt(np.nanmean([c['before'] for c in cells]))} | "
                     f"{_fmt(np.nanmean([c['loso'] for c in cells]))} | {chosen.get(dimension)} | {w} |")
    lines += ["", "Left-out average by head weight (the grid the choice is made on):", "",
              "| dimension | " + " | ".join(str(w) for w in GRID) + " |", "|---|" + "---|" * len(GRID)]
    for dimension, means in grid_means.items():
        lines.append(f"| {SHORT[dimension]} | " + " | ".join(_fmt(means[w]) for w in GRID) + " |")
    if dialogue_grid:
        lines += ["", f"STC-3 score_call overall vs satisfaction by the dialogue model's weight (LOSO heads, dialogue "
                  f"model 5-fold by dialogue; shipped {DIALOGUE_WEIGHT}):", "",
                  "| " + " | ".join(str(w) for w in GRID) + " |", "|" + "---|" * len(GRID),
                  "| " + " | ".join(_fmt(v) for v in dialogue_grid.values()) + " |"]
    lines += ["", f"(featurising {featurised_s:.0f} s, total {total_s:.0f} s; features cached in {CACHE})"]
    return lines


if __name__ == "__main__":
    main()
