"""Foundation commands: init, serve, worker, db upgrade, users (add, list, set, unlock, (de)activate, reset-password),
tokens (create, list, revoke), scenario sync."""
from __future__ import annotations

import functools
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
from coach.demo.scale import scale_demo
from coach.demo.seed import load_demo
from coach.jobs import reap_interrupted_jobs
from coach.models import ApiToken, Role, Team, User
from coach.models import Scenario as ScenarioRow
from coach.roleplay import customer_voice
from coach.roleplay.scenario_store import scenario_from_row, sync_scenarios
from coach.rubrics import store as rubric_store
from coach.speech.storage import sweep_incoming
from scenarios import LIBRARY_DIR, load_library
from scenarios.play import RolePlay
from scoring import score_reply
from scoring.jargon import load_jargon_lexicon


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
@click.option("--skip-model", is_flag=True, help="Do not install the Whisper models (replies and calls).")
@click.option("--scale", type=click.IntRange(min=1), default=None,
              help="With --demo, for load tests: N x (200 trainees, 10,000 attempts, 2,000 calls). The attempts are "
                   "copies of the demo's played attempts (times spread, scores moved a few points, no turns); the calls "
                   "reuse the demo calls' real first passes, half with a finalised review.")
def init(demo: bool, skip_model: bool, scale: int | None) -> None:
    """Create or upgrade the database, load the scenarios and install the speech models (replies, calls)."""
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
            click.echo(f"speech model: {model_path}")
            if settings.call_whisper_model != settings.whisper_model:
                call_path = ensure_model(settings.call_whisper_model, settings.asr_engine, settings.instance_dir)
                click.echo(f"call model: {call_path}")
        except ModelInstallError as error:
            raise click.ClickException(str(error)) from None
    with db.session_scope(engine) as session:
        report = sync_scenarios(session, load_library(LIBRARY_DIR))
        click.echo(f"scenarios: {len(report.added)} added, {len(report.updated)} updated, {len(report.archived)} archived")
        for problem in report.problems:
            click.echo(f"  refused {problem}", err=True)
        _speak_customer_lines(session, app.config["COACH"])
        if demo:
            click.echo(load_demo(session, app.config["COACH"], calls=not skip_model))
            if skip_model:
                click.echo("demo calls: skipped with --skip-model (their first pass needs the speech model)")
            if scale:
                click.echo(scale_demo(session, scale))


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=click.IntRange(min=1),
              help="Processes (gunicorn). Default: COACH_WEB_WORKERS, else one per CPU, at least 2.")
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per process.")
@click.option("--server", type=click.Choice(["auto", "gunicorn", "waitress"]), default="auto", show_default=True,
              help="auto: gunicorn where it runs (Linux, macOS), else waitress (one process).")
def serve(host: str, port: int, workers: int | None, threads: int, server: str) -> None:
    """Serve Coach: several gunicorn processes, each with its own app and database engine; waitress as the fallback."""
    app = _app()  # fail fast on bad settings, before any process starts
    app.extensions["coach.engine"].dispose()  # no connection is inherited across fork: each worker opens its own
    workers = workers or app.config["COACH"].web_worker_count
    if server != "waitress" and _gunicorn_runs():
        click.echo(f"Coach is serving on http://{host}:{port}/ ({workers} gunicorn workers x {threads} threads)")
        _run_gunicorn({"bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
                      "timeout": 120, "graceful_timeout": 10, "accesslog": None})
        return
    if server == "gunicorn":
        raise click.ClickException("gunicorn cannot run here (it needs a POSIX system); use --server waitress")
    from waitress import serve as waitress_serve

    click.echo(f"Coach is serving on http://{host}:{port}/ (waitress, one process x {threads * 2} threads)")
    waitress_serve(app, host=host, port=port, threads=threads * 2, ident="coach")


def _gunicorn_runs() -> bool:
    try:
        import gunicorn.app.base  # noqa: F401  (needs fcntl: not on Windows)
    except ImportError:
        return False
    return True


def _run_gunicorn(options: dict) -> None:
    """gunicorn from `coach serve`: each worker builds its own app and engine (create_app after fork, no preload)."""
    from gunicorn.app.base import BaseApplication

    class CoachApplication(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            app = create_app()
            warm_up(app)
            return app

    CoachApplication().run()


WARM_REPLY = "I'm sorry about the wait. I'll check your order now and call you back by 5 pm today."


def warm_up(app) -> None:
    """Before a web worker takes requests: compile every template and warm the role-play scoring, so no one's first
    page or typed reply in a fresh worker pays for that."""
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)
    warm_scoring(app)


