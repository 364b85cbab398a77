"""Broken scenario files are refused whole, each problem named with its file and line."""
from __future__ import annotations

import pytest

from scenarios import ScenarioError, check_paths, load_library, load_scenario


def line_of(text: str, snippet: str) -> int:
    """The 1-based line where ``snippet`` first appears."""
    return text[: text.index(snippet)].count("\n") + 1


def only_problem(path):
    problems = check_paths([path])
    assert len(problems) == 1, problems
    assert problems[0].file == str(path)
    return problems[0]


def test_valid_scenario_loads_complete(tiny_file):
    scenario = load_scenario(tiny_file)
    assert scenario.id == "tiny"
    assert scenario.start_turn == "opening"
    assert [turn.id for turn in scenario.turns] == ["opening", "waiting"]
    assert scenario.source == str(tiny_file)
    assert check_paths([tiny_file]) == []


def test_yaml_syntax_error_is_reported_at_its_line(write_scenario, tiny_text):
    text = tiny_text.replace("  name: Sam\n", "  name: [Sam\n")
    path = write_scenario(text)
    problem = check_paths([path])[0]
    assert "YAML syntax error" in problem.message
    assert problem.line >= line_of(text, "name: [Sam")


def test_unknown_key_is_named_with_its_line(write_scenario, tiny_text):
    text = tiny_text.replace("    customer: So what now?\n", "    customer: So what now?\n    colour: red\n")
    problem = only_problem(write_scenario(text))
    assert problem.message == "unknown key 'colour' in turns[1]"
    assert problem.line == line_of(text, "colour: red")


def test_wrong_type_is_reported_at_the_value(write_scenario, tiny_text):
    text = tiny_text.replace("  mood: 40\n", "  mood: very angry\n")
    problem = only_problem(write_scenario(text))
    assert problem.message.startswith("persona.mood:")
    assert "integer" in problem.message
    assert problem.line == line_of(text, "mood: very angry")


def test_mood_outside_0_to_100_is_refused(write_scenario, tiny_text):
    problem = only_problem(write_scenario(tiny_text.replace("  mood: 40\n", "  mood: 140\n")))
    assert "persona.mood" in problem.message and "100" in problem.message


def test_missing_key_points_at_its_parent(write_scenario, tiny_text):
    text = tiny_text.replace("    default: gave_up\n", "")
    problem = only_problem(write_scenario(text))
    assert problem.message == "missing key 'default' in turns[1]"
    assert problem.line == line_of(text, "- id: waiting")


def test_unknown_dimension_in_a_condition_is_refused(write_scenario, tiny_text):
    text = tiny_text.replace("scores_at_least: {empathy: 60}", "scores_at_least: {kindness: 60}")
    problem = only_problem(write_scenario(text))
    assert "'kindness' is not allowed here" in problem.message
    assert problem.line == line_of(text, "kindness")


def test_transition_to_a_missing_turn_is_named(write_scenario, tiny_text):
    text = tiny_text.replace("        goto: thanks\n    default: gave_up", "        goto: thankz\n    default: gave_up")
    problems = check_paths([write_scenario(text)])
    assert problems[0].message == "turn 'waiting': transition to missing turn or ending 'thankz'"
    assert problems[0].line == line_of(text, "goto: thankz")


def test_default_to_a_missing_turn_is_named(write_scenario, tiny_text):
    text = tiny_text.replace("    default: waiting\n", "    default: nowhere\n")
    problem = check_paths([write_scenario(text)])[0]
    assert problem.message == "turn 'opening': default goes to missing turn or ending 'nowhere'"
    assert problem.line == line_of(text, "default: nowhere")


def test_unreachable_turn_is_reported(write_scenario, tiny_text):
    text = tiny_text.replace("endings:\n", "  - id: island\n    customer: Nobody gets here.\n    default: thanks\nendings:\n")
    problem = only_problem(write_scenario(text))
    assert problem.message == "turn 'island' is unreachable from the start turn 'opening'"
    assert problem.line == line_of(text, "- id: island")


def test_unreachable_ending_is_reported(write_scenario, tiny_text):
    text = tiny_text.replace("        goto: refunded\n", "        goto: thanks\n")
    problem = only_problem(write_scenario(text))
    assert problem.message == "ending 'refunded' is unreachable from the start turn 'opening'"
    assert problem.line == line_of(text, "- id: refunded")


def test_turn_with_no_way_to_an_ending_is_reported(write_scenario, tiny_text):
    text = tiny_text.replace("        goto: thanks\n    default: gave_up", "        goto: loop\n    default: loop") \
        .replace("endings:\n", "  - id: loop\n    customer: Round we go.\n    default: waiting\nendings:\n")
    problems = check_paths([write_scenario(text)])
    messages = {problem.message: problem.line for problem in problems}
    assert messages == {
        "turn 'waiting' has no way to an ending (every path from it loops back)": line_of(text, "- id: waiting"),
        "turn 'loop' has no way to an ending (every path from it loops back)": line_of(text, "- id: loop"),
    }


