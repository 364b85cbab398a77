"""Seeded hostile inputs for Coach's file readers, and one harness that runs each case under a time limit.

Three readers take text from people: ``coach scenarios check`` (scenario YAML), ``coach score-text`` (JSON Lines)
and rubric loading (YAML typed, pasted or uploaded). Each promises a refusal a person can act on, never an
exception: a ``ScenarioProblem`` with a line, an ``{"error", "line"}`` row, a ``RubricError``. Here a *crash* is
anything else (or a refusal without a line), a *hang* a case over ``HANG_S`` seconds of this process's CPU time
(on a busy shared machine the wall time says more about the neighbours; both are reported). The same seed gives the
same cases, and a longer run's first cases are a shorter one's, so a failure found by ``benchmarks/fuzz.py`` replays
in ``tests/security/test_fuzz_quick.py``. Uploads have their own generator and app harness in ``fuzz_uploads.py``.
"""
from __future__ import annotations

import json
import random
import resource
import signal
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import yaml

from tests.scenarios.fixed_scoring import fixed_scorer

ROOT = Path(__file__).resolve().parents[2]
SEED = 13
HANG_S = 10.0
TINY_RUBRIC = """\
name: fuzz
version: "1"
weights: {ownership: 1, empathy: 2}
band_thresholds: [10, 30, 50, 70]
anchors:
  ownership: {5: Owns it}
auto_fail:
  - id: dismissive
    label: Brushed off
    patterns: ['\\bwhatever\\b', 'not my (?:job|problem)']
not_applicable:
  empathy: [no_context]
"""
REDOS = ["(a+)+$", "(a|aa)+$", r"(\w+\s?)+$", "(x+x+)+y", "((a*)*)*b", "(?:a{1000}){1000}", "a{100000}",
         "(", "[", "(?P<x>a)(?P=y)", r"\p{L}+", "(?R)", "(?:foo){e<=3}", "x" * 600, "(a?){30}a{30}"]
HOSTILE_TEXT = ["", " ", "\x00", "\x1b[31mred\x1b[0m", "\u202eevil\u202c", "\ufeffbom", "line\u2028sep", "😀" * 50,
                "e\u0301" * 200, "*", "refund*", "../../etc/passwd", "/etc/passwd", "CON", "a" * 5000,
                "word " * 1000, "2024-13-45", "0x1F", "~", "null", "&anchor", "*alias", "!!binary", "{{7*7}}",
                "<script>alert(1)</script>", "' OR 1=1 --", "%s%n%x", "\\", "\t\t", "\r\n", "(a+)+$"]


