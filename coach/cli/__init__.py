"""The ``coach`` console script: one module per area attaches its commands to the groups."""
from __future__ import annotations

import sys

import click

# each area module registers its commands on the groups when imported
from coach.cli import (  # noqa: F401
    call_commands,
    core_commands,
    rubric_commands,
    scenario_commands,
    scoring_commands,
    speech_commands,
)
from coach.cli.groups import cli
from coach.config import ConfigError

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point: configuration errors end the command with one clear line and exit code 2."""
    try:
        cli.main(standalone_mode=False)
    except ConfigError as error:
        click.echo(f"coach: configuration error: {error}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
