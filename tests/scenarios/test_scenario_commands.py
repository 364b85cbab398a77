"""``coach scenarios check|list`` and ``coach play`` from the command line."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coach.cli import scenario_commands  # noqa: F401  (attaches the commands to the groups)
from coach.cli.groups import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_check_passes_a_good_file(tiny_file):
    result = run("scenarios", "check", str(tiny_file))
    assert result.exit_code == 0, result.output
    # tiny.yaml's refund transition rests on a keyword alone: a warning, not a problem
    assert result.stdout.count("\n") == 1 and "warning:" in result.stdout and "rests on keywords alone" in result.stdout


def test_check_prints_file_line_message_and_fails(write_scenario, tiny_text):
    path = write_scenario(tiny_text.replace("    default: waiting\n", "    default: nowhere\n"))
    result = run("scenarios", "check", str(path))
    assert result.exit_code == 1
    line = tiny_text[: tiny_text.index("    default: waiting")].count("\n") + 1
    assert result.stdout == f"{path}:{line}: turn 'opening': default goes to missing turn or ending 'nowhere'\n"


def test_check_defaults_to_the_scenarios_dir(write_scenario, tiny_text):
    path = write_scenario(tiny_text.replace("channel: chat", "channel: fax"))
    result = run("scenarios", "check", "--scenarios-dir", str(path.parent))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:3: channel:")


def test_check_refuses_an_empty_folder(tmp_path):
    result = run("scenarios", "check", str(tmp_path))
    assert result.exit_code != 0
    assert "no scenario files" in result.output


def test_list_json_names_each_loadable_scenario(tiny_file):
    result = run("scenarios", "list", "--json", "--scenarios-dir", str(tiny_file.parent))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"id": "tiny", "title": "A tiny test scenario", "channel": "chat", "difficulty": "easy", "skills": ["empathy"]}
    ]


def test_play_json_stops_unfinished_when_replies_run_out(tiny_file, tmp_path):
    replies = tmp_path / "replies.txt"
    replies.write_text("# a comment line\n\nOkay.\n")
    result = run("play", "tiny", "--replies", str(replies), "--json", "--scenarios-dir", str(tiny_file.parent))
    assert result.exit_code == 0, result.output
    played = json.loads(result.stdout)
    assert played["scenario"] == "tiny"
    assert [turn["customer"] for turn in played["turns"]] == ["Where is my parcel?"]
    assert played["turns"][0]["reply"] == "Okay."
    assert set(played["turns"][0]["scores"]) == {"active_listening", "empathy", "clarity", "jargon", "ownership"}
    assert isinstance(played["turns"][0]["mood"], int)
    assert played["ending"] == {"id": None, "outcome": "unfinished", "reason": ""}


def test_play_prints_lines_scores_mood_and_ending(tiny_file, tmp_path):
    replies = tmp_path / "replies.txt"
    replies.write_text("I'm so sorry it's late, I'll refund your order right now.\n")
    result = run("play", "tiny", "--replies", str(replies), "--scenarios-dir", str(tiny_file.parent))
    assert result.exit_code == 0, result.output
    assert "Customer [opening]: Where is my parcel?" in result.stdout
    assert "scores: active_listening" in result.stdout
    assert "mood: 40 -> " in result.stdout
    assert "Ending: refunded (resolved)" in result.stdout


def test_play_an_unknown_scenario_fails_clearly(tiny_file, tmp_path):
    replies = tmp_path / "replies.txt"
    replies.write_text("Hello\n")
    result = run("play", "nope", "--replies", str(replies), "--scenarios-dir", str(tiny_file.parent))
    assert result.exit_code != 0
    assert "no scenario 'nope'" in result.output


def test_play_json_explains_each_decision(tmp_path):
    scenario_dir = tmp_path / "library"
    scenario_dir.mkdir()
    (scenario_dir / "moves.yaml").write_text((Path(__file__).parent / "data" / "moves.yaml").read_text())
    replies = tmp_path / "replies.txt"
    replies.write_text("Let me get a fresh parcel out to you this afternoon.\n")
    result = run("play", "moves-test", "--replies", str(replies), "--json", "--scenarios-dir", str(scenario_dir))
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)["turns"][0]["decision"]
    assert decision["goto"] == "sent" and "made resend" in decision["why"]
    resend = next(move for move in decision["moves"] if move["move"] == "resend")
    assert resend["made"] and set(resend) == {"move", "kind", "made", "sentence", "example", "similarity", "why"}