def test_missing_audio_file_is_reported(write_scenario, tiny_text):
    text = tiny_text.replace("    customer: So what now?\n", "    customer: So what now?\n    audio: waiting.ogg\n")
    path = write_scenario(text)
    problem = only_problem(path)
    assert problem.message == "turn 'waiting': audio file 'waiting.ogg' not found beside the scenario"
    assert problem.line == line_of(text, "audio: waiting.ogg")
    (path.parent / "waiting.ogg").write_bytes(b"OggS")
    assert check_paths([path]) == []
    scenario = load_scenario(path)
    assert scenario.audio_path(scenario.turn("waiting")) == path.parent / "waiting.ogg"
    assert scenario.audio_path(scenario.turn("opening")) is None


def test_turn_and_ending_ids_must_not_repeat(write_scenario, tiny_text):
    text = tiny_text.replace("  - id: refunded\n", "  - id: waiting\n").replace("goto: refunded", "goto: thanks")
    problems = check_paths([write_scenario(text)])
    assert any(p.message.startswith("id 'waiting' is used twice") and p.line == text.count("\n", 0, text.index("  - id: waiting\n    outcome")) + 1
               for p in problems)


def test_repeated_yaml_key_is_reported(write_scenario, tiny_text):
    text = tiny_text.replace("  mood: 40\n", "  mood: 40\n  mood: 50\n")
    problem = only_problem(write_scenario(text))
    assert problem.message == "duplicate key 'mood' in persona"
    assert problem.line == line_of(text, "mood: 50")


def test_unknown_fact_in_a_condition_is_reported(write_scenario, tiny_text):
    text = tiny_text.replace("facts_mentioned: [order_number]", "facts_mentioned: [tracking_number]")
    problem = only_problem(write_scenario(text))
    assert problem.message == "turn 'opening': facts_mentioned names unknown fact 'tracking_number'"


def test_empty_condition_is_refused(write_scenario, tiny_text):
    text = tiny_text.replace("when: {scores_at_least: {empathy: 60}}", "when: {}")
    problem = only_problem(write_scenario(text))
    assert "empty condition" in problem.message
    assert problem.line == line_of(text, "when: {}")


def test_duplicate_scenario_ids_across_files_are_reported(write_scenario, tiny_text):
    first = write_scenario(tiny_text, "a.yaml")
    second = write_scenario("# the same scenario again\n" + tiny_text, "b.yaml")
    problems = check_paths([first.parent])
    assert len(problems) == 1
    assert problems[0].file == str(second)
    assert problems[0].line == 2
    assert problems[0].message == f"duplicate scenario id 'tiny' (already used in {first}:1)"


def test_every_problem_in_a_file_is_reported(write_scenario, tiny_text):
    text = tiny_text.replace("  mood: 40\n", "  mood: calm\n").replace("channel: chat", "channel: fax")
    problems = check_paths([write_scenario(text)])
    assert [p.line for p in problems] == [line_of(text, "channel: fax"), line_of(text, "mood: calm")]


def test_a_broken_file_is_never_half_loaded(write_scenario, tiny_text):
    path = write_scenario(tiny_text.replace("    default: waiting\n", "    default: nowhere\n"))
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert raised.value.file == str(path)
    assert raised.value.line == tiny_text.count("\n", 0, tiny_text.index("    default: waiting")) + 1
    assert "nowhere" in raised.value.message
    assert str(raised.value).startswith(f"{path}:")


def test_library_keeps_good_files_and_reports_broken_ones(write_scenario, tiny_text):
    good = write_scenario(tiny_text, "good.yaml")
    write_scenario(tiny_text.replace("id: tiny", "id: other").replace("  mood: 40\n", "  mood: calm\n"), "bad.yaml")
    library = load_library(good.parent)
    assert [scenario.id for scenario in library] == ["tiny"]
    assert [problem.file for problem in library.problems] == [str(good.parent / "bad.yaml")]


def test_a_file_that_is_not_a_mapping_is_refused(write_scenario):
    problem = only_problem(write_scenario("- just\n- a list\n"))
    assert problem.line == 1 and "mapping" in problem.message


def test_a_fact_that_is_not_text_or_a_number_is_one_problem(write_scenario, tiny_text):
    text = tiny_text.replace("  order_number: AB-123\n", "  order_number: [1, 2]\n")
    problem = only_problem(write_scenario(text))
    assert problem.message == "facts.order_number: should be text or a number"
    assert problem.line == line_of(text, "order_number: [1, 2]")


def test_yaml_booleans_in_keyword_lists_are_caught(write_scenario, tiny_text):
    text = tiny_text.replace("mentions_any: [refund*]", "mentions_any: [refund*, off]")
    problem = only_problem(write_scenario(text))
    assert problem.message == "turns[0].transitions[1].when.mentions_any[1]: Input should be a valid string"


def test_a_persona_voice_must_be_an_espeak_ng_voice_name(write_scenario, tiny_text):
    assert load_scenario(write_scenario(tiny_text.replace("  mood: 40\n", "  mood: 40\n  voice: en-gb+f3\n"))).persona.voice == "en-gb+f3"
    problem = only_problem(write_scenario(tiny_text.replace("  mood: 40\n", "  mood: 40\n  voice: '-w /etc/x'\n")))
    assert "persona.voice" in problem.message
