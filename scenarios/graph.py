"""Checks on a scenario's turn graph that a schema cannot express.

Each problem is returned with the location (as a pydantic-style path) of the key to fix,
so the loader can turn it into a line number.
"""
from __future__ import annotations

from collections import deque
from pathlib import Path

from scenarios.schema import Scenario

SHARED_MOVES = ("apologises", "explains_policy", "deflects")

Loc = tuple
Problem = tuple[Loc, str]


def graph_problems(scenario: Scenario, folder: Path) -> list[Problem]:
    """Repeated ids, missing targets, unreachable turns, dead ends, empty conditions, missing audio."""
    problems: list[Problem] = []
    problems += _repeated_ids(scenario)
    problems += _missing_targets(scenario)
    problems += _condition_problems(scenario)
    problems += _move_problems(scenario)
    problems += _missing_audio(scenario, folder)
    if not problems:
        problems += _reachability(scenario)
    return problems


def edges(scenario: Scenario) -> dict[str, list[str]]:
    """Turn id -> the ids it can lead to (turns or endings), in the order they are tried."""
    return {
        turn.id: [transition.goto for transition in turn.transitions] + [turn.default]
        for turn in scenario.turns
    }


def decision_points(scenario: Scenario) -> list[str]:
    """Turns where the reply chooses between at least two different next steps."""
    return [turn_id for turn_id, targets in edges(scenario).items() if len(set(targets)) >= 2]


def _repeated_ids(scenario: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for kind, items in (("turns", scenario.turns), ("endings", scenario.endings)):
        for index, item in enumerate(items):
            if item.id in seen:
                problems.append(((kind, index, "id"), f"id '{item.id}' is used twice (turns and endings share one set of ids)"))
            seen.add(item.id)
    return problems


def _missing_targets(scenario: Scenario) -> list[Problem]:
    known = {turn.id for turn in scenario.turns} | {ending.id for ending in scenario.endings}
    problems: list[Problem] = []
    if scenario.start is not None and scenario.turn(scenario.start) is None:
        problems.append((("start",), f"start turn '{scenario.start}' does not exist"))
    for index, turn in enumerate(scenario.turns):
        for number, transition in enumerate(turn.transitions):
            if transition.goto not in known:
                problems.append((
                    ("turns", index, "transitions", number, "goto"),
                    f"turn '{turn.id}': transition to missing turn or ending '{transition.goto}'",
                ))
        if turn.default not in known:
            problems.append((("turns", index, "default"), f"turn '{turn.id}': default goes to missing turn or ending '{turn.default}'"))
    return problems


def _condition_problems(scenario: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    for index, turn in enumerate(scenario.turns):
        for number, transition in enumerate(turn.transitions):
            loc = ("turns", index, "transitions", number, "when")
            condition = transition.when
            if not condition.model_fields_set or condition == type(condition)():
                problems.append((loc, f"turn '{turn.id}': transition to '{transition.goto}' has an empty condition, so it always matches; use 'default'"))
            for fact in condition.facts_mentioned:
                if fact not in scenario.facts:
                    problems.append((loc + ("facts_mentioned",), f"turn '{turn.id}': facts_mentioned names unknown fact '{shown(fact)}'"))
            if (condition.mood_at_least is not None and condition.mood_below is not None
                    and condition.mood_at_least >= condition.mood_below):
                problems.append((loc, f"turn '{turn.id}': mood_at_least {condition.mood_at_least} and mood_below {condition.mood_below} can never both hold"))
    return problems


def _move_problems(scenario: Scenario) -> list[Problem]:
    """Every move a condition names is defined, with the kind the condition reads it as."""
    problems: list[Problem] = []
    for index, turn in enumerate(scenario.turns):
        conditions = [(("turns", index, "transitions", n, "when"), t.when) for n, t in enumerate(turn.transitions)]
        conditions += [(("turns", index, "variants", n, "when"), v.when) for n, v in enumerate(turn.variants)]
        for loc, condition in conditions:
            for kind in ("offers", "acknowledges", "asks_for"):
                for name in getattr(condition, kind):
                    spec = scenario.moves.get(name)
                    if spec is None:
                        problems.append((loc + (kind,), f"turn '{turn.id}': {kind} names move '{shown(name)}', which 'moves' does not define"))
                    elif spec.kind != kind:
                        problems.append((loc + (kind,), f"turn '{turn.id}': move '{shown(name)}' is a move of kind {spec.kind}, not {kind}"))
            for field_name in ("does_not", "made_so_far"):
                for name in getattr(condition, field_name, []):
                    if name not in scenario.moves and name not in SHARED_MOVES:
                        problems.append((loc + (field_name,),
                                         f"turn '{turn.id}': {field_name} names unknown move '{shown(name)}'"))
    return problems


def keyword_warnings(scenario: Scenario) -> list[Problem]:
    """Transitions that choose between next steps on words alone (no move, score or mood): fragile, so warned."""
    warnings: list[Problem] = []
    points = set(decision_points(scenario))
    for index, turn in enumerate(scenario.turns):
        if turn.id not in points:
            continue
        for number, transition in enumerate(turn.transitions):
            when = transition.when
            words = when.mentions_any or when.mentions_all
            if words and not when.uses_moves() and transition.goto != turn.default:
                warnings.append((("turns", index, "transitions", number, "when"),
                                 f"turn '{turn.id}': the way to '{transition.goto}' rests on keywords alone; "
                                 "name the move it needs (offers, acknowledges, asks_for, ...) so own words count"))
    return warnings


def shown(value: object, limit: int = 60) -> str:
    """A key or value from the file as a message may quote it: printable (no terminal escapes) and short."""
    text = str(value)
    if not text.isprintable():
        text = repr(text)[1:-1]
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _missing_audio(scenario: Scenario, folder: Path) -> list[Problem]:
    return [
        (("turns", index, "audio"), f"turn '{turn.id}': audio file '{turn.audio}' not found beside the scenario")
        for index, turn in enumerate(scenario.turns)
        if turn.audio is not None and not _is_file(folder / turn.audio)
    ]


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system
        return False


def _reachability(scenario: Scenario) -> list[Problem]:
    graph = edges(scenario)
    reached = _reach(scenario.start_turn, graph)
    ending_ids = {ending.id for ending in scenario.endings}
    reverse: dict[str, list[str]] = {}
    for source, targets in graph.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    can_end: set[str] = set()
    for ending_id in ending_ids:
        can_end |= _reach(ending_id, reverse)

    problems: list[Problem] = []
    for index, turn in enumerate(scenario.turns):
        if turn.id not in reached:
            problems.append((("turns", index, "id"), f"turn '{turn.id}' is unreachable from the start turn '{scenario.start_turn}'"))
        elif turn.id not in can_end:
            problems.append((("turns", index, "id"), f"turn '{turn.id}' has no way to an ending (every path from it loops back)"))
    for index, ending in enumerate(scenario.endings):
        if ending.id not in reached:
            problems.append((("endings", index, "id"), f"ending '{ending.id}' is unreachable from the start turn '{scenario.start_turn}'"))
    return problems


def _reach(origin: str, graph: dict[str, list[str]]) -> set[str]:
    seen = {origin}
    queue = deque([origin])
    while queue:
        for target in graph.get(queue.popleft(), []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen
