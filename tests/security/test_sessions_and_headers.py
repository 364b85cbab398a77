"""Hardening (issue 13): sessions that end, security headers without inline code, sign-in throttling,
ids no database holds, an error page that needs no database."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import url_for
from flask_login.utils import encode_cookie
from sqlalchemy import text

from coach import create_app, db
from coach.auth import accounts
from coach.cli import cli
from coach.config import ConfigError, settings_from_env
from coach.models import Role
from coach.web import headers, sessions
from coach.web.navigation import entries_for
from tests.conftest import PASSWORD, csrf_from

TEMPLATES = Path(__file__).resolve().parents[2] / "coach" / "templates"
TOO_BIG = 2**64


# --- fixtures and helpers -----------------------------------------------------------------------

@pytest.fixture
def ann(make_user):
    return make_user("ann", Role.trainee)


@pytest.fixture
def copy_of(app):
    """``copy_of(client)``: a second browser holding a copy of the client's session cookie."""
    def copy(client):
        thief = app.test_client()
        thief.set_cookie("session", client.get_cookie("session").value)
        return thief
    return copy


@pytest.fixture
def hash_checks(monkeypatch):
    """Counts the password-hash checks of sign-in, across threads."""
    checked = {"count": 0}
    lock = threading.Lock()
    real = accounts.check_password_hash

    def counting(password_hash, password):
        with lock:
            checked["count"] += 1
        return real(password_hash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return checked


def sign_in(session, username, password=PASSWORD, address="10.0.0.1"):
    return accounts.sign_in(session, username, password, address, max_failures=5, window_s=300, max_address_failures=20)


def cli_runner(settings_overrides) -> CliRunner:
    return CliRunner(env={"COACH_INSTANCE_DIR": str(settings_overrides["instance_dir"]),
                          "COACH_RECORDINGS_DIR": str(settings_overrides["recordings_dir"]),
                          "COACH_DATABASE_URL": settings_overrides["database_url"], "COACH_QUEUE_URL": "memory://"})


def signed_in(app, username, address="127.0.0.1"):
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


# --- sessions -----------------------------------------------------------------------------------

def test_a_copied_session_cookie_stops_working_at_sign_out(app, client, auth, ann, copy_of):
    auth.login("ann")
    thief = copy_of(client)
    assert thief.get("/dashboard").status_code == 200
    client.post("/logout", data={"csrf_token": auth.csrf()})
    assert thief.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_a_password_change_ends_other_sessions_but_keeps_the_changers(app, client, auth, ann, copy_of):
    auth.login("ann")
    thief = copy_of(client)
    client.post("/account/password", data={"current_password": PASSWORD, "new_password": "new-secret-1",
                                           "confirm": "new-secret-1", "csrf_token": auth.csrf("/account/password")})
    assert thief.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_deactivation_ends_sessions_and_reactivation_revives_none(app, client, auth, ann, copy_of, settings_overrides):
    auth.login("ann")
    thief = copy_of(client)
    deactivated = cli_runner(settings_overrides).invoke(cli, ["user", "deactivate", "ann"])
    assert deactivated.exit_code == 0, deactivated.output
    assert thief.get("/dashboard").status_code == 302
    cli_runner(settings_overrides).invoke(cli, ["user", "activate", "ann"])
    assert thief.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_a_session_ends_after_COACH_SESSION_HOURS_however_often_it_is_used(app, client, auth, ann):
    assert app.permanent_session_lifetime == timedelta(hours=12)
    auth.login("ann")
    with client.session_transaction() as cookie:
        cookie[sessions.STARTED_KEY] -= 12 * 3600 + 60  # the cookie itself is freshly signed: only the start is old
    assert client.get("/dashboard").status_code == 302


def test_a_remember_cookie_signs_nobody_in(app, ann):
    with app.test_request_context():
        value = encode_cookie(str(ann.id))
    stranger = app.test_client()
    stranger.set_cookie("remember_token", value)
    assert stranger.get("/dashboard").status_code == 302


def test_session_settings_come_from_the_environment(tmp_path):
    settings = settings_from_env({"COACH_SECURE_COOKIES": "true", "COACH_SESSION_HOURS": "2"})
    assert settings.secure_cookies is True and settings.session_hours == 2.0
    assert settings_from_env({"COACH_SECURE_COOKIES": "off"}).secure_cookies is False
    with pytest.raises(ConfigError, match="COACH_SECURE_COOKIES"):
        settings_from_env({"COACH_SECURE_COOKIES": "maybe"})


def test_secure_cookies_mark_the_cookies_secure_and_send_hsts(settings_overrides):
    secure = create_app({**settings_overrides, "secure_cookies": True})
    assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["REMEMBER_COOKIE_SECURE"]
    db.upgrade(secure.extensions["coach.engine"])
    response = secure.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]
    secure.extensions["coach.engine"].dispose()