def warm_scoring(app) -> None:
    """Load the scoring models, the sentence encoder and each scenario's move matcher by scoring one reply in it."""
    settings = app.config["COACH"]
    try:
        scorer = functools.partial(score_reply, rubric=rubric_store.site_rubric(settings),
                                   lexicon=load_jargon_lexicon(settings.jargon_lexicon))
        with db.session_scope(app.extensions["coach.engine"]) as session:
            rows = session.exec(select(ScenarioRow).where(ScenarioRow.archived == False)).all()  # noqa: E712
            for row in rows:
                RolePlay(scenario_from_row(row), scorer=scorer).reply(WARM_REPLY)
    except Exception as error:  # a worker that cannot warm up still serves; its first reply loads what it needs
        logging.getLogger(__name__).warning("role-play scoring is not warm (%s); the first reply will load it", error)


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
    try:
        queue.warm_up()
    except Exception as error:  # a worker without the speech model still runs the other jobs
        click.echo(f"the role-play speech model is not warm ({error}); the first reply will load it", err=True)
    warm_scoring(app)  # a spoken reply is scored here: its first one should not load the encoder and matchers
    click.echo(f"worker consuming {app.config['COACH'].queue_url}")
    queue.consumer(workers).run()


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


def _person(session, username: str) -> User:
    person = session.exec(select(User).where(User.username == username.lower())).first()
    if person is None:
        raise click.ClickException(f"no user named {username!r}")
    return person


@user_group.command("set")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=None, help="The new role.")
@click.option("--team", "team_name", default=None, help="The team to move USERNAME to.")
@click.option("--no-team", is_flag=True, help="Take USERNAME out of their team.")
def user_set(username: str, role: str | None, team_name: str | None, no_team: bool) -> None:
    """Change USERNAME's role or team."""
    if role is None and team_name is None and not no_team:
        raise click.UsageError("say what to change: --role, --team or --no-team")
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        person = _person(session, username)
        team = None
        if team_name:
            team = session.exec(select(Team).where(Team.name == team_name)).first()
            if team is None:
                raise click.ClickException(f"no team named {team_name!r}")
        try:
            accounts.change_account(session, person, None, role=role, team=team, clear_team=no_team)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        teams = {t.id: t.name for t in session.exec(select(Team))}
        click.echo(f"{person.username}: {person.role.value}, team {teams.get(person.team_id, '(none)')}")


@user_group.command("reset-password")
@click.argument("username")
@click.option("--password", default=None, help="The new password (a random one is made and printed when left out).")
def user_reset_password(username: str, password: str | None) -> None:
    """Give USERNAME a new password and end their sessions; a made-up one is printed once."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        person = _person(session, username)
        new_password = password or accounts.random_password()
        try:
            accounts.set_password(session, person, new_password)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{person.username}'s password is changed; their sessions have ended")
    if password is None:
        click.echo(f"new password (shown once): {new_password}")


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


@token_group.command("list")
@click.argument("username", required=False)
def token_list(username: str | None) -> None:
    """List the API tokens (of USERNAME): id, owner, label, created, last used, revoked."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        query = select(ApiToken).order_by(ApiToken.id)
        if username:
            query = query.where(ApiToken.user_id == _person(session, username).id)
        owners = {u.id: u.username for u in session.exec(select(User))}
        rows = session.exec(query).all()
    click.echo(f"{'id':>4}  {'owner':<16} {'label':<24} {'created':<16} {'last used':<16} revoked")
    for row in rows:
        used = row.last_used_at.strftime("%Y-%m-%d %H:%M") if row.last_used_at else "never"
        click.echo(f"{row.id:>4}  {owners.get(row.user_id, '?'):<16} {row.label or '-':<24} "
                   f"{row.created_at.strftime('%Y-%m-%d %H:%M'):<16} {used:<16} {'yes' if row.revoked else 'no'}")


@token_group.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke the API token TOKEN_ID (see `coach token list`); it stops working at once."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        try:
            row = accounts.revoke_api_token(session, token_id)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        owner = session.get(User, row.user_id)
    click.echo(f"revoked token {token_id} of {owner.username if owner else '?'}")


def _speak_customer_lines(session, settings) -> None:
    """Pre-render the customer's lines of every voice scenario (a failure is reported; the page shows text)."""
    rendered, problems = customer_voice.prerender_library(session, settings)
    click.echo(f"customer voices: {rendered} line(s) rendered")
    for problem in problems:
        click.echo(f"  not spoken: {problem}", err=True)


@scenarios_group.command("sync")
def scenarios_sync() -> None:
    """Load the scenario files into the database (broken files are refused whole)."""
    app = _app()
    with db.session_scope(app.extensions["coach.engine"]) as session:
        report = sync_scenarios(session, load_library(LIBRARY_DIR))
        click.echo(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.archived)} archived")
        _speak_customer_lines(session, app.config["COACH"])
    for problem in report.problems:
        click.echo(f"refused {problem}", err=True)
    if report.problems:
        raise click.exceptions.Exit(1)
