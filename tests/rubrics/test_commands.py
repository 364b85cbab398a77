"""``coach rubrics list|add|assign`` on a database made by the commands themselves."""
import json

from click.testing import CliRunner

from coach.cli import cli
from tests.rubrics.conftest import OWNERSHIP_ONLY, rubric_yaml
from tests.cli.test_cli import env


def listed(runner) -> dict:
    result = runner.invoke(cli, ["rubrics", "list", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {row["label"]: row for row in json.loads(result.output)}


def test_add_list_and_assign_a_rubric(settings_overrides, tmp_path):
    runner = CliRunner(env=env(settings_overrides))
    runner.invoke(cli, ["db", "upgrade"], catch_exceptions=False)
    runner.invoke(cli, ["user", "add", "ann", "--team", "Blue", "--password", "long-enough-1"], catch_exceptions=False)
    path = tmp_path / "ownership.yaml"
    path.write_text(OWNERSHIP_ONLY)

    added = runner.invoke(cli, ["rubrics", "add", str(path)], catch_exceptions=False)
    assert added.exit_code == 0 and "added ownership-only@1" in added.output
    rows = listed(runner)
    assert rows["default@1.0"]["origin"] == "site" and rows["default@1.0"]["teams"] == ["Blue"]
    assert rows["ownership-only@1"] == {"label": "ownership-only@1", "name": "ownership-only", "version": "1",
                                        "origin": "uploaded", "description": "Only ownership counts.", "teams": []}

    assigned = runner.invoke(cli, ["rubrics", "assign", "Blue", "ownership-only@1"], catch_exceptions=False)
    assert assigned.exit_code == 0 and "Blue is scored with ownership-only@1" in assigned.output
    assert listed(runner)["ownership-only@1"]["teams"] == ["Blue"]
    text = runner.invoke(cli, ["rubrics", "list"], catch_exceptions=False).output
    assert "ownership-only@1" in text and "teams: Blue" in text

    back = runner.invoke(cli, ["rubrics", "assign", "Blue", "default"], catch_exceptions=False)
    assert back.exit_code == 0 and "default@1.0 (the site rubric)" in back.output
    assert listed(runner)["default@1.0"]["teams"] == ["Blue"]


def test_add_refuses_a_broken_or_taken_rubric_with_the_reason(settings_overrides, tmp_path):
    runner = CliRunner(env=env(settings_overrides))
    runner.invoke(cli, ["db", "upgrade"], catch_exceptions=False)
    broken = tmp_path / "broken.yaml"
    broken.write_text(rubric_yaml(weights="{kindness: 1}"))
    refused = runner.invoke(cli, ["rubrics", "add", str(broken)])
    assert refused.exit_code == 1 and "broken.yaml: rubric: weights must map dimensions" in refused.output
    taken = tmp_path / "default.yaml"
    taken.write_text(rubric_yaml(name="default", version="1.0"))
    refused = runner.invoke(cli, ["rubrics", "add", str(taken)])
    assert refused.exit_code == 1 and "default@1.0 exists already" in refused.output
    assert set(listed(runner)) == {"default@1.0"}


def test_assign_names_a_missing_team_or_rubric(settings_overrides):
    runner = CliRunner(env=env(settings_overrides))
    runner.invoke(cli, ["db", "upgrade"], catch_exceptions=False)
    runner.invoke(cli, ["user", "add", "ann", "--team", "Blue", "--password", "long-enough-1"], catch_exceptions=False)
    missing_team = runner.invoke(cli, ["rubrics", "assign", "Green", "default"])
    assert missing_team.exit_code == 1 and "no team named 'Green'" in missing_team.output
    missing_rubric = runner.invoke(cli, ["rubrics", "assign", "Blue", "strict@9"])
    assert missing_rubric.exit_code == 1 and "There is no rubric strict@9" in missing_rubric.output
