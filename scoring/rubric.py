"""Rubrics: versioned YAML files of weights, band thresholds, anchors, auto-fail and N/A rules."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
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


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """The built-in default rubric, read once."""
    return load_rubric("default")


def rubric_path(path_or_name: str | Path) -> Path:
    """The file a rubric setting names: a YAML path, or a name of a built-in rubric in ``scoring/rubrics/``."""
    path = Path(path_or_name)
    if not path.suffix and not path.exists():
        path = RUBRICS_DIR / f"{path_or_name}.yaml"
    return path


def load_rubric(path_or_name: str | Path) -> Rubric:
    """Load a rubric from a YAML path, or by name from ``scoring/rubrics/``."""
    path = rubric_path(path_or_name)
    if not path.is_file():
        raise RubricError(f"{path}: rubric file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RubricError(f"{path}: not UTF-8 text") from None
    return rubric_from_text(text, source=str(path))


def rubric_from_text(text: str, source: str = "rubric") -> Rubric:
    """Parse and validate a rubric's YAML text (a file's, or one pasted or uploaded in the app)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RubricError(f"{source}: not valid YAML{where} ({problem})") from error
    return rubric_from_dict(raw, source=source)


def rubric_from_dict(raw: object, source: str = "rubric") -> Rubric:
    """Validate a parsed rubric document and build a ``Rubric``."""
    if not isinstance(raw, dict):
        raise RubricError(f"{source}: expected a mapping at the top level")
    for key in ("name", "version", "weights", "band_thresholds"):
        if key not in raw:
            raise RubricError(f"{source}: missing '{key}'")
    name, version = _label_part(raw["name"], "name", source), _label_part(raw["version"], "version", source)
    weights = _weights(raw["weights"], source)
    thresholds = raw["band_thresholds"]
    if (not isinstance(thresholds, list) or len(thresholds) != 4
            or not all(isinstance(t, (int, float)) for t in thresholds)
            or list(thresholds) != sorted(thresholds) or not 0 < thresholds[0] <= thresholds[-1] <= 100):
        raise RubricError(f"{source}: band_thresholds must be four rising numbers between 0 and 100")
    model_weight = _number(raw.get("model_weight", 0.4), "model_weight", source)
    if not 0 <= model_weight <= 1:
        raise RubricError(f"{source}: model_weight must be between 0 and 1")
    return Rubric(
        name=name, version=version, weights=weights,
        band_thresholds=tuple(int(t) for t in thresholds), anchors=_anchors(raw.get("anchors"), source),
        auto_fail=_auto_fail(raw.get("auto_fail") or [], source),
        not_applicable=_not_applicable(raw.get("not_applicable"), source),
        model_weight=model_weight, description=str(raw.get("description") or ""),
    )


def _label_part(raw: object, key: str, source: str) -> str:
    """The name or the version: the two halves of the "name@version" a scorecard keeps."""
    value = str(raw).strip() if isinstance(raw, (str, int, float)) and not isinstance(raw, bool) else ""
    if not value:
        raise RubricError(f"{source}: '{key}' must be a short text, e.g. {key}: {'my-team' if key == 'name' else '1.1'}")
    if "@" in value or any(c.isspace() for c in value):
        raise RubricError(f"{source}: '{key}' must not contain '@' or spaces (a scorecard names its rubric 'name@version')")
    return value


def _number(raw: object, where: str, source: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise RubricError(f"{source}: {where} must be a number, not {raw!r}")
    return float(raw)


def _anchors(raw: object, source: str) -> dict[str, dict[int, str]]:
    anchors = {dimension: {band: f"band {band}" for band in range(1, 6)} for dimension in DIMENSIONS}
    if raw is None:
        return anchors
    if not isinstance(raw, dict):
        raise RubricError(f"{source}: anchors must map dimensions to {{band: description}}")
    for dimension, labels in raw.items():
        if dimension not in DIMENSIONS or not isinstance(labels, dict):
            raise RubricError(f"{source}: anchors for unknown dimension '{dimension}'")
        for band, text in labels.items():
            if str(band).strip() not in {"1", "2", "3", "4", "5"}:
                raise RubricError(f"{source}: anchors.{dimension} band {band} is not 1-5")
            anchors[dimension][int(band)] = str(text)
    return anchors


def _not_applicable(raw: object, source: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RubricError(f"{source}: not_applicable must map dimensions to lists of conditions {NA_CONDITIONS}")
    not_applicable = {}
    for dimension, conditions in raw.items():
        if conditions is not None and not isinstance(conditions, list):
            raise RubricError(f"{source}: not_applicable.{dimension} must be a list, e.g. [{NA_CONDITIONS[0]}]")
        unknown = {str(c) for c in conditions or ()} - set(NA_CONDITIONS)
        if dimension not in DIMENSIONS or unknown:
            raise RubricError(f"{source}: not_applicable.{dimension}: unknown {sorted(unknown) or 'dimension'}")
        not_applicable[dimension] = tuple(conditions or ())
    return not_applicable


def _weights(raw: object, source: str) -> dict[str, float]:
    if not isinstance(raw, dict) or set(raw) - set(DIMENSIONS):
        raise RubricError(f"{source}: weights must map dimensions {DIMENSIONS} to numbers")
    weights = {dimension: _number(raw.get(dimension, 0), f"weights.{dimension}", source) for dimension in DIMENSIONS}
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise RubricError(f"{source}: weights must be non-negative and not all zero")
    return weights


def _auto_fail(items: object, source: str) -> tuple[AutoFailItem, ...]:
    if not isinstance(items, list):
        raise RubricError(f"{source}: auto_fail must be a list of items with an id, a label and patterns")
    parsed = []
    for item in items:
        if not isinstance(item, dict) or "id" not in item or not item.get("patterns"):
            raise RubricError(f"{source}: each auto_fail item needs an id and patterns")
        sources = [item["patterns"]] if isinstance(item["patterns"], str) else item["patterns"]
        if not isinstance(sources, list) or not all(isinstance(p, str) for p in sources):
            raise RubricError(f"{source}: auto_fail '{item['id']}': patterns must be a list of regular expressions")
        try:
            patterns = tuple(re.compile(p, re.IGNORECASE) for p in sources)
        except re.error as error:
            raise RubricError(f"{source}: auto_fail '{item['id']}': bad pattern ({error})") from error
        parsed.append(AutoFailItem(str(item["id"]), str(item.get("label", item["id"])), patterns))
    return tuple(parsed)
