"""The one YAML reader for files people write or upload (rubrics, scenarios).

Plain YAML only: no anchors or aliases (a few hundred bytes of nested aliases expand to gigabytes), nesting at
most ``MAX_DEPTH`` levels (deeper input would exhaust the stack), a size cap, and every constructor failure
(``!!int 0x``, ``2024-13-45``) reported as a problem with its line instead of escaping as a bare exception.
"""
from __future__ import annotations

from typing import Iterable

import yaml

MAX_DEPTH = 20
MAX_CHARS = 256 * 1024
_CORE = "tag:yaml.org,2002:"


class YamlProblem(ValueError):
    """Text that is not YAML we accept; ``line`` is 1-based and ``problem`` says what to change."""

    def __init__(self, line: int, problem: str, column: int | None = None):
        where = f"line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{where}: {problem}")
        self.line = line
        self.column = column
        self.problem = problem


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors, aliases and deep nesting, and whose constructors fail cleanly."""

    def __init__(self, stream: str, max_depth: int):
        super().__init__(stream)
        self.max_depth = max_depth
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed; write each value out in full",
                event.start_mark)
        self.depth += 1
        try:
            if self.depth > self.max_depth:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {self.max_depth} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_short(node.value)} as {node.tag.replace(_CORE, '!!')}: {_short(error, 80)}",
                node.start_mark) from None


def parse(text: str, max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> tuple[yaml.Node | None, object]:
    """The document's node tree (for line numbers) and its plain value; raise ``YamlProblem`` for anything refused."""
    if not isinstance(text, str):
        raise YamlProblem(1, f"expected text, got {type(text).__name__}")
    if len(text) > max_chars:
        raise YamlProblem(1, f"the file is {len(text):,} characters; the limit is {max_chars:,}")
    loader = None
    try:
        loader = _Loader(text, max_depth)  # the reader checks for unprintable characters here
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "not valid YAML"
        if error.context and problem.startswith("but "):  # "expected a single document ..., but found another"
            problem = f"{error.context}, {problem}"
        raise YamlProblem(mark.line + 1 if mark else 1, problem, mark.column + 1 if mark else None) from None
    except yaml.YAMLError as error:  # the reader's "unacceptable character": no mark, position in the message
        raise YamlProblem(_reader_line(text, error), str(error).splitlines()[0]) from None
    except RecursionError:  # belt and braces: the depth limit stops this first
        raise YamlProblem(1, f"nested too deeply (the limit is {max_depth} levels)") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:  # a constructor run late
        raise YamlProblem(1, f"cannot read a value: {error}") from None
    finally:
        if loader is not None:
            loader.dispose()


def load(text: str, max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> object:
    """The document's plain value (dicts, lists, text, numbers); raise ``YamlProblem`` for anything refused."""
    return parse(text, max_chars, max_depth)[1]


def line_at(root: yaml.Node | None, loc: Iterable) -> int:
    """The 1-based line of a location such as ``("turns", 2, "default")``; the nearest line found for a partial one."""
    node, line = root, (root.start_mark.line + 1 if root is not None else 1)
    for step in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            pair = next(((k, v) for k, v in node.value if getattr(k, "value", None) == step), None)
            if pair is None:
                continue  # pydantic adds steps such as union tags that are not in the file
            node, line = pair[1], pair[0].start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
    return line


def _reader_line(text: str, error: yaml.YAMLError) -> int:
    position = getattr(error, "position", None)
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else 1


def _short(value: object, limit: int = 40) -> str:
    text = repr(value) if isinstance(value, str) else str(value) if isinstance(value, Exception) else type(value).__name__
    return text if len(text) <= limit else text[:limit - 3] + "..."
