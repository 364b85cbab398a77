"""Human-labelled replies from independent sources, as training targets for the learned heads (``scoring.heads``).

Each loader returns rows ``{"source", "id", "group", "context", "reply", "targets": {dimension: 0..1},
"eval": {...}}``. ``targets`` are what a head learns (higher = more of the skill); ``eval`` keeps the raw labels
the benchmark measures against (``benchmarks/scoring_eval.py``). See ``scoring/data/SOURCES.md`` for where each
source comes from and what is taken from it. STC-3 is read from ``../shared/data`` at training time only and its
text is never stored in the repository.
"""
from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from pathlib import Path

from .scorecard import DIMENSIONS

SOURCES_DIR = Path(__file__).resolve().parent / "data" / "sources"
# the shared data folder beside the checkout, or wherever COACH_SHARED_DATA says (a worktree elsewhere)
SHARED_DATA = Path(os.environ.get("COACH_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
SELF_FILE = Path(__file__).resolve().parent / "data" / "replies.jsonl"
# Which dimensions each source labels (the benchmark reports exactly these).
SOURCE_DIMENSIONS = {
    "stc3": ("ownership",),
    "sgd": ("active_listening", "ownership"),
    "goemotions": ("empathy",),
    "empathic_reactions": ("empathy",),
    "complex": ("clarity", "jargon"),
    "onestop": ("clarity", "jargon"),
    "self": DIMENSIONS,
}
HUMAN_SOURCES = ("stc3", "sgd", "goemotions", "empathic_reactions", "complex", "onestop")


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def _sample(rows: list[dict], limit: int | None, seed: int = 13, key: str = "group") -> list[dict]:
    """Up to ``limit`` rows, whole groups (a dialogue, a OneStop pair) kept together; deterministic."""
    if not limit or len(rows) <= limit:
        return rows
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    names = sorted(groups)
    random.Random(seed).shuffle(names)
    picked: list[dict] = []
    for name in names:
        if len(picked) >= limit:
            break
        picked.extend(groups[name])
    return picked


def load_stc3(path: Path | None = None) -> list[dict]:
    path = path or SHARED_DATA / "stc3_helpdesk_turns.jsonl"
    rows = []
    for r in _jsonl(path):
        solution, useless = float(r["solution_share"]), float(r["not_useful_share"])
        rows.append({"source": "stc3", "id": r["id"], "group": r["dialogue"], "context": r["customer_message"] or "",
                     "reply": r["agent_reply"],
                     "targets": {"ownership": 0.7 * solution + 0.3 * (1 - useless)},
                     "eval": {"solution_share": solution, "not_useful_share": useless,
                              "dialogue_satisfaction": float(r["dialogue_satisfaction"]),
                              "dialogue_accomplishment": float(r["dialogue_accomplishment"])}})
    return rows


def load_sgd(path: Path | None = None) -> list[dict]:
    rows = []
    for r in _jsonl(path or SOURCES_DIR / "sgd.jsonl"):
        labels = r["labels"]
        acts = set(labels["code"].split("+"))
        targets = {}
        # listening: reading the request back, or asking for what is needed to act on it
        if labels["restatement"]:
            targets["active_listening"] = 1.0
        elif acts & {"REQUEST"}:
            targets["active_listening"] = 0.9
        elif labels["request_info"]:  # REQ_MORE / OFFER_INTENT: a stock question
            targets["active_listening"] = 0.5
        else:
            targets["active_listening"] = 0.1
        # ownership: drives the task to an answer or done; a failure notice or a bare question does not
        if labels["resolved"]:
            targets["ownership"] = 1.0
        elif labels["solution"]:
            targets["ownership"] = 0.5 if labels["failure_notice"] else 0.8
        elif labels["failure_notice"]:
            targets["ownership"] = 0.1
        elif labels["request_info"] and not labels["restatement"]:
            targets["ownership"] = 0.2
        positive = bool(labels["solution"] or labels["resolved"])
        negative = bool(not positive and (labels["failure_notice"] or labels["request_info"]))
        rows.append({"source": "sgd", "id": r["id"], "group": r["id"].split(":")[0], "context": r["context"] or "",
                     "reply": r["reply"], "targets": targets,
                     "eval": {"listening": int(bool(labels["restatement"] or labels["request_info"])),
                              "ownership": 1 if positive else (0 if negative else None)}})
    return rows


def load_goemotions(path: Path | None = None) -> list[dict]:
    rows = []
    for r in _jsonl(path or SOURCES_DIR / "goemotions.jsonl"):
        labels = r["labels"]
        target = 1.0 if labels["empathy"] else (0.5 if labels["remorse"] else 0.0)  # gratitude is not empathy
        rows.append({"source": "goemotions", "id": r["id"], "group": r["id"], "context": "", "reply": r["reply"],
                     "targets": {"empathy": target}, "eval": {"empathy": int(labels["empathy"])}})
    return rows


def load_empathic_reactions(path: Path | None = None) -> list[dict]:
    rows = []
    for r in _jsonl(path or SOURCES_DIR / "empathic_reactions.jsonl"):
        value = float(r["labels"]["empathy"])
        rows.append({"source": "empathic_reactions", "id": r["id"], "group": r["id"].rsplit("_", 1)[0],
                     "context": "", "reply": r["reply"], "targets": {"empathy": value},
                     "eval": {"empathy": value}})
    return rows


def load_complex(path: Path | None = None) -> list[dict]:
    """One row per sentence: the mean crowd complexity of its rated words (1 = plain)."""
    by_sentence: dict[str, list[float]] = defaultdict(list)
    first_id = {}
    for r in _jsonl(path or SOURCES_DIR / "complex.jsonl"):
        by_sentence[r["reply"]].append(float(r["labels"]["complexity"]))
        first_id.setdefault(r["reply"], r["id"])
    rows = []
    for sentence, values in by_sentence.items():
        plain = 1 - sum(values) / len(values)
        rows.append({"source": "complex", "id": first_id[sentence], "group": first_id[sentence], "context": "",
                     "reply": sentence, "targets": {"jargon": plain, "clarity": plain},
                     "eval": {"plainness": plain}})
    return rows


def load_onestop(path: Path | None = None) -> list[dict]:
    rows = []
    for r in _jsonl(path or SOURCES_DIR / "onestop.jsonl"):
        elementary = float(r["labels"]["reading_level"] == 0)
        rows.append({"source": "onestop", "id": r["id"], "group": r["labels"]["pair"], "context": "",
                     "reply": r["reply"], "targets": {"clarity": elementary, "jargon": elementary},
                     "eval": {"elementary": int(elementary), "pair": r["labels"]["pair"]}})
    return rows


def load_self(path: Path | None = None) -> list[dict]:
    """The project's own composed replies (extra examples only; never a dimension's only labels)."""
    rows = []
    for n, r in enumerate(_jsonl(path or SELF_FILE)):
        targets = {d: r["labels"][d] / 100 for d in DIMENSIONS if r["labels"].get(d) is not None}
        rows.append({"source": "self", "id": f"self-{n}", "group": f"self-{n}", "context": r["context"],
                     "reply": r["reply"], "targets": targets, "eval": {}})
    return rows


LOADERS = {"stc3": load_stc3, "sgd": load_sgd, "goemotions": load_goemotions,
           "empathic_reactions": load_empathic_reactions, "complex": load_complex, "onestop": load_onestop,
           "self": load_self}


def load_sources(names=None, per_source: int | None = None, self_rows: int | None = 1500) -> dict[str, list[dict]]:
    """The rows of each available source (a missing file is skipped: STC-3 lives outside the repository)."""
    loaded = {}
    for name in names or (*HUMAN_SOURCES, "self"):
        try:
            rows = LOADERS[name]()
        except FileNotFoundError:
            continue
        limit = self_rows if name == "self" else per_source
        if name == "self" and per_source:
            limit = min(limit or per_source, per_source)
        loaded[name] = _sample(rows, limit)
    return loaded
