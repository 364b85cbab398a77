"""Rubrics: versioned YAML files of weights, band thresholds, anchors, auto-fail and N/A rules."""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import regex

from . import safe_yaml
from .scorecard import DIMENSIONS

RUBRICS_DIR = Path(__file__).resolve().parent / "rubrics"
NA_CONDITIONS = ("no_context", "no_problem_in_context", "short_acknowledgement")
MAX_RUBRIC_CHARS = 64 * 1024
MAX_WEIGHT = 1_000_000
MATCH_TIMEOUT_S = 0.05  # per auto-fail pattern and reply; a match that takes longer counts as no match
MAX_PATTERNS = 100
MAX_PATTERN_CHARS = 500
MAX_REPEAT_COUNT = 1000
_COUNT = re.compile(r"\{(\d*)(,?)(\d*)\}")

log = logging.getLogger(__name__)
Lines = Callable[[tuple], int]  # a location such as ("auto_fail", 0, "patterns", 1) -> its line in the file


class RubricError(ValueError):
    """A rubric file is missing or invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class BoundedPattern:
    """An auto-fail pattern from a rubric: matched by the ``regex`` engine with a time limit on every search."""

    pattern: str
    compiled: regex.Pattern = field(repr=False, compare=False)

    def search(self, text: str) -> regex.Match | None:
        """The first match in ``text``, or None; a search that runs out of time is logged and counts as none."""
        try:
            return self.compiled.search(text, timeout=MATCH_TIMEOUT_S)
        except TimeoutError:
            log.warning("auto-fail pattern %r gave up after %d ms on a %d-character reply; counted as no match",
                        self.pattern, MATCH_TIMEOUT_S * 1000, len(text))
            return None


@dataclass(frozen=True)
class AutoFailItem:
    id: str
    label: str
    patterns: tuple[BoundedPattern, ...]


@dataclass(frozen=True)
class Rubric:
    name: str
    version: str
    weights: dict[str, float]
    band_thresholds: tuple[int, int, int, int]
    anchors: dict[str, dict[int, str]]
    auto_fail: tuple[AutoFailItem, ...] = ()
    not_applicable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    model_weight: float | None = None  # the learned model's share of every skill; None: the trained models' own
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
    return rubric_from_text(read_rubric_file(path), source=str(path))


def read_rubric_file(path: Path) -> str:
    """A rubric file's text: UTF-8, at most ``MAX_RUBRIC_CHARS`` (checked before the file is read)."""
    try:
        if path.stat().st_size > 4 * MAX_RUBRIC_CHARS:  # UTF-8 takes at most 4 bytes a character
            raise RubricError(f"{path}: the rubric file is {path.stat().st_size:,} bytes; "
                              f"a rubric is at most {MAX_RUBRIC_CHARS // 1024} KB")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RubricError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise RubricError(f"{path}: cannot read the rubric file ({error.strerror or error})") from None


def rubric_from_text(text: str, source: str = "rubric") -> Rubric:
    """Parse and validate a rubric's YAML text (a file's, or one pasted or uploaded in the app)."""
    try:
        root, raw = safe_yaml.parse(text, max_chars=MAX_RUBRIC_CHARS)
    except safe_yaml.YamlProblem as error:
        where = f"line {error.line}" + (f", column {error.column}" if error.column is not None else "")
        raise RubricError(f"{source}: not valid YAML at {where} ({error.problem})") from None
    return rubric_from_dict(raw, source=source, lines=lambda loc: safe_yaml.line_at(root, loc))