@dataclass(frozen=True)
class Case:
    """One hostile input: what was done to make it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Outcome:
    case: Case
    seconds: float  # wall time
    crash: str | None = None  # the exception (or the broken promise), when the reader failed its contract
    cpu_seconds: float = 0.0  # this process's CPU time for the case: what a busy machine does not inflate


@dataclass
class Report:
    """What one reader did with a batch of cases."""

    kind: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def crashes(self) -> list[Outcome]:
        """Cases the reader failed, apart from those stopped by the alarm (they are hangs)."""
        return [o for o in self.outcomes if o.crash is not None and not o.crash.startswith("Hang:")]

    @property
    def hangs(self) -> list[Outcome]:
        """Cases over ``HANG_S`` of CPU time (stopped by the alarm or not)."""
        return [o for o in self.outcomes if o.cpu_seconds > HANG_S or (o.crash or "").startswith("Hang:")]

    @property
    def slowest(self) -> Outcome | None:
        return max(self.outcomes, key=lambda o: o.cpu_seconds, default=None)

    def summary(self) -> str:
        slowest = self.slowest
        slow = (f"slowest {slowest.cpu_seconds:.2f} s of CPU, {slowest.seconds:.2f} s wall ({slowest.case.name[:60]})"
                if slowest else "no cases")
        wall = sum(o.seconds > HANG_S for o in self.outcomes)
        return (f"{self.kind}: {len(self.outcomes)} cases, {len(self.crashes)} crashes, {len(self.hangs)} hangs "
                f"(and {wall} over {HANG_S:.0f} s of wall time), {slow}")


class Hang(Exception):
    """A case ran past its CPU time limit."""


def peak_memory_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def time_limit(seconds: float):
    """Raise ``Hang`` in the main thread after ``seconds`` of this process's CPU time (a C call such as one regex
    search finishes first)."""
    def stop(signum, frame):
        raise Hang(f"over {seconds:.0f} s of CPU")
    try:
        previous = signal.signal(signal.SIGPROF, stop)
    except ValueError:  # not the main thread: time it, do not interrupt it
        yield
        return
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def run(kind: str, cases: list[Case], check: Callable[[Case], object], deadline: float | None = None) -> Report:
    """Run ``check`` on every case (it raises when the reader broke its promise), stopping at the ``deadline``
    (a ``time.monotonic()`` value) when one is given."""
    report = Report(kind)
    for case in cases:
        if deadline is not None and time.monotonic() > deadline:
            break
        started, cpu_started = time.perf_counter(), time.process_time()
        crash = None
        try:
            with time_limit(HANG_S * 1.5):
                check(case)
        except Hang as error:
            crash = f"Hang: {error}"
        except Exception:  # noqa: BLE001  the point is to catch anything the reader let escape
            crash = traceback.format_exc(limit=-3).strip()
        report.outcomes.append(Outcome(case, time.perf_counter() - started, crash, time.process_time() - cpu_started))
    return report


# --- mutating parsed documents ------------------------------------------------------------------

def _nested(depth: int, mapping: bool) -> object:
    value: object = "deep"
    for _ in range(depth):
        value = {"a": value} if mapping else [value]
    return value


def _hostile_value(rng: random.Random) -> object:
    choices = [None, 0, -1, 2**70, -(10**30), 1.5, float("inf"), float("nan"), True, False, [], {}, [None],
               {"x": 1}, {1: 2}, {None: "x"}, {True: []}, {"": ""}, ["a"] * 300, list(range(50)),
               _nested(rng.randint(5, 30), True), _nested(rng.randint(5, 30), False), rng.choice(HOSTILE_TEXT),
               rng.choice(REDOS), b"\x00\xff binary", rng.choice(HOSTILE_TEXT) * rng.randint(1, 40)]
    return rng.choice(choices)


def _paths(node: object, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _get(node: object, path: tuple) -> object:
    for step in path:
        node = node[step]
    return node


def _mutate_tree(document: object, rng: random.Random) -> tuple[object, str]:
    """One structural change at a random place: a hostile value, a key gone or added, a list emptied or grown."""
    paths = [p for p in _paths(document) if p]
    if not paths:
        return _hostile_value(rng), "replace the whole document"
    path = rng.choice(paths)
    parent, last = _get(document, path[:-1]), path[-1]
    value = parent[last]
    where = ".".join(map(str, path))[:60]
    operation = rng.randrange(9)
    if operation == 0 and isinstance(parent, dict):
        del parent[last]
        return document, f"delete {where}"
    if operation == 1 and isinstance(parent, dict):
        parent[rng.choice(["colour", "Id", "turns ", "__class__", "<<", 7, None, "x" * 300])] = _hostile_value(rng)
        return document, f"add an unknown key beside {where}"
    if operation == 2:
        parent[last] = [value] if rng.random() < 0.5 else {"wrapped": value}
        return document, f"wrap {where}"
    if operation == 3 and isinstance(value, list):
        parent[last] = value * rng.randint(2, 60) if value else [value]
        return document, f"repeat the items of {where}"
    if operation == 4 and isinstance(value, (list, dict)):
        parent[last] = type(value)()
        return document, f"empty {where}"
    if operation == 5 and isinstance(value, dict):
        parent[last] = list(value.items()) if rng.random() < 0.5 else list(value)
        return document, f"mapping to list at {where}"
    if operation == 6 and isinstance(value, str):
        ids = [v for p in _paths(document) if p and p[-1] in ("id", "goto", "default")
               for v in [_get(document, p)] if isinstance(v, str)]
        parent[last] = rng.choice(ids + ["nowhere", value.upper(), value + " "])
        return document, f"retarget {where}"
    parent[last] = _hostile_value(rng)
    return document, f"hostile value at {where}"


def _dump(document: object, rng: random.Random) -> str:
    try:
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=rng.random() < 0.5,
                              default_flow_style=rng.choice([False, None, True]), width=rng.choice([80, 10**6]))
    except (yaml.YAMLError, RecursionError, ValueError):
        return json.dumps(document, default=str)  # JSON is YAML too


# --- mutating text ------------------------------------------------------------------------------

def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _mutate_text(text: str, rng: random.Random) -> tuple[bytes, str]:
    """One change to the bytes of a file: cut, junk, bad UTF-8, aliases, nesting, tags, size."""
    lines = text.splitlines(keepends=True) or [""]
    at = rng.randrange(len(lines))
    operation = rng.randrange(20)
    if operation == 0:
        cut = rng.randrange(len(text) + 1)
        return text[:cut].encode(), f"cut at {cut}"
    if operation == 1:
        del lines[at]
        return "".join(lines).encode(), f"delete line {at + 1}"
    if operation == 2:
        lines.insert(at, lines[at])
        return "".join(lines).encode(), f"repeat line {at + 1}"
    if operation == 3:
        lines[at] = rng.choice(["  ", "\t", " ", ""]) + lines[at].lstrip(" ") if rng.random() < 0.7 else " " + lines[at]
        return "".join(lines).encode(), f"re-indent line {at + 1}"
    if operation == 4:
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 20)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data), "flip bytes"
    if operation == 5:
        bad = rng.choice([b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
        data = text.encode()
        cut = rng.randrange(len(data) + 1)
        return data[:cut] + bad + data[cut:], "invalid UTF-8"
    if operation == 6:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 4096))), "binary junk"
    if operation == 7:
        return (_bomb(rng.randint(3, 9)) + text).encode(), "alias bomb before the document"
    if operation == 8:
        value = rng.choice(["&x [1, 2]", "*x", "&x a", "!!python/object/apply:os.system ['true']", "!!binary z",
                            "!!timestamp nope", "!!int 0x", "!!float abc", "!!bool maybe", "!!set {a}",
                            "!!omap [a]", "2024-13-45", "1" * 5000, "!custom x", "<<: *x", "? [a, b]"])
        lines[at] = lines[at].rstrip("\n") + " " + value + "\n" if ":" in lines[at] else value + "\n"
        return "".join(lines).encode(), f"tag or alias {value[:20]!r} on line {at + 1}"
    if operation == 9:
        depth = rng.choice([25, 100, 1000, 10_000])
        return (text + f"deep: {'[' * depth}{']' * depth}\n").encode(), f"flow nesting {depth} deep"
    if operation == 10:
        depth = rng.choice([25, 200, 1000])
        return (text + "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x\n").encode(), \
            f"block nesting {depth} deep"
    if operation == 11:
        size = rng.choice([300_000, 2_000_000])
        return (text + "# " + "x" * size + "\n").encode(), f"over {size // 1000} KB"
    if operation == 12:
        return (text + "padding: '" + "y" * 240_000 + "'\n").encode(), "just under the size cap"
    if operation == 13:
        return ("\ufeff" + text.replace("\n", rng.choice(["\r\n", "\r", "\x85", "\u2028"]))).encode(), "BOM, odd line ends"
    if operation == 14:
        return rng.choice([b"", b"# only a comment\n", b"---\n...\n", b"a: 1\n---\nb: 2\n", b"[1, 2]", b"just text",
                           b"~", b"- - -", b"{", b"'", b'"\\x"', b"%YAML 9.9\n---\na: 1", b"%TAG ! x\n--- !a b"]), \
            "not a mapping"
    if operation == 15:
        return (text + "".join(f"k{i}: {i}\n" for i in range(20_000))).encode(), "20,000 extra keys"
    if operation == 16:
        lines.insert(at, "\x00\x07\x1b\n")
        return "".join(lines).encode(), "control characters"
    if operation == 17:
        return (text + "\n" + text).encode(), "the document twice"
    if operation == 18:
        return text.replace(":", ": " + rng.choice(HOSTILE_TEXT).replace("\n", ""), 1).encode("utf-8", "replace"), \
            "hostile text in the first value"
    return (text.encode("utf-16") if rng.random() < 0.5 else text.encode("latin-1", "replace")), "other encoding"


def _documents(seeds: list[str], count: int, seed: int, prefix: str) -> list[Case]:
    rng = random.Random(seed)
    parsed = [yaml.safe_load(text) for text in seeds]
    cases = []
    for number in range(count):
        index = rng.randrange(len(seeds))
        if rng.random() < 0.55:
            document = json.loads(json.dumps(parsed[index], default=str))  # a fresh copy, dates as text
            names = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                document, name = _mutate_tree(document, rng)
                names.append(name)
            text = _dump(document, rng)
            if rng.random() < 0.2:
                data, extra = _mutate_text(text, rng)
                names.append(extra)
            else:
                data = text.encode("utf-8", "surrogatepass")
        else:
            data, name = _mutate_text(seeds[index], rng)
            names = [name]
        cases.append(Case(f"{prefix}#{number} " + "; ".join(names), data))
    return cases


def scenario_seeds() -> list[str]:
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "tests" / "scenarios" / "data" / "tiny.yaml"]
    return [path.read_text(encoding="utf-8") for path in files]


def scenario_cases(count: int, seed: int = SEED) -> list[Case]:
    """``count`` mutated scenario files, from the shipped scenarios and the tests' tiny one."""
    return _documents(scenario_seeds(), count, seed, "scenario")


