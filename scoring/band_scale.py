"""Calibrating a dimension's blended score onto the labelling guide's scale (band 1 ≈ 10 ... band 5 ≈ 90).

The rules and the learned model rank replies well but squeeze them toward the middle: a reply that reflects
the feeling and restates the problem (band 5 in LABELLING.md) used to land near 65. A calibration is a
monotone, strictly increasing map fitted on labelled replies, so it moves scores onto the scale the band
anchors describe without changing which of two replies scores higher.
"""
from __future__ import annotations

import numpy as np

KNOTS = np.linspace(0.0, 100.0, 21)


class ScoreCalibration:
    """Isotonic regression of the human label on the score, kept strictly increasing and stored as knots.

    ``identity_share`` of the raw score is kept so that two different scores never map to the same value.
    """

    def __init__(self, identity_share: float = 0.1):
        self.identity_share = identity_share

    def fit(self, scores, labels):
        from sklearn.isotonic import IsotonicRegression  # fitting only: scoring reads the knots

        scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=float)
        isotonic = IsotonicRegression(y_min=0.0, y_max=100.0, out_of_bounds="clip").fit(scores, labels)
        fitted = np.interp(KNOTS, isotonic.X_thresholds_, isotonic.y_thresholds_)
        self.knots_x_ = KNOTS.copy()
        self.knots_y_ = np.round((1 - self.identity_share) * fitted + self.identity_share * KNOTS, 2)
        return self

    def transform(self, scores):
        return np.interp(np.asarray(scores, dtype=float), self.knots_x_, self.knots_y_)

    def to_dict(self) -> dict:
        return {"x": [float(v) for v in self.knots_x_], "y": [float(v) for v in self.knots_y_]}

    @classmethod
    def from_dict(cls, knots: dict) -> "ScoreCalibration":
        calibration = cls()
        calibration.knots_x_ = np.asarray(knots["x"], dtype=float)
        calibration.knots_y_ = np.asarray(knots["y"], dtype=float)
        if len(calibration.knots_x_) != len(calibration.knots_y_) or np.any(np.diff(calibration.knots_y_) <= 0):
            raise ValueError("a calibration needs as many y knots as x knots, strictly increasing")
        return calibration
