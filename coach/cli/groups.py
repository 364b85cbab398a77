"""The ``coach`` command and its sub-groups; area modules attach their commands here."""
import click


@click.group()
def cli() -> None:
    """Coach: soft-skill coaching and call QA for customer-service teams."""


@cli.group()
def db() -> None:
    """Database schema."""


@cli.group()
def user() -> None:
    """User accounts."""


@cli.group()
def token() -> None:
    """API tokens."""


@cli.group()
def models() -> None:
    """Speech and scoring models."""


@cli.group()
def scenarios() -> None:
    """Role-play scenario files."""


@cli.group()
def rubrics() -> None:
    """Scoring rubrics: the built-in and uploaded ones, and each team's."""
