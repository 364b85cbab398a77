"""A whole dialogue's resolution: how well the agent's turns drove the customer's issue to an end the customer
accepts, learned from people's ratings of whole dialogues (STC-3 customer satisfaction, ``scoring/data/SOURCES.md``).

The per-turn scores say how each reply was written; whether the dialogue worked shows across turns: the agent
gives the fix or acts (ownership at its best turn), the customer's later turns thank or confirm, or come back
still complaining, and the dialogue drags on. A ridge regression over those dialogue-level features predicts
satisfaction; ``score_call`` blends it into the call's overall by ``meta["dialogue"]["weight"]``. Scoring keeps
only the arrays (in the models' ``meta.json``); fitting is numpy's least squares, deterministic.
"""
from __future__ import annotations

import re

import numpy as np

from .scorecard import DIMENSIONS

# the customer's next message accepts the answer ...
CONFIRMS = re.compile(r"(?<!not )(?<!n't )(?<!never )\b(?:thanks?|thank you|thx|solved|sorted|fixed|resolved|"
                      r"works?(?: now| fine)?|working now|got it|understood|ok(?:ay)?|great|perfect|appreciated?|"
                      r"i see)\b")
# ... or comes back with the problem
COMPLAINS = re.compile(r"\b(?:still|again|yet|not (?:solved|fixed|working|resolved|helpful)|(?:doesn't|does not|"
                       r"didn't|did not|won't|can't|cannot|couldn't) (?:work|help|solve|fix)|useless|rubbish|nobody|"
                       r"no one|never|terrible|worst|ridiculous|unacceptable|disappointed|angry|complain\w*)\b")
# Resolution only: the agent's fix or action (ownership: on average, at its best turn, at the last turn), how the
# customer took it and how long it dragged on. Listening and empathy are left out on purpose: agents apologise more
# in the dialogues that go badly, so a model given them learns that an apology predicts an unhappy customer.
FEATURES = ("mean_ownership", "best_ownership", "last_ownership", "log_turns", "later_confirms", "later_complains",
            "later_questions")
OWNERSHIP = DIMENSIONS.index("ownership")


def dialogue_features(turn_scores: np.ndarray, contexts: list[str]) -> np.ndarray:
    """One dialogue's features: its agent turns' scores (n, 5, 0-100) and the customer message before each turn
    (the ones after the first show how the customer took the agent's earlier turns)."""
    ownership = np.asarray(turn_scores, dtype=float).reshape(-1, len(DIMENSIONS))[:, OWNERSHIP] / 100
    later = [text.lower().replace("’", "'") for text in contexts[1:]]
    share = (lambda test: sum(map(test, later)) / len(later)) if later else (lambda test: 0.0)
    return np.array([ownership.mean(), ownership.max(), ownership[-1], np.log(len(ownership)),
                     share(lambda t: bool(CONFIRMS.search(t))), share(lambda t: bool(COMPLAINS.search(t))),
                     share(lambda t: "?" in t)])


class DialogueModel:
    """Ridge regression of dialogue satisfaction on ``dialogue_features``; ``predict`` gives 0-100 (the 5th-95th
    percentile of the training predictions mapped onto 10-90, as the human-label heads do)."""

    def __init__(self, alpha: float = 100.0, weight: float = 0.0):
        self.alpha = alpha
        self.weight = weight

    def fit(self, X: np.ndarray, y: np.ndarray) -> "DialogueModel":
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale_ = np.where(scale > 1e-6, scale, 1.0)
        Z = (X - self.mean_) / self.scale_
        self.intercept_ = float(y.mean())
        self.coef_ = np.linalg.solve(Z.T @ Z + self.alpha * np.eye(Z.shape[1]), Z.T @ (y - self.intercept_))
        predicted = Z @ self.coef_ + self.intercept_
        self.low_, self.high_ = float(np.percentile(predicted, 5)), float(np.percentile(predicted, 95))
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        raw = ((np.atleast_2d(X) - self.mean_) / self.scale_) @ self.coef_ + self.intercept_
        spread = self.high_ - self.low_ if self.high_ > self.low_ else 1.0
        return np.clip(10 + 80 * (raw - self.low_) / spread, 0, 100)

    def to_dict(self) -> dict:
        return {"features": list(FEATURES), "alpha": self.alpha, "weight": self.weight,
                "mean": [round(float(v), 6) for v in self.mean_], "scale": [round(float(v), 6) for v in self.scale_],
                "coef": [round(float(v), 6) for v in self.coef_], "intercept": round(self.intercept_, 6),
                "low": round(self.low_, 6), "high": round(self.high_, 6)}

    @classmethod
    def from_dict(cls, data: dict) -> "DialogueModel | None":
        """The stored model, or None when it was fitted on other features than this code computes."""
        if not data or tuple(data.get("features", ())) != FEATURES:
            return None
        model = cls(float(data["alpha"]), float(data["weight"]))
        model.mean_, model.scale_ = np.array(data["mean"]), np.array(data["scale"])
        model.coef_, model.intercept_ = np.array(data["coef"]), float(data["intercept"])
        model.low_, model.high_ = float(data["low"]), float(data["high"])
        return model


def dialogues(rows: list[dict]) -> list[list[int]]:
    """Row indices per dialogue (``group``), turns in order of their id's last number."""
    grouped: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        grouped.setdefault(row["group"], []).append(i)
    return [sorted(index, key=lambda i: int(rows[i]["id"].rsplit("-", 1)[1])) for _, index in sorted(grouped.items())]


def dialogue_matrix(rows: list[dict], turn_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[list[int]]]:
    """Features and satisfaction per dialogue of labelled rows (STC-3) given their per-turn scores (n, 5)."""
    groups = dialogues(rows)
    X = np.vstack([dialogue_features(turn_scores[index], [rows[i]["context"] for i in index]) for index in groups])
    y = np.array([rows[index[0]]["eval"]["dialogue_satisfaction"] for index in groups])
    return X, y, groups
