"""``coach rubrics list|add|assign``: the rubrics there are, storing a new one, choosing a team's."""
from __future__ import annotations

import json
from pathlib import Path

import click
from sqlmodel import select

from coach import create_app, db
from coach.cli.groups import rubrics as rubrics_group
from coach.models import Team
from coach.rubrics import store as rubric_store
from coach.rubrics.store import RubricStoreError


def _app():
    return create_app()


@rubrics_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print [{label, name, version, origin, description, teams}] as JSON.")
def rubrics_list(as_json: bool) -> None:
    """List the site, built-in and uploaded rubrics with the teams each one scores."""
    app = _app()
    settings = app.config["COACH"]
    with db.session_scope(app.extensions["coach.engine"]) as session:
        teams = list(session.exec(select(Team).order_by(Team.name)))
        using = {team.name: rubric_store.team_rubric(session, settings, team).label for team in teams}
        rows = [{"label": entry.label, "name": entry.rubric.name, "version": entry.rubric.version,
                 "origin": entry.origin, "description": entry.rubric.description,
                 "teams": [name for name, label in using.items() if label == entry.label]}
                for entry in rubric_store.all_rubrics(session, settings)]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for row in rows:
        teams_text = f"  teams: {', '.join(row['teams'])}" if row["teams"] else ""
        click.echo(f"{row['label']:<28} {row['origin']:<9}{teams_text}")


@rubrics_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def rubrics_add(file: Path) -> None:
    """Check the rubric YAML FILE and store it, so teams can be given it."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        try:
            with file.open("rb") as handle:
                text = rubric_store.rubric_text(handle.read(rubric_store.MAX_RUBRIC_BYTES + 1))
            row = rubric_store.add_rubric(session, app.config["COACH"], text)
        except RubricStoreError as error:
            raise click.ClickException(f"{file}: {error}") from None
        click.echo(f"added {row.label}")


@rubrics_group.command("assign")
@click.argument("team_name", metavar="TEAM")
@click.argument("label", metavar="NAME@VERSION")
def rubrics_assign(team_name: str, label: str) -> None:
    """Score TEAM with the uploaded rubric NAME@VERSION, or with the site rubric again when it is 'default'."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        team = session.exec(select(Team).where(Team.name == team_name)).first()
        if team is None:
            raise click.ClickException(f"no team named {team_name!r}")
        try:
            entry = rubric_store.assign_rubric(session, app.config["COACH"], team, label)
        except RubricStoreError as error:
            raise click.ClickException(str(error)) from None
        origin = " (the site rubric)" if entry.origin == "site" else ""
        click.echo(f"{team.name} is scored with {entry.label}{origin}")
