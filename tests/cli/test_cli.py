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


def test_user_set_reset_password_and_activation(settings_overrides):
    from click.testing import CliRunner

    runner = CliRunner(env=env(settings_overrides))
    run(runner, "db", "upgrade")
    run(runner, "user", "add", "zoe", "--team", "Blue", "--password", "long-enough-1")
    run(runner, "user", "add", "tim", "--role", "trainer", "--team", "Red", "--password", "long-enough-1")
    changed = run(runner, "user", "set", "zoe", "--role", "reviewer", "--team", "Red")
    assert changed.exit_code == 0 and "zoe: reviewer, team Red" in changed.output
    assert "zoe: reviewer, team (none)" in run(runner, "user", "set", "zoe", "--no-team").output
    unknown = runner.invoke(cli, ["user", "set", "zoe", "--team", "Nowhere"])
    assert unknown.exit_code != 0 and "no team named 'Nowhere'" in unknown.output
    assert runner.invoke(cli, ["user", "set", "zoe"]).exit_code != 0

    made_up = run(runner, "user", "reset-password", "zoe")
    assert made_up.exit_code == 0 and "sessions have ended" in made_up.output
    assert len(made_up.output.split("shown once): ")[1].strip()) >= 12
    chosen = run(runner, "user", "reset-password", "zoe", "--password", "another-long-1")
    assert chosen.exit_code == 0 and "shown once" not in chosen.output
    short = runner.invoke(cli, ["user", "reset-password", "zoe", "--password", "short"])
    assert short.exit_code != 0 and "at least 8 characters" in short.output

    assert "deactivated" in run(runner, "user", "deactivate", "zoe").output
    assert "zoe is active" in run(runner, "user", "activate", "zoe").output


def test_token_list_and_revoke(settings_overrides):
    from click.testing import CliRunner

    runner = CliRunner(env=env(settings_overrides))
    run(runner, "db", "upgrade")
    run(runner, "user", "add", "zoe", "--password", "long-enough-1")
    run(runner, "user", "add", "max", "--password", "long-enough-1")
    run(runner, "token", "create", "zoe", "--label", "reports")
    run(runner, "token", "create", "max", "--label", "sync")
    listed = run(runner, "token", "list").output.splitlines()
    assert listed[0].split() == ["id", "owner", "label", "created", "last", "used", "revoked"]
    assert len(listed) == 3 and "reports" in listed[1] and "never" in listed[1] and listed[1].endswith("no")
    only_max = run(runner, "token", "list", "max").output.splitlines()
    assert len(only_max) == 2 and "sync" in only_max[1]

    revoked = run(runner, "token", "revoke", "1")
    assert revoked.exit_code == 0 and "revoked token 1 of zoe" in revoked.output
    assert run(runner, "token", "list", "zoe").output.splitlines()[1].endswith("yes")
    missing = runner.invoke(cli, ["token", "revoke", "99"])
    assert missing.exit_code != 0 and "no API token with id 99" in missing.output
