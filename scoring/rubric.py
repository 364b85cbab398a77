"""Rubrics: versioned YAML files of weights, band thresholds, anchors, auto-fail and N/A rules."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .scorecard import DIMENSIONS

RUBRICS_DIR = Path(__file__).resolve().parent / "rubrics"
NA_CONDITIONS = ("no_context", "no_problem_in_context", "short_acknowledgement")


class RubricError(ValueError):
    """A rubric file is missing or invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class AutoFailItem:
    id: str
    label: str
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Rubric:
    name: str
    version: str
    weights: dict[str, float]
    band_thresholds: tuple[int, int, int, int]
    anchors: dict[str, dict[int, str]]
    auto_fail: tuple[AutoFailItem, ...] = ()
    not_applicable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    model_weight: float = 0.4
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def band(self, score: int) -> int:
        return 1 + sum(score >= threshold for threshold in self.band_thresholds)


def default_rubric() -> Rubric:
    return load_rubric("default")


def load_rubric(path_or_name: str | Path) -> Rubric:
    """Load a rubric from a YAML path, or by name from ``scoring/rubrics/``."""
    path = Path(path_or_name)
    if not path.suffix and not path.exists():
        path = RUBRICS_DIR / f"{path_or_name}.yaml"
    if not path.is_file():
        raise RubricError(f"{path}: rubric file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RubricError(f"{path}: not valid YAML ({error})") from error
    return rubric_from_dict(raw, source=str(path))


def rubric_from_dict(raw: object, source: str = "rubric") -> Rubric:
    """Validate a parsed rubric document and build a ``Rubric``."""
    if not isinstance(raw, dict):
        raise RubricError(f"{source}: expected a mapping at the top level")
    for key in ("name", "version", "weights", "band_thresholds"):
        if key not in raw:
            raise RubricError(f"{source}: missing '{key}'")
    weights = _weights(raw["weights"], source)
    thresholds = raw["band_thresholds"]
    if (not isinstance(thresholds, list) or len(thresholds) != 4
            or not all(isinstance(t, (int, float)) for t in thresholds)
            or list(thresholds) != sorted(thresholds) or not 0 < thresholds[0] <= thresholds[-1] <= 100):
        raise RubricError(f"{source}: band_thresholds must be four rising numbers between 0 and 100")
    anchors = {dimension: {band: f"band {band}" for band in range(1, 6)} for dimension in DIMENSIONS}
    for dimension, labels in (raw.get("anchors") or {}).items():
        if dimension not in DIMENSIONS or not isinstance(labels, dict):
            raise RubricError(f"{source}: anchors for unknown dimension '{dimension}'")
        for band, text in labels.items():
            if int(band) not in range(1, 6):
                raise RubricError(f"{source}: anchors.{dimension} band {band} is not 1-5")
            anchors[dimension][int(band)] = str(text)
    not_applicable = {}
    for dimension, conditions in (raw.get("not_applicable") or {}).items():
        unknown = set(conditions or ()) - set(NA_CONDITIONS)
        if dimension not in DIMENSIONS or unknown:
            raise RubricError(f"{source}: not_applicable.{dimension}: unknown {sorted(unknown) or 'dimension'}")
        not_applicable[dimension] = tuple(conditions or ())
    model_weight = float(raw.get("model_weight", 0.4))
    if not 0 <= model_weight <= 1:
        raise RubricError(f"{source}: model_weight must be between 0 and 1")
    return Rubric(
        name=str(raw["name"]), version=str(raw["version"]), weights=weights,
        band_thresholds=tuple(int(t) for t in thresholds), anchors=anchors,
        auto_fail=_auto_fail(raw.get("auto_fail") or [], source), not_applicable=not_applicable,
        model_weight=model_weight, description=str(raw.get("description", "")),
    )


def _weights(raw: object, source: str) -> dict[str, float]:
    if not isinstance(raw, dict) or set(raw) - set(DIMENSIONS):
        raise RubricError(f"{source}: weights must map dimensions {DIMENSIONS} to numbers")
    weights = {dimension: float(raw.get(dimension, 0)) for dimension in DIMENSIONS}
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise RubricError(f"{source}: weights must be non-negative and not all zero")
    return weights


def _auto_fail(items: list, source: str) -> tuple[AutoFailItem, ...]:
    parsed = []
    for item in items:
        if not isinstance(item, dict) or "id" not in item or not item.get("patterns"):
            raise RubricError(f"{source}: each auto_fail item needs an id and patterns")
        try:
            patterns = tuple(re.compile(p, re.IGNORECASE) for p in item["patterns"])
        except re.error as error:
            raise RubricError(f"{source}: auto_fail '{item['id']}': bad pattern ({error})") from error
        parsed.append(AutoFailItem(str(item["id"]), str(item.get("label", item["id"])), patterns))
    return tuple(parsed)
