"""Regenerate the third-party training sources in this folder.

Each source is read straight out of a bare git mirror (``git show COMMIT:path``)
pinned to the commit recorded below, and written to ``<name>.jsonl`` with one
object per line::

    {"source": name, "id": ..., "context": ..., "reply": ..., "labels": {...}}

Usage:  python extract.py [--mirror-root /work/.mirror] [name ...]

Sampling is deterministic (fixed seed), capped at ~5,000 rows per source.
See README.md for licences and how the labels map onto Coach's dimensions.
"""
import argparse
import csv
import io
import json
import os
import random
import subprocess
from collections import defaultdict

CAP = 5000
SEED = 13

# name -> (mirror dir under the root, pinned commit)
MIRRORS = {
    "sgd": ("google-research-datasets+dstc8-schema-guided-dialogue/repo",
            "e852981ae34990f4358979625854259302feaa78"),
    "goemotions": ("monologg+GoEmotions-pytorch/repo",
                   "b75f9d3a8b76bc1060687925b04ca98a1b8ea66b"),
    "empathic_reactions": ("wwbp+empathic_reactions/repo/.git",
                           "3ddbf6b35c789f99c930a349f3fc26b4b2d9ae2e"),
    "complex": ("MMU-TDMLab+CompLex/repo",
                "4b31c2bd34da4c1265f9db3d727d95ee23099f14"),
    "onestop": ("nishkalavallabhi+OneStopEnglishCorpus/repo",
                "37f8db3945cd2f3cc0caafe45674147b224349be"),
}


class Repo:
    def __init__(self, root, name):
        sub, self.commit = MIRRORS[name]
        self.git_dir = os.path.join(root, sub)

    def _git(self, *args):
        return subprocess.run(["git", "--git-dir", self.git_dir, *args],
                              check=True, capture_output=True).stdout

    def show(self, path):
        return self._git("show", f"{self.commit}:{path}").decode("utf-8")

    def ls(self, prefix):
        out = self._git("ls-tree", "-r", "--name-only", self.commit, prefix)
        return out.decode().split()

    def has(self, path):
        # Snapshots omit files of 4 MiB and more; skip those.
        try:
            self._git("cat-file", "-e", f"{self.commit}:{path}")
            return True
        except subprocess.CalledProcessError:
            return False


def row(source, id_, reply, labels, context=""):
    return {"source": source, "id": str(id_), "context": context,
            "reply": reply.strip(), "labels": labels}


def sample_per_class(by_class, per_class, rng):
    out = []
    for cls in sorted(by_class):
        items = by_class[cls]
        rng.shuffle(items)
        out.extend(items[:per_class])
    return out


# --- SGD: system turns with their dialogue acts ------------------------------
SGD_PRIORITY = ["CONFIRM", "NOTIFY_FAILURE", "NOTIFY_SUCCESS", "REQUEST",
                "OFFER", "INFORM", "INFORM_COUNT", "OFFER_INTENT", "REQ_MORE",
                "GOODBYE"]


