"""The result of scoring: a scorecard with scores, bands, evidence and tips."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tips import Tip

from .skills import DIMENSIONS


@dataclass(frozen=True)
class Evidence:
    """A span of the reply that raised ("+") or lowered ("-") a dimension's score."""

    dimension: str
    start: int
    end: int
    text: str
    effect: str
    reason: str
    start_s: float | None = None
    end_s: float | None = None
    code: str = ""  # what the span shows, for code to decide on ("empathy.apology"); ``reason`` is for people

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.start_s is None and self.end_s is None:
            del data["start_s"], data["end_s"]
        return data


@dataclass
class Scorecard:
    """Scores 0-100 and bands 1-5 per dimension, the overall score, evidence and one tip each."""

    scores: dict[str, int]
    bands: dict[str, int]
    band_labels: dict[str, str]
    overall: int
    evidence: list[Evidence]
    tips: dict[str, str]
    rubric: str
    auto_fail: list[str] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)
    strengths: dict[str, str] = field(default_factory=dict)  # what worked, for the dimensions in band 5
    examples: dict[str, str] = field(default_factory=dict)  # the phrasing each tip suggests, without the advice
    tip_options: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)  # scoring.tips.vary
    # a call's overall blends the rubric's mean with how the dialogue was resolved: {"score", "weight", "rubric_overall"}
    resolution: dict | None = None

    def to_dict(self) -> dict:
        """The ``coach score-text`` output object."""
        return {
            "scores": dict(self.scores),
            "bands": dict(self.bands),
            "band_labels": dict(self.band_labels),
            "overall": self.overall,
            "evidence": [item.to_dict() for item in self.evidence],
            "tips": dict(self.tips),
            "rubric": self.rubric,
            "auto_fail": list(self.auto_fail),
            "not_applicable": list(self.not_applicable),
            "strengths": dict(self.strengths),
            "examples": dict(self.examples),
            **({"resolution": dict(self.resolution)} if self.resolution else {}),
        }


@dataclass
class Assessment:
    """One dimension's rule-based reading of a reply, before the rubric and the model combine it."""

    dimension: str
    score: float
    evidence: list[Evidence]
    tip: Tip | str  # scoring.tips.Tip: advice and example phrasings, settled into text once the band is known
    features: dict[str, float]
    ceiling: float = 100.0  # the most the dimension may score, learned model included (LABELLING.md's caps)
