"""Hardening (issue 13): hostile rubric, scenario and score-text files are refused with file, line and problem,
in bounded time and memory, never with a traceback: regular expressions that backtrack for ever, YAML bombs,
deep nesting, bad UTF-8, wrong types, gigantic input."""
from __future__ import annotations

import json
import logging
import time

import pytest
import regex
from click.testing import CliRunner

import coach.cli.scenario_commands  # noqa: F401  (attaches the commands)
import coach.cli.scoring_commands  # noqa: F401
from coach.cli.groups import cli
from coach.models import UploadedRubric
from coach.rubrics import store as rubric_store
from coach.rubrics.store import RubricStoreError
from scenarios import check_paths
from scenarios.conditions import mentions
from scoring import RubricError, ScoringError, load_rubric, safe_yaml, score_reply
from scoring.engine import MAX_REPLY_CHARS
from scoring.rubric import MATCH_TIMEOUT_S, BoundedPattern, rubric_from_text
from tests.security.fuzzing import ROOT

RUBRIC = """\
name: hostile
version: "1"
weights: {empathy: 1, ownership: 1}
band_thresholds: [20, 40, 60, 80]
auto_fail:
  - id: rude
    label: Rude
    patterns:
      - '\\bwhatever\\b'
      - {pattern}
"""
TINY = (ROOT / "tests" / "scenarios" / "data" / "tiny.yaml").read_text(encoding="utf-8")


