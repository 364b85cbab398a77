"""Foundation commands: init, serve, worker, db upgrade, users (add, list, unlock, (de)activate), tokens, scenario sync."""
from __future__ import annotations

import json
import logging

import click
from sqlmodel import select

from coach import create_app, db
from coach.auth import accounts
from coach.cli.groups import cli
from coach.cli.groups import db as db_group
from coach.cli.groups import scenarios as scenarios_group
from coach.cli.groups import token as token_group
from coach.cli.groups import user as user_group
from coach.demo.seed import load_demo
from coach.jobs import reap_interrupted_jobs
from coach.models import Role, Team, User
from coach.roleplay.scenario_store import sync_scenarios
from coach.speech.storage import sweep_incoming
from scenarios import LIBRARY_DIR, load_library


def _app():
    return create_app()


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    app = _app()
    db.upgrade(app.extensions["coach.engine"])
    click.echo("database is up to date")


@cli.command("init")
@click.option("--demo", is_flag=True, help="Also load demo users, teams, weeks of history and reviewed demo calls.")
@click.option("--skip-model", is_flag=True, help="Do not install the Whisper model.")
def init(demo: bool, skip_model: bool) -> None:
    """Create or upgrade the database, load the scenarios and install the speech model."""
    app = _app()
    engine = app.extensions["coach.engine"]
    db.upgrade(engine)
    click.echo("database: migrated")
    if swept := sweep_incoming(app.config["COACH"].recordings_dir):
        click.echo(f"recordings: removed {swept} upload(s) left half-written by a crash")
    if not skip_model:  # before the demo data: the demo calls' first passes need it
        from coach.speech.model_install import ModelInstallError, ensure_model  # the speech stack, only when needed

        settings = app.config["COACH"]
        try:
            model_path = ensure_model(settings.whisper_model, settings.asr_engine, settings.instance_dir)
        except ModelInstallError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"speech model: {model_path}")
    with db.session_scope(engine) as session:
        report = sync_scenarios(session, load_library(LIBRARY_DIR))
        click.echo(f"scenarios: {len(report.added)} added, {len(report.updated)} updated, {len(report.archived)} archived")
        for problem in report.problems:
            click.echo(f"  refused {problem}", err=True)
        if demo:
            click.echo(load_demo(session, app.config["COACH"], calls=not skip_model))
            if skip_model:
                click.echo("demo calls: skipped with --skip-model (their first pass needs the speech model)")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve Coach with the waitress WSGI server."""
    from waitress import serve as waitress_serve

    app = _app()
    click.echo(f"Coach is serving on http://{host}:{port}/")
    waitress_serve(app, host=host, port=port, threads=threads, ident="coach")


@cli.command("worker")
@click.option("--workers", default=1, show_default=True, type=int, help="Jobs run at once in this process.")
def worker(workers: int) -> None:
    """Run the job-queue consumer (transcription, call scoring)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = _app()
    queue = app.extensions["coach.jobs.queue"]
    with db.session_scope(app.extensions["coach.engine"]) as session:
        reaped = reap_interrupted_jobs(session)
    if reaped:
        click.echo(f"marked {reaped} interrupted job(s) as failed and retryable")
    if swept := sweep_incoming(app.config["COACH"].recordings_dir):
        click.echo(f"removed {swept} upload(s) left half-written by a crash")
    click.echo(f"worker consuming {app.config['COACH'].queue_url}")
    queue.huey.create_consumer(workers=workers, worker_type="thread", check_worker_health=True).run()


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="trainee", show_default=True)
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.option("--team", "team_name", default=None, help="Team name (created if missing).")
@click.password_option(help="Initial password (prompted when left out).")
def user_add(username: str, role: str, display_name: str, team_name: str | None, password: str) -> None:
    """Add a user."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        team = None
        if team_name:
            team = session.exec(select(Team).where(Team.name == team_name)).first() or accounts.create_team(session, team_name)
        try:
            created = accounts.create_user(session, username, password, role, display_name, team)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"added {created.username} ({created.role.value})")


@user_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print [{username, role, team}] as JSON.")
def user_list(as_json: bool) -> None:
    """List the users."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        teams = {t.id: t.name for t in session.exec(select(Team))}
        rows = [{"username": u.username, "role": u.role.value, "team": teams.get(u.team_id)}
                for u in session.exec(select(User).order_by(User.username))]
    if as_json:
        click.echo(json.dumps(rows))
    else:
        for row in rows:
            click.echo(f"{row['username']:<20} {row['role']:<9} {row['team'] or ''}")


@user_group.command("unlock")
@click.argument("username")
def user_unlock(username: str) -> None:
    """Lift the sign-in lock on USERNAME (forgets its failed sign-ins)."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        if session.exec(select(User).where(User.username == username.lower())).first() is None:
            raise click.ClickException(f"no user named {username!r}")
        forgotten = accounts.unlock(session, username)
    click.echo(f"unlocked {username.lower()}: {forgotten} failed sign-in(s) forgotten")


@user_group.command("deactivate")
@click.argument("username")
def user_deactivate(username: str) -> None:
    """Stop USERNAME from signing in; ends the account's sessions at once."""
    _set_active(username, False)


@user_group.command("activate")
@click.argument("username")
def user_activate(username: str) -> None:
    """Let a deactivated USERNAME sign in again."""
    _set_active(username, True)


def _set_active(username: str, active: bool) -> None:
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        person = session.exec(select(User).where(User.username == username.lower())).first()
        if person is None:
            raise click.ClickException(f"no user named {username!r}")
        accounts.set_active(session, person, active)
        click.echo(f"{person.username} is {'active' if active else 'deactivated; their sessions have ended'}")


@token_group.command("create")
@click.argument("username")
@click.option("--label", default="", help="What the token is for.")
def token_create(username: str, label: str) -> None:
    """Create an API token for USERNAME and print it (shown once)."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        owner = session.exec(select(User).where(User.username == username.lower())).first()
        if owner is None:
            raise click.ClickException(f"no user named {username!r}")
        click.echo(accounts.create_api_token(session, owner, label))


@scenarios_group.command("sync")
def scenarios_sync() -> None:
    """Load the scenario files into the database (broken files are refused whole)."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        report = sync_scenarios(session, load_library(LIBRARY_DIR))
    click.echo(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.archived)} archived")
    for problem in report.problems:
        click.echo(f"refused {problem}", err=True)
    if report.problems:
        raise click.exceptions.Exit(1)
