"""The landing page and each role's dashboard."""
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from coach.permissions import signed_in
from coach.web.navigation import entries_for

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return redirect(url_for("main.dashboard" if current_user.is_authenticated else "auth.login"))


@bp.get("/dashboard")
@signed_in
def dashboard():
    return render_template("main/dashboard.html", panels=entries_for(current_app, "panels", current_user.role))


@bp.get("/healthz")
def health():
    return {"status": "ok"}
