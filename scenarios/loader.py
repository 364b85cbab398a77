"""Read scenario YAML files, validate them whole, and report every problem with its line.

A file either loads into a complete, valid ``Scenario`` or is refused: nothing is ever
half-loaded. Line numbers come from the YAML node tree (``scoring.safe_yaml``, which also refuses
aliases, deep nesting and oversized files), so pydantic's error locations and the graph checks
can point at the line an author has to fix. Whatever a file holds, the outcome is problems, never
an exception.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml
from pydantic import ValidationError

from scenarios.graph import graph_problems, keyword_warnings, shown
from scenarios.schema import Scenario
from scoring import safe_yaml

SCENARIO_SUFFIXES = (".yaml", ".yml")
MAX_SCENARIO_BYTES = 256 * 1024  # the largest shipped scenario is about 6 KB
MAX_PROBLEMS = 50  # reported per file
_UNION_MEMBERS = ("str", "int", "float")


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario file; ``line`` is 1-based."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ScenarioError(Exception):
    """A scenario file was refused; ``problems`` lists everything wrong with it."""

    def __init__(self, file: str, line: int, message: str, problems: list[ScenarioProblem] | None = None):
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message
        self.problems = problems or [ScenarioProblem(file, line, message)]


class ScenarioLibrary(list):
    """The scenarios that loaded (a plain list), with ``problems`` for the files refused."""

    def __init__(self, scenarios: Iterable[Scenario] = (), problems: Iterable[ScenarioProblem] = ()):
        super().__init__(scenarios)
        self.problems: list[ScenarioProblem] = list(problems)


@dataclass
class _Checked:
    """The outcome of reading one file."""

    file: str
    scenario: Scenario | None = None
    problems: list[ScenarioProblem] = field(default_factory=list)
    id_line: int = 1


def load_scenario(path: str | Path) -> Scenario:
    """Load one scenario file; raise ``ScenarioError`` (with every problem) if anything is wrong."""
    checked = _check_file(Path(path))
    if checked.problems:
        first = checked.problems[0]
        raise ScenarioError(first.file, first.line, first.message, checked.problems)
    return checked.scenario


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """The scenario files named by ``paths``; a folder stands for its ``*.yaml`` files."""
    files: list[Path] = []
    for path in map(Path, paths):
        try:
            files.extend(sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.is_file())
                         if path.is_dir() else [path])
        except OSError:  # an unreadable folder: reading it as a file reports why
            files.append(path)
    return files


def check_paths(paths: Iterable[str | Path]) -> list[ScenarioProblem]:
    """Every problem in the given files and folders, including ids repeated across files."""
    problems: list[ScenarioProblem] = []
    for checked in _check_all(scenario_files(paths)):
        problems.extend(checked.problems)
    return problems


def check_warnings(paths: Iterable[str | Path]) -> list[ScenarioProblem]:
    """Things worth fixing in files that load: transitions that decide on keywords alone."""
    warnings: list[ScenarioProblem] = []
    for checked in _check_all(scenario_files(paths)):
        if checked.scenario is None:
            continue
        root, _ = safe_yaml.parse(_read(Path(checked.file)), max_chars=MAX_SCENARIO_BYTES)
        warnings.extend(ScenarioProblem(checked.file, safe_yaml.line_at(root, loc), f"warning: {message}")
                        for loc, message in keyword_warnings(checked.scenario))
    return warnings


def load_library(directory: str | Path) -> ScenarioLibrary:
    """Load every scenario in ``directory``; a broken file is left out whole and its problems kept."""
    library = ScenarioLibrary()
    for checked in _check_all(scenario_files([directory])):
        if checked.problems:
            library.problems.extend(checked.problems)
        else:
            library.append(checked.scenario)
    return library


def _check_all(files: list[Path]) -> list[_Checked]:
    results = [_check_file(path) for path in files]
    seen: dict[str, _Checked] = {}
    for checked in results:
        if checked.scenario is None:
            continue
        first = seen.get(checked.scenario.id)
        if first is None:
            seen[checked.scenario.id] = checked
            continue
        checked.problems.append(ScenarioProblem(
            checked.file, checked.id_line,
            f"duplicate scenario id '{checked.scenario.id}' (already used in {first.file}:{first.id_line})",
        ))
        checked.scenario = None
    return results


def _check_file(path: Path) -> _Checked:
    checked = _Checked(file=str(path))
    try:
        text = _read(path)
        root, data = safe_yaml.parse(text, max_chars=MAX_SCENARIO_BYTES)
    except _Unreadable as error:
        checked.problems.append(ScenarioProblem(checked.file, error.line, error.message))
        return checked
    except safe_yaml.YamlProblem as error:
        checked.problems.append(ScenarioProblem(checked.file, error.line, f"YAML syntax error: {error.problem}"))
        return checked
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        checked.problems.append(ScenarioProblem(checked.file, 1, "a scenario file must be a mapping of keys (id, title, turns, ...)"))
        return checked

    def line(loc: Iterable) -> int:
        return safe_yaml.line_at(root, loc)

    checked.id_line = line(("id",))
    checked.problems.extend(ScenarioProblem(checked.file, number, message)
                            for number, message in _duplicate_keys(root)[:MAX_PROBLEMS])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False, include_input=False):
            if len(checked.problems) >= MAX_PROBLEMS:  # a file of 20,000 stray keys needs one message, not 20,000
                checked.problems.append(ScenarioProblem(checked.file, line(item["loc"]),
                                                        f"more problems after the first {MAX_PROBLEMS}; fix these first"))
                break
            problem = ScenarioProblem(checked.file, line(item["loc"]), _describe(item))
            if problem not in checked.problems:  # a union reports once per member type
                checked.problems.append(problem)
        checked.problems.sort(key=lambda problem: problem.line)
        return checked

    checked.problems.extend(
        ScenarioProblem(checked.file, line(loc), message) for loc, message in graph_problems(scenario, path.parent)
    )
    checked.problems.sort(key=lambda problem: problem.line)
    if not checked.problems:
        scenario._source = str(path)
        checked.scenario = scenario
    return checked


class _Unreadable(Exception):
    """A file that cannot be read as text; ``line`` is where the reading stopped."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _read(path: Path) -> str:
    """The file's text: UTF-8 and at most ``MAX_SCENARIO_BYTES`` (the size is checked before reading)."""
    try:
        size = path.stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise _Unreadable(1, f"the file is {size:,} bytes; a scenario file is at most {MAX_SCENARIO_BYTES // 1024} KB")
        data = path.read_bytes()
    except OSError as error:
        raise _Unreadable(1, f"cannot read the file: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _Unreadable(line, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8") from None


def _duplicate_keys(node: yaml.Node, path: str = "") -> list[tuple[int, str]]:
    """YAML keeps only the last of repeated keys silently; authors want to hear about it."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is not None and name in seen:
                found.append((key.start_mark.line + 1, f"duplicate key '{shown(name)}'{_where(path)}"))
            seen.add(name)
            found.extend(_duplicate_keys(value, f"{path}.{shown(name)}" if path else shown(name)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(_duplicate_keys(item, f"{path}[{index}]"))
    return found


def _where(path: str) -> str:
    return f" in {path}" if path else ""


def _dotted(loc: Iterable) -> str:
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{shown(step)}" if text else shown(step)
    return text


def _describe(error: dict) -> str:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{shown(loc[-1])}'{_where(_dotted(loc[:-1]))}"
    if kind == "missing":
        return f"missing key '{loc[-1]}'{_where(_dotted(loc[:-1]))}"
    if loc and loc[-1] in _UNION_MEMBERS:
        return f"{_dotted(loc[:-1])}: should be text or a number"
    if loc and loc[-1] == "[key]":
        return f"{_dotted(loc[:-2])}: '{shown(loc[-2])}' is not allowed here; {error['msg'].lower()}"
    return f"{_dotted(loc)}: {error['msg']}"