def rubric_cases(count: int, seed: int = SEED) -> list[Case]:
    """``count`` mutated rubric files; a third carry a pattern built to backtrack for ever."""
    rng = random.Random(seed + 1)
    seeds = [(ROOT / "scoring" / "rubrics" / "default.yaml").read_text(encoding="utf-8"), TINY_RUBRIC]
    cases = _documents(seeds, count, seed, "rubric")
    for index in range(0, count, 3):
        pattern = rng.choice(REDOS)
        text = TINY_RUBRIC.replace("'\\bwhatever\\b'", json.dumps(pattern))
        cases[index] = Case(f"rubric#{index} pattern {pattern[:30]!r}", text.encode())
    return cases


# --- score-text lines ---------------------------------------------------------------------------

def _replies(limit: int = 200) -> list[dict]:
    with (ROOT / "scoring" / "data" / "replies.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(limit), handle)]
    return [{"id": f"r{n}", "context": r["context"], "reply": r["reply"], "facts": r.get("facts") or {}}
            for n, r in enumerate(rows)]


def _tame(value: object) -> object:
    """The value without what is slow to score: text cut to 5,000 characters, no word over 100 (a reply over the
    100,000-character limit stays: it is refused at once)."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [_tame(v) for v in value][:5]
    if not isinstance(value, str) or len(value) > 100_000:
        return value
    return " ".join(word[i:i + 100] for word in value[:5000].split(" ") for i in range(0, len(word) or 1, 100))


def _mutate_record(record: dict, rng: random.Random, long_inputs: bool = True) -> tuple[bytes, str]:
    key = rng.choice(["reply", "context", "facts", "id", "extra"])
    operation = rng.randrange(12)
    if operation == 0:
        record.pop(key, None)
        name = f"without {key}"
    elif operation == 1:
        record[key] = rng.choice([None, 7, -1.5, True, [], {}, ["a", 1], [None], {"a": {"b": "c"}},
                                  _nested(rng.randint(2, 60), rng.random() < 0.5)])
        name = f"{key} of the wrong type"
    elif operation == 2:
        record[key] = rng.choice(HOSTILE_TEXT) * rng.randint(1, 5)
        name = f"hostile text in {key}"
    elif operation == 3:
        record["context"] = [rng.choice(HOSTILE_TEXT) for _ in range(rng.randint(0, 300))]
        name = "context of many turns"
    elif operation == 4:
        record["facts"] = {rng.choice(HOSTILE_TEXT): rng.choice(HOSTILE_TEXT + [1, 2.5, None, [], {}])
                           for _ in range(rng.randint(1, 30))}
        name = "hostile facts"
    elif operation == 5:
        record["reply"] = (record.get("reply") or "x") + " " + " ".join(rng.choice(HOSTILE_TEXT) for _ in range(40))
        name = "long hostile reply"
    elif operation == 6:
        record["reply"] = ("I'm sorry, I'll sort your refund today. " * 200)[:rng.choice([2000, 8000])]
        name = "long reply"
    elif operation == 7:
        record["reply"] = "x" * 100_001
        name = "reply over the limit"
    elif operation == 8:
        record[rng.choice(["extra", "reply", "context"])] = "\ud800 lone \udfff"
        name = "lone surrogates"
    else:
        record["extra"] = _nested(rng.choice([10, 500, 900, 5000]), rng.random() < 0.5)
        name = "deeply nested extra key"
    if not long_inputs:
        record = {key: _tame(value) for key, value in record.items()}
    try:
        return json.dumps(record, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass"), name
    except (RecursionError, ValueError):
        return b'{"reply": ' + b"[" * 5000 + b"]" * 5000 + b"}", name + " (nested raw)"


def _raw_line(line: bytes, rng: random.Random) -> tuple[bytes, str]:
    operation = rng.randrange(14)
    if operation == 0:
        return line[:rng.randrange(len(line) + 1)], "cut"
    if operation == 1:
        cut = rng.randrange(len(line) + 1)
        return line[:cut] + rng.choice([b"\xff", b"\xc3\x28", b"\x80", b"\xed\xa0\x80"]) + line[cut:], "invalid UTF-8"
    if operation == 2:
        depth = rng.choice([100, 1000, 100_000])
        return b'{"reply": "hi", "x": ' + b"[" * depth + b"]" * depth + b"}", f"JSON nested {depth} deep"
    if operation == 3:
        return rng.choice([b"[]", b'"reply"', b"42", b"null", b"true", b"{}", b"[{\"reply\": \"x\"}]"]), "not an object"
    if operation == 4:
        return b'{"reply": "ok", "n": ' + rng.choice([b"NaN", b"Infinity", b"-Infinity", b"1e999", b"1" * 5000]) + b"}", \
            "number out of range"
    if operation == 5:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 2000))).replace(b"\n", b" "), "binary junk"
    if operation == 6:
        return b"\xef\xbb\xbf" + line, "BOM"
    if operation == 7:
        return line + b" " + line, "two objects"
    if operation == 8:
        return line.replace(b'": "', b'": "\x00\x07\t', 1), "raw control characters"
    if operation == 9:
        return line.replace(b", ", b"\r", 1), "a carriage return inside"
    if operation == 10:
        return b'{"reply": "' + b"a" * rng.choice([1_100_000, 3_000_000]) + b'"}', "line over 1 MB"
    if operation == 11:
        return b'{"reply": "x", "reply": 5}', "repeated key"
    if operation == 12:
        data = bytearray(line)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(32, 127)
        return bytes(data).replace(b"\n", b" "), "flipped characters"
    return line.replace(b'"reply"', b"'reply'"), "single quotes"


def score_text_lines(count: int, seed: int = SEED, long_inputs: bool = True) -> list[Case]:
    """``count`` hostile JSON Lines records (one line each, no newline), from the labelled replies.

    ``long_inputs=False`` keeps replies and contexts to 5,000 characters and words to 100: longer ones are
    slow in three scorers until those are fixed (see ``known_slow_lines``).
    """
    rng = random.Random(seed + 2)
    records = _replies()
    cases = []
    for number in range(count):
        record = json.loads(json.dumps(rng.choice(records)))
        if rng.random() < 0.55:
            data, name = _mutate_record(record, rng, long_inputs)
        else:
            data, name = _raw_line(json.dumps(record).encode(), rng)
        cases.append(Case(f"line#{number} {name}", data.replace(b"\n", b" ")))
    return cases


def known_slow_lines(scale: float = 1.0) -> list[Case]:
    """Well-formed lines within the 100,000-character limit that three scorers take super-linear time over:
    a long run without a question mark in the context (``scoring/answers.py``), a long reply of capitalised
    codes (``scoring/jargon.py``) and one very long word (``scoring/embedding.py``). ``scale`` shrinks them."""
    def size(n: int) -> int:
        return max(1, int(n * scale))
    return [
        Case("100,000-character context without a question mark",
             json.dumps({"context": ("My parcel is late " * 5556)[:size(99_999)], "reply": "Sorry, I'll chase it."}).encode()),
        Case("99,999-character reply of capitalised codes", json.dumps({"reply": ("ABC-1234 " * 11112)[:size(99_999)]}).encode()),
        Case("a 5,000-character word", json.dumps({"context": "Hi", "reply": "a" * size(5000)}).encode()),
    ]


# --- what each reader must do with a case -------------------------------------------------------

REPLIES = ["I'm sorry about that, I'll sort your refund today.", "(a+)+$", "whatever", "", "a" * 40 + "!",
           "REFUND REFUND REFUND", "😀 \x00 \u202e", "AB-123 order_number"]


class BrokenPromise(AssertionError):
    """The reader answered, but not as it promises (a problem without a line, an error with no text)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise BrokenPromise(message)


def _level_of(reply: str) -> int:
    """A level that changes with the reply, so a case's replies take several of its branches."""
    return len(reply) % 101


def check_scenario(case: Case, folder: Path) -> None:
    """``coach scenarios check`` on one file gives problems with lines; a file that loads also plays."""
    from scenarios import ScenarioProblem, check_paths, load_scenario
    from scenarios.play import RolePlay

    path = folder / "case.yaml"
    path.write_bytes(case.data)
    problems = check_paths([path])
    for problem in problems:
        _require(isinstance(problem, ScenarioProblem) and problem.file == str(path), f"foreign problem {problem!r}")
        _require(isinstance(problem.line, int) and problem.line >= 1, f"problem without a line: {problem!r}")
        _require(bool(problem.message.strip()) and "\n" not in problem.message, f"unprintable message: {problem!r}")
        str(problem).encode("utf-8")
    if not problems:
        role_play = RolePlay(load_scenario(path), scorer=fixed_scorer(_level_of))  # the graph, not the scores
        for reply in REPLIES:
            if role_play.finished:
                break
            json.dumps(role_play.reply(reply).to_dict())
        role_play.debrief()


def check_scenario_folder(cases: list[Case], folder: Path) -> None:
    """The command itself over a folder of cases: exit 1, one well-formed ``file:line: message`` per line."""
    from click.testing import CliRunner

    import coach.cli.scenario_commands  # noqa: F401  (attaches the commands)
    from coach.cli.groups import cli

    folder.mkdir(parents=True, exist_ok=True)
    for number, case in enumerate(cases):
        (folder / f"case-{number:04d}.yaml").write_bytes(case.data)
    result = CliRunner().invoke(cli, ["scenarios", "check", str(folder)])
    _require(result.exception is None or isinstance(result.exception, SystemExit), f"raised {result.exception!r}")
    _require(result.exit_code in (0, 1), f"exit code {result.exit_code}")
    for line in result.stdout.splitlines():
        _require(line.startswith(str(folder)) and line.split(":", 2)[1].isdigit(), f"malformed output {line[:120]!r}")


def check_score_line(case: Case, rubric=None, scoring_models=None) -> None:
    """One ``coach score-text`` line gives a scorecard or a ValueError with a message, and writes as UTF-8."""
    from coach.cli.scoring_commands import score_line

    try:
        result = score_line(case.data, rubric, None, scoring_models)
    except ValueError as error:
        _require(bool(str(error).strip()), "an error without a message")
        return
    _require(isinstance(result, dict) and set(result["scores"]) >= {"empathy", "ownership"}, "no scores")
    json.dumps(result, ensure_ascii=False).encode("utf-8")


def expected_rows(cases: list[Case]) -> int:
    """How many output rows ``coach score-text`` owes these cases joined by newlines (blank lines give none)."""
    return sum(1 for case in cases for piece in (case.data.splitlines() or [b""])
               if piece.decode("utf-8", "replace").strip())


def check_score_text_file(cases: list[Case]) -> None:
    """The command itself over all lines at once: every line answered, in order, the good ones scored."""
    from click.testing import CliRunner

    import coach.cli.scoring_commands  # noqa: F401  (attaches the commands)
    from coach.cli.groups import cli

    result = CliRunner().invoke(cli, ["score-text"], input=b"\n".join(case.data for case in cases))
    _require(result.exception is None or isinstance(result.exception, SystemExit), f"raised {result.exception!r}")
    rows = [json.loads(line) for line in result.stdout.split("\n") if line]  # JSON Lines end at \n only
    _require(len(rows) == expected_rows(cases), f"{len(rows)} rows for {expected_rows(cases)} lines")
    _require(all("scores" in row or ("error" in row and "line" in row) for row in rows), "a row neither scored nor an error")
    failed = sum("error" in row for row in rows)
    _require(result.exit_code == (1 if failed else 0), f"exit code {result.exit_code} with {failed} failed lines")


def check_rubric(case: Case, folder: Path) -> None:
    """A rubric file loads or gives a RubricError naming it; one that loads scores hostile replies in time."""
    from scoring import RubricError, load_rubric, score_reply

    path = folder / "case.yaml"
    path.write_bytes(case.data)
    try:
        rubric = load_rubric(path)
    except RubricError as error:
        _require(str(error).startswith(str(path)) and "\n" not in str(error), f"unclear error {str(error)[:200]!r}")
        return
    for reply in REPLIES:
        card = score_reply(reply, "My parcel is late, why?", rubric=rubric, models=False)
        _require(0 <= card.overall <= 100 and json.dumps(card.to_dict()), f"overall {card.overall}")