def sgd(repo, rng):
    by_class = defaultdict(list)
    for path in repo.ls("train/"):
        if not path.endswith(".json") or "schema" in path or not repo.has(path):
            continue
        for dlg in json.loads(repo.show(path)):
            prev_user = ""
            for i, turn in enumerate(dlg["turns"]):
                if turn["speaker"] == "USER":
                    prev_user = turn["utterance"]
                    continue
                acts = sorted({a["act"] for f in turn["frames"] for a in f["actions"]})
                primary = next((a for a in SGD_PRIORITY if a in acts), acts[0])
                labels = {
                    "code": "+".join(acts),
                    "request_info": int(bool({"REQUEST", "REQ_MORE", "OFFER_INTENT"} & set(acts))),
                    "restatement": int("CONFIRM" in acts),
                    "solution": int(bool({"NOTIFY_SUCCESS", "OFFER", "INFORM", "INFORM_COUNT"} & set(acts))),
                    "resolved": int("NOTIFY_SUCCESS" in acts),
                    "failure_notice": int("NOTIFY_FAILURE" in acts),
                }
                by_class[primary].append(row("sgd", f"{dlg['dialogue_id']}:{i}",
                                             turn["utterance"], labels, prev_user))
    return sample_per_class(by_class, CAP // len(SGD_PRIORITY), rng)


# --- GoEmotions: Reddit comments with rater-agreed emotion labels ------------
GOEMO_KEEP = {"caring": 700, "remorse": 600, "gratitude": 600, "curiosity": 500,
              "confusion": 300, "approval": 300, "annoyance": 400, "anger": 300,
              "disapproval": 300, "neutral": 1000}
HOSTILE = {"anger", "annoyance", "disgust", "disapproval"}


def goemotions(repo, rng):
    names = repo.show("data/original/labels.txt").split()
    lines = repo.show("data/original/train.tsv").splitlines()  # train split only
    rng.shuffle(lines)
    picked, counts = {}, defaultdict(int)
    for line in lines:
        text, ids, cid = line.split("\t")
        emos = [names[int(i)] for i in ids.split(",")]
        want = [e for e in emos if e in GOEMO_KEEP and counts[e] < GOEMO_KEEP[e]]
        if not want or cid in picked:
            continue
        for e in emos:
            counts[e] += 1
        picked[cid] = row("goemotions", cid, text, {
            "code": ",".join(emos),
            "empathy": int("caring" in emos),
            "remorse": int("remorse" in emos),
            "gratitude": int("gratitude" in emos),
            "curiosity": int("curiosity" in emos),
            "hostile": int(bool(HOSTILE & set(emos))),
        })
        if len(picked) >= CAP:
            break
    return list(picked.values())


# --- Empathic reactions: essays rated for empathic concern / distress --------
def empathic_reactions(repo, rng):
    reader = csv.DictReader(io.StringIO(repo.show("data/responses/data/messages.csv")))
    out = []
    for r in reader:
        e, d = float(r["empathy"]), float(r["distress"])
        out.append(row("empathic_reactions", r["message_id"], r["essay"], {
            "empathy_score": e,                       # 1..7 (Batson scale mean)
            "empathy": round((e - 1) / 6, 4),         # rescaled 0..1
            "empathy_bin": int(r["empathy_bin"]),
            "distress_score": d,
            "article_id": r["article_id"],
        }))
    return out[:CAP]


# --- CompLex: lexical complexity of a target word in context -----------------
def complex_(repo, rng):
    out = []
    for path in ["train/lcp_single_train.tsv", "train/lcp_multi_train.tsv",
                 "trial/lcp_single_trial.tsv", "trial/lcp_multi_trial.tsv"]:
        kind = "multi" if "multi" in path else "single"
        for r in csv.DictReader(io.StringIO(repo.show(path)), delimiter="\t",
                                quoting=csv.QUOTE_NONE):
            out.append(row("complex", r["id"], r["sentence"], {
                "complexity": float(r["complexity"]),   # 0 (very easy) .. 1 (very difficult)
                "target": r["token"], "unit": kind, "domain": r.get("corpus") or r["subcorpus"],
            }))
    rng.shuffle(out)
    return out[:CAP]


# --- OneStopEnglish: the same sentence at Advanced and Elementary level ------
def onestop(repo, rng):
    blocks = repo.show("Sentence-Aligned/ADV-ELE.txt").split("*******")
    out = []
    for n, block in enumerate(blocks):
        lines = [s.strip() for s in block.strip().splitlines() if s.strip()]
        if len(lines) != 2 or lines[0] == lines[1]:
            continue
        for text, level, val in ((lines[0], "ADV", 2), (lines[1], "ELE", 0)):
            out.append(row("onestop", f"adv-ele-{n}-{level}", text, {
                "reading_level": val, "code": level, "pair": f"adv-ele-{n}",
                "complexity": 1.0 if val else 0.0,
            }))
    return out[:CAP - CAP % 2]


EXTRACTORS = {"sgd": sgd, "goemotions": goemotions,
              "empathic_reactions": empathic_reactions, "complex": complex_,
              "onestop": onestop}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror-root", default="/work/.mirror")
    ap.add_argument("names", nargs="*", default=list(EXTRACTORS))
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in args.names:
        rows = EXTRACTORS[name](Repo(args.mirror_root, name), random.Random(SEED))
        with open(os.path.join(here, f"{name}.jsonl"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