# --- security headers and inline code -----------------------------------------------------------

def test_every_response_carries_the_security_headers(client):
    for response in (client.get("/login"), client.get("/static/css/coach.css"), client.get("/no/such/page")):
        assert response.headers["Content-Security-Policy"] == headers.CONTENT_SECURITY_POLICY
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP unless COACH_SECURE_COOKIES
    policy = headers.CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


class InlineCode(HTMLParser):
    """Collects what the Content-Security-Policy would refuse: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attributes.items():
            if name.startswith(("on", "hx-on")) or name == "style":
                self.found.append(f"{tag} {name}=")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_no_template_holds_inline_script_style_or_handlers():
    pattern = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\son[a-z]+\s*=|\shx-on|\sstyle\s*=|javascript:", re.IGNORECASE)
    offenders = [f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
                 for path in TEMPLATES.rglob("*.html") for match in pattern.finditer(path.read_text())]
    assert offenders == []


def test_the_main_pages_render_without_inline_code(app, team_setup):
    anonymous = app.test_client()
    pages = {"/login": anonymous.get("/login"), "404": anonymous.get("/no/such/page")}
    for user in (team_setup["ann"], team_setup["trainer"], team_setup["rita"], team_setup["admin"]):
        client = signed_in(app, user.username)
        with app.test_request_context():
            paths = ["/dashboard", "/account/password"] + [url_for(entry.endpoint) for entry in entries_for(app, "nav", user.role)]
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (user.username, path)
            pages[f"{user.username} {path}"] = response
            if path == "/dashboard":  # and the panels the dashboard loads with htmx
                for panel in re.findall(r'hx-get="([^"]+)"', response.get_data(as_text=True)):
                    pages[f"{user.username} {panel}"] = client.get(panel)
    assert len(pages) > 12
    problems = {name: inline_code(response.get_data(as_text=True)) for name, response in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}


# --- sign-in throttling -------------------------------------------------------------------------

def test_twenty_concurrent_wrong_guesses_check_at_most_the_limit(app, ann, hash_checks):
    guessers = [app.test_client() for _ in range(20)]
    tokens = [csrf_from(guesser.get("/login").get_data(as_text=True)) for guesser in guessers]
    start = threading.Barrier(len(guessers))

    def guess(index: int) -> int:
        start.wait()
        return guessers[index].post("/login", data={"username": "ann", "password": f"guess-{index:04d}",
                                                    "csrf_token": tokens[index]}).status_code

    with ThreadPoolExecutor(max_workers=len(guessers)) as pool:
        statuses = list(pool.map(guess, range(len(guessers))))
    assert hash_checks["count"] == app.config["COACH"].login_attempts == 5
    assert sorted(statuses) == [401] * 5 + [429] * 15


def test_concurrent_guesses_from_many_addresses_are_bounded_per_account(app, ann, hash_checks):
    engine = app.extensions["coach.engine"]

    def guess(index: int):
        with db.session_scope(engine) as session:
            return sign_in(session, "ann", f"guess-{index:04d}", address=f"10.1.0.{index}")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(guess, range(20)))
    assert hash_checks["count"] == 5
    assert sum(result.locked_by == "account" for result in results) == 15


def test_unknown_usernames_cost_one_hash_check_like_known_ones(session, ann, hash_checks):
    assert sign_in(session, "nobody-here", "whatever-1").user is None
    assert hash_checks["count"] == 1
    assert accounts._dummy_hash().split("$")[0] == ann.password_hash.split("$")[0]  # same method and cost
    accounts.set_active(session, ann, False)
    assert sign_in(session, "ann").user is None and hash_checks["count"] == 2  # inactive: checked all the same


def test_a_stranger_cannot_lock_the_admin_out_of_an_address_they_used_before(app, make_user):
    make_user("root", Role.admin)
    signed_in(app, "root", address="10.0.0.1")
    attacker = app.test_client()
    for attempt in range(6):
        token = csrf_from(attacker.get("/login").get_data(as_text=True))
        response = attacker.post("/login", data={"username": "root", "password": f"guess-{attempt}", "csrf_token": token},
                                 environ_base={"REMOTE_ADDR": "10.6.6.6"})
    assert response.status_code == 429 and "for this account" in response.get_data(as_text=True)
    new_place = app.test_client()
    token = csrf_from(new_place.get("/login").get_data(as_text=True))
    assert new_place.post("/login", data={"username": "root", "password": PASSWORD, "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 429
    assert signed_in(app, "root", address="10.0.0.1").get("/dashboard").status_code == 200


def test_one_address_guessing_many_accounts_is_throttled(session, make_user):
    make_user("ann")
    for index in range(20):
        assert sign_in(session, f"user{index}", "guess-guess", address="10.6.6.6").locked_for_s == 0
    refused = sign_in(session, "ann", address="10.6.6.6")
    assert refused.user is None and refused.locked_by == "address" and 0 < refused.locked_for_s <= 300
    assert sign_in(session, "ann", address="10.0.0.2").user is not None


def test_coach_user_unlock_lifts_the_lock(session, ann, settings_overrides):
    for _ in range(5):
        sign_in(session, "ann", "guess-guess")
    assert sign_in(session, "ann").locked_by == "account"
    unlocked = cli_runner(settings_overrides).invoke(cli, ["user", "unlock", "ann"])
    assert unlocked.exit_code == 0 and "5 failed sign-in(s) forgotten" in unlocked.output
    assert sign_in(session, "ann").user is not None
    missing = cli_runner(settings_overrides).invoke(cli, ["user", "unlock", "nobody"])
    assert missing.exit_code != 0 and "no user named" in missing.output


def test_the_current_password_check_is_throttled_too(client, auth, ann):
    auth.login("ann")
    for attempt in range(6):
        page = client.post("/account/password", data={"current_password": f"guess-{attempt}", "new_password": "new-secret-1",
                                                      "confirm": "new-secret-1", "csrf_token": auth.csrf("/account/password")})
    assert "Too many failed sign-ins" in page.get_data(as_text=True)


# --- ids no database holds ----------------------------------------------------------------------

def test_ids_above_2_63_are_not_found_on_every_route(app, make_user):
    make_user("root", Role.admin)
    client = signed_in(app, "root")
    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(rules) > 15
    for rule in rules:
        path = re.sub(r"<[^>]+>", "x", re.sub(r"<int:[^>]+>", str(TOO_BIG), rule.rule))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert client.open(path, method=method).status_code != 500, (method, path)
    for path in (f"/jobs/{TOO_BIG}", f"/review/{TOO_BIG}", f"/review/{TOO_BIG}/status", f"/jobs/{2**63 - 1}"):
        assert client.get(path).status_code == 404, path


# --- the error page needs no database -----------------------------------------------------------

def test_a_database_error_renders_the_error_page(app, ann):
    @app.get("/test-only/broken")
    def broken():
        db.get_session().execute(text("SELECT * FROM no_such_table"))

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 handler answers
    response = app.test_client().get("/test-only/broken")
    assert response.status_code == 500 and "Something went wrong" in response.get_data(as_text=True)
    client = signed_in(app, "ann")
    page = client.get("/test-only/broken").get_data(as_text=True)
    assert "Something went wrong" in page and "Sign out" not in page
    assert client.get("/dashboard").status_code == 200  # the session was rolled back, not left broken


def test_the_error_page_renders_when_the_users_table_is_gone(app, ann):
    client = signed_in(app, "ann")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with app.extensions["coach.engine"].begin() as connection:
        connection.execute(text("ALTER TABLE users RENAME TO users_gone"))
    response = client.get("/dashboard")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == headers.CONTENT_SECURITY_POLICY