def rubric_from_dict(raw: object, source: str = "rubric", lines: Lines | None = None) -> Rubric:
    """Validate a parsed rubric document and build a ``Rubric``; ``lines`` lets errors name the line to fix."""
    if not isinstance(raw, dict):
        raise RubricError(f"{source}: expected a mapping at the top level")
    for key in ("name", "version", "weights", "band_thresholds"):
        if key not in raw:
            raise RubricError(f"{source}: missing '{key}'")
    name, version = _label_part(raw["name"], "name", source), _label_part(raw["version"], "version", source)
    weights = _weights(raw["weights"], source)
    thresholds = raw["band_thresholds"]
    if (not isinstance(thresholds, list) or len(thresholds) != 4
            or not all(isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t) for t in thresholds)
            or list(thresholds) != sorted(thresholds) or not 0 < thresholds[0] <= thresholds[-1] <= 100):
        raise RubricError(f"{source}: band_thresholds must be four rising numbers between 0 and 100")
    model_weight = None if raw.get("model_weight") is None else _number(raw["model_weight"], "model_weight", source)
    if model_weight is not None and not 0 <= model_weight <= 1:
        raise RubricError(f"{source}: model_weight must be between 0 and 1 (leave it out for the trained models' own)")
    return Rubric(
        name=name, version=version, weights=weights,
        band_thresholds=tuple(int(t) for t in thresholds), anchors=_anchors(raw.get("anchors"), source),
        auto_fail=_auto_fail(raw.get("auto_fail") or [], source, lines),
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
    if not all(math.isfinite(w) and 0 <= w <= MAX_WEIGHT for w in weights.values()) or sum(weights.values()) <= 0:
        raise RubricError(f"{source}: weights must be numbers from 0 to {MAX_WEIGHT:,}, not all zero")
    return weights


def _auto_fail(items: object, source: str, lines: Lines | None = None) -> tuple[AutoFailItem, ...]:
    if not isinstance(items, list):
        raise RubricError(f"{source}: auto_fail must be a list of items with an id, a label and patterns")
    parsed, count = [], 0
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item or not item.get("patterns"):
            raise RubricError(f"{source}: each auto_fail item needs an id and patterns")
        sources = [item["patterns"]] if isinstance(item["patterns"], str) else item["patterns"]
        if not isinstance(sources, list) or not all(isinstance(p, str) for p in sources):
            raise RubricError(f"{source}: auto_fail '{item['id']}': patterns must be a list of regular expressions")
        count += len(sources)
        if count > MAX_PATTERNS:
            raise RubricError(f"{source}: auto_fail has more than {MAX_PATTERNS} patterns")
        patterns = []
        for number, pattern in enumerate(sources):
            loc = ("auto_fail", index, "patterns") + ((number,) if isinstance(item["patterns"], list) else ())
            where = f" line {lines(loc)}:" if lines else ""
            patterns.append(_bounded(pattern, f"{source}:{where} auto_fail '{item['id']}'"))
        parsed.append(AutoFailItem(str(item["id"]), str(item.get("label", item["id"])), tuple(patterns)))
    return tuple(parsed)


def _bounded(pattern: str, where: str) -> BoundedPattern:
    """Compile one auto-fail pattern, refusing the shapes that make a regular expression take exponential time."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RubricError(f"{where}: pattern {pattern[:40]!r}... is {len(pattern)} characters; "
                          f"the limit is {MAX_PATTERN_CHARS}")
    try:
        re.compile(pattern)  # the accepted syntax stays Python's own, whatever else the regex engine offers
    except (re.error, OverflowError, RecursionError) as error:
        raise RubricError(f"{where}: bad pattern {pattern!r} ({error})") from None
    problem = _risky(pattern)  # before compiling: regex spends seconds unrolling (?:a{1000}){1000}
    if problem:
        raise RubricError(f"{where}: pattern {pattern!r} {problem}")
    try:
        return BoundedPattern(pattern, regex.compile(pattern, regex.IGNORECASE | regex.VERSION0))
    except (regex.error, OverflowError, RecursionError) as error:
        raise RubricError(f"{where}: bad pattern {pattern!r} ({error})") from None


def _risky(pattern: str) -> str | None:
    """Why the pattern could take exponential time or memory (a repeat inside a repeated group, a huge count)."""
    holds_repeat = [False]  # per open group: whether something inside it repeats
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
        elif char == "[":
            i = _class_end(pattern, i)
        elif char == "(":
            holds_repeat.append(False)
            i += 2 if pattern.startswith("?", i + 1) else 1  # the ? of (?:, (?= and (?P< is no quantifier
        else:
            inner = holds_repeat.pop() if char == ")" and len(holds_repeat) > 1 else None
            quantifier = _quantifier(pattern, i + 1 if char == ")" else i)
            if quantifier and quantifier[2] > MAX_REPEAT_COUNT:
                return f"repeats {quantifier[2]:,} times; the limit is {MAX_REPEAT_COUNT:,}"
            repeats = bool(quantifier and quantifier[1])
            if inner and repeats:
                return ("repeats a group that itself holds a repeat, like (a+)+, which can take exponential time; "
                        "write it without the nested repeat, e.g. a+ instead of (a+)+")
            holds_repeat[-1] = holds_repeat[-1] or bool(inner) or repeats
            i = quantifier[0] if quantifier else i + 1
    return None


def _quantifier(pattern: str, i: int) -> tuple[int, bool, int] | None:
    """The quantifier at ``i``: where it ends, whether it allows more than one, its largest count."""
    if i >= len(pattern):
        return None
    if pattern[i] in "*+?":
        end, repeats, count = i + 1, pattern[i] != "?", 0
    else:
        found = _COUNT.match(pattern, i)
        if found is None or not (found.group(1) or found.group(2)):
            return None  # "{" and "{}" are literal text
        low = int(found.group(1) or 0)
        high = int(found.group(3)) if found.group(3) else (None if found.group(2) else low)
        end, repeats, count = found.end(), high is None or high > 1, max(low, high or 0)
    if end < len(pattern) and pattern[end] in "?+":  # lazy or possessive
        end += 1
    return end, repeats, count


def _class_end(pattern: str, i: int) -> int:
    """Just past the ``]`` closing the character class that opens at ``i`` (quantifiers inside it are text)."""
    j = i + 1
    if pattern.startswith("^", j):
        j += 1
    if pattern.startswith("]", j):
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1
