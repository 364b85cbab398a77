import json

from coach.cli import cli


def run(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def env(settings_overrides):
    return {
        "COACH_INSTANCE_DIR": str(settings_overrides["instance_dir"]),
        "COACH_RECORDINGS_DIR": str(settings_overrides["recordings_dir"]),
        "COACH_DATABASE_URL": settings_overrides["database_url"],
        "COACH_QUEUE_URL": "memory://",
    }


def test_init_demo_creates_every_role_and_user_list_prints_json(settings_overrides):
    from click.testing import CliRunner

    runner = CliRunner(env=env(settings_overrides))
    result = run(runner, "init", "--demo", "--skip-model")
    assert result.exit_code == 0, result.output
    listed = json.loads(run(runner, "user", "list", "--json").output)
    assert {row["role"] for row in listed} == {"admin", "trainer", "reviewer", "trainee"}
    assert all(set(row) == {"username", "role", "team"} for row in listed)
    assert sum(row["team"] == "Support North" for row in listed if row["role"] == "trainee") >= 3


def test_user_add_and_token_create(settings_overrides):
    from click.testing import CliRunner

    runner = CliRunner(env=env(settings_overrides))
    run(runner, "db", "upgrade")
    added = run(runner, "user", "add", "zoe", "--role", "reviewer", "--password", "long-enough-1")
    assert added.exit_code == 0 and "added zoe (reviewer)" in added.output
    token = run(runner, "token", "create", "zoe").output.strip()
    assert token.startswith("coach_") and len(token) > 30
    missing = runner.invoke(cli, ["token", "create", "nobody"])
    assert missing.exit_code != 0 and "no user named" in missing.output