@pytest.fixture
def write_scenario(tmp_path):
    """Write YAML text to a file in a fresh folder and return its path."""
    def write(text: str, name: str = "broken.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


def rubric_with(pattern: str) -> str:
    return RUBRIC.replace("{pattern}", json.dumps(pattern))


def bomb(levels: int) -> str:
    """The billion-laughs rubric: each level nine aliases of the one before, the last one its description."""
    lines = ['name: bomb\nversion: "1"\nweights: {empathy: 1}\nband_thresholds: [20, 40, 60, 80]',
             'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines + [f"description: *l{levels - 1}"]) + "\n"


def nested(depth: int, flow: bool) -> str:
    return "[" * depth + "]" * depth if flow else "\n  " + "- " * depth + "x"  # block lists nest on one line


# --- 1. regular expressions that backtrack for ever ---------------------------------------------

@pytest.mark.parametrize("pattern", ["(a+)+$", r"(\w+\s?)*$", "((ab)*)+", "(?:x{2,}){3,}", "(?:a{1000}){1000}"])
def test_rubric_pattern_with_a_nested_repeat_is_refused_naming_file_line_and_pattern(tmp_path, pattern):
    path = tmp_path / "team.yaml"
    path.write_text(rubric_with(pattern))
    started = time.perf_counter()
    with pytest.raises(RubricError) as refused:
        load_rubric(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: line 10: auto_fail 'rude': pattern {pattern!r}")
    assert "repeat" in message and time.perf_counter() - started < 1


def test_rubric_pattern_with_a_huge_repeat_count_is_refused():
    with pytest.raises(RubricError, match=r"pattern 'a\{100000\}' repeats 100,000 times; the limit is 1,000"):
        rubric_from_text(rubric_with("a{100000}"), "pasted")


def test_uploading_a_backtracking_pattern_is_refused_with_its_line(app, session):
    with pytest.raises(RubricStoreError, match=r"rubric: line 10: auto_fail 'rude': pattern '\(a\+\)\+\$'"):
        rubric_store.check_rubric(session, app.config["COACH"], rubric_with("(a+)+$"))


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", r"(\w+\s?)+$", "(x+x+)+y"])
def test_every_auto_fail_match_is_bounded_in_time_and_a_timeout_is_no_match(caplog, pattern):
    bounded = BoundedPattern(pattern, regex.compile(pattern, regex.IGNORECASE))  # however it got there
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="scoring.rubric"):
        for reply in ("a" * 26 + "!", "a" * 60 + "!", "word " * 40 + "!"):
            assert bounded.search(reply) is None
    assert time.perf_counter() - started < 20 * MATCH_TIMEOUT_S + 1


def test_a_pattern_that_passes_the_check_but_backtracks_gives_up_and_scores_on(caplog):
    rubric = rubric_from_text(rubric_with("(a|aa)+$"), "pasted")  # alternation, not a nested repeat
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="scoring.rubric"):
        card = score_reply("a" * 60 + "!", "My parcel is late", rubric=rubric, models=False)
    assert time.perf_counter() - started < 2
    assert "rude" not in card.auto_fail
    assert "gave up after 50 ms" in caplog.text and "counted as no match" in caplog.text


def test_ordinary_auto_fail_patterns_still_match():
    rubric = rubric_from_text(rubric_with(r"\bnot my (?:job|problem)\b"), "pasted")
    assert "rude" in score_reply("Not my problem, sorry.", "Where is it?", rubric=rubric, models=False).auto_fail
    assert "rude" in score_reply("Whatever.", "Where is it?", rubric=rubric, models=False).auto_fail


@pytest.mark.parametrize("weights", ["{empathy: .inf}", "{empathy: .nan}", "{empathy: 1.0e+308, clarity: 1.0e+308}"])
def test_rubric_weights_must_be_finite(weights):
    with pytest.raises(RubricError, match="weights must be numbers from 0 to 1,000,000"):
        rubric_from_text(RUBRIC.replace("{empathy: 1, ownership: 1}", weights).replace("      - {pattern}\n", ""))


@pytest.mark.parametrize("thresholds", ["[20, .nan, 60, 80]", "[20, 40, .inf, 80]", "[true, 40, 60, 80]"])
def test_band_thresholds_must_be_finite_numbers(thresholds):
    """Found by benchmarks/fuzz.py (rubric#244): a NaN threshold passed the rising check and crashed int()."""
    with pytest.raises(RubricError, match="band_thresholds must be four rising numbers"):
        rubric_from_text(RUBRIC.replace("[20, 40, 60, 80]", thresholds).replace("      - {pattern}\n", ""))


def test_scenario_mentions_are_literal_words_so_a_regex_in_one_is_harmless():
    started = time.perf_counter()
    assert not mentions("a" * 50_000 + "!", "(a+)+$")
    assert mentions("it says (a+)+$ here", "(a+)+$") and not mentions("aaaa", "(a+)+$")  # the phrase, as text
    assert mentions("I'll refund it", "refund*")
    assert time.perf_counter() - started < 1


# --- 2. YAML bombs and deep nesting -------------------------------------------------------------

@pytest.mark.parametrize("levels", [6, 9])
def test_rubric_alias_bomb_is_refused_at_its_first_anchor(tmp_path, levels):
    text = bomb(levels)
    assert len(text) < 600  # a few hundred bytes that used to expand to millions of characters
    started = time.perf_counter()
    with pytest.raises(RubricError, match=r"line 5, column 5 \(anchors and aliases \(&name, \*name\) are not allowed"):
        rubric_from_text(text, "bomb.yaml")
    assert time.perf_counter() - started < 0.5


def test_uploading_an_alias_bomb_is_refused(app, session):
    with pytest.raises(RubricStoreError, match="rubric: not valid YAML at line 5.*anchors and aliases"):
        rubric_store.add_rubric(session, app.config["COACH"], bomb(9))
    assert rubric_store.uploaded_rubrics(session) == []


def test_a_bomb_stored_before_the_fix_is_left_out_not_expanded(app, session, caplog):
    session.add(UploadedRubric(name="bomb", version="1", yaml_text=bomb(9)))
    session.commit()
    with caplog.at_level(logging.WARNING):
        labels = [entry.label for entry in rubric_store.all_rubrics(session, app.config["COACH"])]
    assert "bomb@1" not in labels and "stored rubric bomb@1 no longer loads" in caplog.text


@pytest.mark.parametrize("flow", [True, False])
@pytest.mark.parametrize("depth", [21, 1000])
def test_rubric_nested_too_deep_is_a_clear_error_not_a_recursion_error(tmp_path, flow, depth):
    path = tmp_path / "deep.yaml"
    path.write_text(rubric_with("x").replace("weights:", f"anchors: {nested(depth, flow)}\nweights:"))
    with pytest.raises(RubricError, match=rf"{path}: not valid YAML at line \d+, column \d+ \(nested more than 20 levels deep\)"):
        load_rubric(path)


def test_rubric_over_the_size_cap_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(RUBRIC.replace("{pattern}", "x") + "# " + "x" * 300_000 + "\n")
    with pytest.raises(RubricError, match="is 300,.* bytes; a rubric is at most 64 KB"):
        load_rubric(path)


@pytest.mark.parametrize("text, line, problem", [
    (bomb(9), 5, "anchors and aliases"),
    (TINY.replace("facts:\n", f"deep: {nested(1000, True)}\nfacts:\n"), 15, "nested more than 20 levels deep"),
    (TINY.replace("facts:\n", f"deep: {nested(1000, False)}\nfacts:\n"), 16, "nested more than 20 levels deep"),
    (TINY.replace("  mood: 40", "  mood: 2024-13-45"), 13, "cannot read '2024-13-45' as !!timestamp"),
    (TINY.replace("  mood: 40", "  mood: " + "9" * 5000), 13, "as !!int"),
    (TINY.replace("  mood: 40", "  mood: !!python/object/apply:os.system ['true']"), 13, "could not determine a constructor"),
])
def test_scenario_yaml_that_is_refused_names_its_line(write_scenario, text, line, problem):
    problems = check_paths([write_scenario(text)])
    assert len(problems) == 1 and problems[0].line == line and problem in problems[0].message, problems


def test_one_safe_loader_refuses_what_yaml_safe_load_would_expand():
    with pytest.raises(safe_yaml.YamlProblem) as refused:
        safe_yaml.load('a: &a [1, 2]\nb: *a\n')
    assert refused.value.line == 1 and "anchors and aliases" in refused.value.problem
    with pytest.raises(safe_yaml.YamlProblem, match="the limit is 10"):
        safe_yaml.load("a: 12345678901", max_chars=10)
    assert safe_yaml.load("<<: {a: 1}\nb: [x, {c: d}]\n") == {"a": 1, "b": ["x", {"c": "d"}]}


# --- 3. coach scenarios check: every malformed file a problem with a line ------------------------

MALFORMED = {
    "list-for-a-mapping": TINY.replace("persona:\n  name: Sam\n  mood: 40\n  traits: [worried]\n", "persona: [Sam, 40]\n"),
    "number-for-text": TINY.replace("title: A tiny test scenario", "title: 12"),
    "null-turns": TINY[:TINY.index("turns:")] + "turns: ~\n" + TINY[TINY.index("endings:"):],
    "mapping-for-a-list": TINY.replace("skills: [empathy]", "skills: {empathy: 1}"),
    "unknown-keys": TINY.replace("id: tiny\n", "id: tiny\n\x65xtra: 1\n\"\\e[31mred\": 2\n"),
    "key-that-is-a-number": TINY.replace("id: tiny\n", "id: tiny\n7: seven\n"),
    "facts-not-a-mapping": TINY.replace("  order_number: AB-123\n", "  - AB-123\n"),
    "audio-outside-the-folder": TINY.replace("    customer: So what now?\n", "    customer: So what now?\n    audio: ../../etc/passwd\n"),
    "audio-with-a-nul": TINY.replace("    customer: So what now?\n", "    customer: So what now?\n    audio: \"a\\0b.ogg\"\n"),
    "audio-name-too-long": TINY.replace("    customer: So what now?\n", f"    customer: So what now?\n    audio: {'a' * 199}\n"),
    "a-list-of-scalars": "- 1\n- 2\n",
    "two-documents": TINY + "---\nid: other\n",
    "empty": "",
    "only-a-comment": "# nothing here\n",
    "control-characters": TINY.replace("title:", "title: \x07\x1b"),
    "20000-unknown-keys": TINY + "".join(f"k{n}: {n}\n" for n in range(20_000)),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_scenario_is_problems_with_lines_never_a_traceback(write_scenario, name):
    started = time.perf_counter()
    problems = check_paths([write_scenario(MALFORMED[name])])
    assert problems and time.perf_counter() - started < 30  # bounded work, not a hang (generous: a busy CI machine)
    for problem in problems:
        assert problem.line >= 1 and problem.message and problem.message.isprintable(), problem
    assert len(problems) <= 51


def test_an_unknown_key_with_a_terminal_escape_is_shown_escaped(write_scenario):
    messages = [p.message for p in check_paths([write_scenario(MALFORMED["unknown-keys"])])]
    assert "unknown key 'extra'" in messages and "unknown key '\\x1b[31mred'" in messages


def test_audio_must_stay_beside_the_scenario(write_scenario):
    problem = check_paths([write_scenario(MALFORMED["audio-outside-the-folder"])])[0]
    assert problem.message.startswith("turns[1].audio: String should match pattern")
    assert problem.line == MALFORMED["audio-outside-the-folder"].splitlines().index("    audio: ../../etc/passwd") + 1


@pytest.mark.parametrize("data, line, message", [
    (TINY.encode().replace(b"Where is my parcel?", b"Where is my parcel\xff"), 19, "not UTF-8 text (byte 0xff)"),
    (bytes(range(256)) * 4, 2, "not UTF-8 text (byte 0x80)"),  # the first byte over 0x7f, after the \n
    (b"id: x\n\x00\x01\x02 binary" + bytes(200), 2, "YAML syntax error: unacceptable character #x0000"),
    (TINY.encode("utf-16"), 1, "not UTF-8 text"),
    (TINY.encode() + b"# " + b"x" * 300_000, 1, "a scenario file is at most 256 KB"),
])
def test_unreadable_scenario_file_names_the_line_where_reading_stopped(tmp_path, data, line, message):
    path = tmp_path / "junk.yaml"
    path.write_bytes(data)
    problems = check_paths([path])
    assert len(problems) == 1 and problems[0].line == line and message in problems[0].message, problems


def test_check_command_reports_every_broken_file_and_goes_on(tmp_path):
    for name, text in MALFORMED.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    (tmp_path / "bad-utf8.yaml").write_bytes(b"id: \xff\n")
    (tmp_path / "bomb.yaml").write_text(bomb(9))
    (tmp_path / "tiny.yaml").write_text(TINY)
    result = CliRunner().invoke(cli, ["scenarios", "check", str(tmp_path)])
    assert result.exit_code == 1 and isinstance(result.exception, (SystemExit, type(None)))
    problems = [line for line in result.stdout.splitlines() if ": warning: " not in line]  # tiny.yaml's keyword branch
    files = {line.split(":", 1)[0] for line in problems}
    assert len(files) == len(MALFORMED) + 2 and str(tmp_path / "tiny.yaml") not in files
    assert all(line.split(":", 2)[1].isdigit() for line in result.stdout.splitlines())
    assert f"{len(MALFORMED) + 3} scenario file(s) checked, {len(MALFORMED) + 2} with problems" in result.stderr


# --- 4. coach score-text: a bad line is an error on its line, the rest is scored ----------------

GOOD = json.dumps({"id": "g", "context": "My parcel is late!", "reply": "I'm sorry. I'll chase it today."}).encode()


def score_text(*lines: bytes, separator: bytes = b"\n"):
    result = CliRunner().invoke(cli, ["score-text"], input=separator.join(lines))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result, [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("bad, error", [
    (b'{"reply": "caf\xe9"}', "not UTF-8 text (byte 0xe9 at column 15)"),
    (b'{"reply": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    (b'{"reply": "hi \\ud800"}', "unpaired surrogate escape (\\ud800)"),
    (b'{"reply": "x", "note": "\\udfff"}', "unpaired surrogate"),
    (b'{"reply": "x", "n": NaN}', "NaN is not a JSON number"),
    (b'{"reply": "x", "n": 1e999}', "out of range"),
    (b'{"reply": "x", "n": ' + b"7" * 5000 + b"}", "more than 100 digits"),
    (b'{"reply": "x", "facts": {"name": {"first": "Sam"}}}', "\"facts\" must map names to text or numbers"),
    (b'{"reply": ["x"]}', "\"reply\" must be a string"),
    (b'{"reply": "x", "context": [1]}', "context must be text or a list of texts"),
    (b'{"reply": "' + b"x" * (MAX_REPLY_CHARS + 1) + b'"}', "the limit is 100,000"),
    (b'{"reply": "' + b"x" * 1_100_000 + b'"}', "the line is longer than 1024 KB"),
    (b"\x00\x01\x02 binary", "not valid JSON"),
])
def test_a_hostile_line_is_an_error_on_its_line_and_the_file_goes_on(bad, error):
    result, rows = score_text(GOOD, bad, GOOD)
    assert len(rows) == 3 and rows[0]["id"] == rows[2]["id"] == "g" and "scores" in rows[2]
    assert rows[1]["line"] == 2 and error in rows[1]["error"], rows[1]
    assert result.exit_code == 1 and "1 line(s) could not be scored (line 2)" in result.stderr


def test_good_lines_score_exactly_as_score_reply_does():
    result, rows = score_text(GOOD, b"", GOOD.replace(b'"g"', b'"h"'))
    expected = score_reply("I'm sorry. I'll chase it today.", "My parcel is late!").to_dict()
    assert result.exit_code == 0 and rows == [{"id": "g", **expected}, {"id": "h", **expected}]


def test_lines_end_at_carriage_returns_as_they_did_in_text_mode():
    result, rows = score_text(GOOD, b"{broken", GOOD, separator=b"\r")
    assert [row.get("line") for row in rows] == [None, 2, None] and result.exit_code == 1


def test_many_bad_lines_are_listed_briefly_on_stderr():
    result, rows = score_text(*([b"{"] * 12 + [GOOD]))
    assert len(rows) == 13 and "12 line(s) could not be scored (line 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...)" in result.stderr


@pytest.mark.parametrize("reply, context, message", [
    (b"not text", "", "reply must be text, got bytes"),
    (None, "", "reply must be text, got NoneType"),
    (["a"], "", "reply must be text, got list"),
    ("x" * (MAX_REPLY_CHARS + 1), "", "the limit is 100,000"),
    ("Hi", {"a": 1}, "context must be text or a list of texts"),
])
def test_score_reply_refuses_what_is_not_text_or_too_big(reply, context, message):
    started = time.perf_counter()
    with pytest.raises(ScoringError, match=message):
        score_reply(reply, context, models=False)
    assert time.perf_counter() - started < 0.5
