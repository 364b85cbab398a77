"""Coach: the Flask application factory."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from coach import db
from coach.admin.routes import bp as admin_bp
from coach.api.routes import bp as api_bp
from coach.auth.routes import bp as auth_bp
from coach.config import Settings, settings_from_env, validate
from coach.curricula.routes import bp as curricula_bp
from coach.jobs import JobQueue
from coach.jobs.routes import bp as jobs_bp
from coach.progress.routes import bp as progress_bp
from coach.review.routes import bp as review_bp
from coach.roleplay.routes import bp as roleplay_bp
from coach.rubrics.routes import bp as rubrics_bp
from coach.web.converters import DatabaseIdConverter
from coach.web.dates import FILTERS as DATE_FILTERS
from coach.web.errors import register_error_pages
from coach.web.extensions import csrf, htmx, login_manager
from coach.web.headers import register_security_headers
from coach.web.navigation import entries_for
from coach.web.routes import bp as main_bp
from scoring.skills import SKILL_NAMES, skill_name

BLUEPRINTS = (auth_bp, main_bp, admin_bp, jobs_bp, roleplay_bp, curricula_bp, progress_bp, api_bp, review_bp, rubrics_bp)


def create_app(config: Settings | dict | None = None) -> Flask:
    """Build the app from ``config`` (Settings, or a dict of setting overrides), else the environment."""
    settings = _settings(config)
    app = Flask(__name__, instance_path=str(settings.instance_dir.resolve()))
    session_lifetime = timedelta(hours=settings.session_hours)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=session_lifetime,
        REMEMBER_COOKIE_DURATION=session_lifetime,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings.testing,
        COACH=settings,
    )
    if settings.proxy_hops:
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    app.url_map.converters["int"] = DatabaseIdConverter  # before any route is added
    engine = db.make_engine(settings.database_url)
    db.check_connection(engine)
    db.init_app(app, engine)
    app.extensions["coach.jobs.queue"] = JobQueue(settings, engine)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_error_pages(app)
    register_security_headers(app, https_only=settings.secure_cookies)
    app.context_processor(_navigation)
    app.jinja_env.globals.update(skill_name=skill_name, SKILL_NAMES=SKILL_NAMES)
    app.jinja_env.filters.update(DATE_FILTERS)
    return app


def _navigation() -> dict:
    if not current_user.is_authenticated:
        return {"nav_links": []}
    return {"nav_links": entries_for(current_app, "nav", current_user.role)}


def _settings(config: Settings | dict | None) -> Settings:
    if isinstance(config, Settings):
        return validate(config.with_defaults())
    return validate(settings_from_env(**(config or {})))
