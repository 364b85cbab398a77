import json

from click.testing import CliRunner

import coach.cli.scoring_commands  # noqa: F401  (attaches the commands)
from coach.cli.groups import cli

LINES = "\n".join([
    json.dumps({"id": "a1", "context": "My parcel is late!", "reply": "I'm sorry. I'll chase it today."}),
    "{not json",
    json.dumps({"context": "hi", "reply": 7}),
    json.dumps({"context": "I was charged twice", "reply": "Let me fix that, Sam.", "facts": {"name": "Sam"}}),
])


def test_score_text_writes_one_object_per_line_and_passes_extra_keys():
    result = CliRunner().invoke(cli, ["score-text"], input=LINES)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4
    assert rows[0]["id"] == "a1" and set(rows[0]["scores"]) == {"active_listening", "empathy", "clarity", "jargon",
                                                                 "ownership"}
    assert rows[0]["rubric"] == "default@1.0" and "overall" in rows[0] and "tips" in rows[0]
    assert rows[1]["line"] == 2 and "JSON" in rows[1]["error"]
    assert rows[2]["line"] == 3 and "reply" in rows[2]["error"]
    assert "facts" not in rows[3] and any(e["text"] == "Sam" for e in rows[3]["evidence"])
    assert result.exit_code != 0


def test_score_text_exits_zero_when_all_lines_score(tmp_path):
    path = tmp_path / "replies.jsonl"
    path.write_text(json.dumps({"context": "Where is it?", "reply": "It arrives today."}) + "\n")
    result = CliRunner().invoke(cli, ["score-text", str(path)])
    assert result.exit_code == 0 and json.loads(result.stdout)["scores"]


def test_score_text_uses_the_given_rubric(tmp_path):
    rubric = tmp_path / "r.yaml"
    rubric.write_text("name: team\nversion: '3'\nweights: {clarity: 1}\nband_thresholds: [20, 40, 60, 80]\n")
    result = CliRunner().invoke(cli, ["score-text", "--rubric", str(rubric)],
                                input=json.dumps({"context": "x", "reply": "Done."}))
    assert json.loads(result.stdout)["rubric"] == "team@3"


def test_score_text_bad_rubric_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(cli, ["score-text", "--rubric", str(tmp_path / "missing.yaml")], input="")
    assert result.exit_code != 0 and "not found" in result.output
