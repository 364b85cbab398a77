"""Sign in, sign out, change password."""
from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coach import db
from coach.auth import accounts
from coach.auth.forms import ChangePasswordForm, LoginForm
from coach.permissions import signed_in
from coach.web import sessions

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = _check_password(form.username.data, form.password.data)
        if result.user is not None:
            sessions.begin(result.user)
            return redirect(_safe_next(request.args.get("next")))
        if result.locked_for_s:
            flash(_locked_message(result), "error")
            status = 429
        else:
            flash("Wrong username or password.", "error")
            status = 401
    return render_template("auth/login.html", form=form), status


def _check_password(username: str, password: str) -> accounts.SignInResult:
    """Every password check goes through the sign-in throttle, the change-password page's included."""
    settings = current_app.config["COACH"]
    return accounts.sign_in(db.get_session(), username, password, request.remote_addr or "",
                            settings.login_attempts, settings.login_window_seconds, settings.login_address_attempts)


def _locked_message(result: accounts.SignInResult) -> str:
    where = "from this address" if result.locked_by == "address" else "for this account"
    return (f"Too many failed sign-ins {where}. Try again in {math.ceil(result.locked_for_s / 60)} minute(s), "
            "or ask an administrator to unlock the account.")


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.dashboard")


@bp.post("/logout")
@signed_in
def logout():
    """Sign out here, and end every other session of the account too: a copied cookie dies with this one."""
    accounts.end_sessions(db.get_session(), current_user)
    sessions.end()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        checked = _check_password(current_user.username, form.current_password.data)
        if checked.user is None:
            form.current_password.errors.append(_locked_message(checked) if checked.locked_for_s else "That is not your current password.")
        else:
            accounts.set_password(db.get_session(), current_user, form.new_password.data)
            sessions.keep(current_user)  # every other session of the account has ended
            flash("Your password is changed.", "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/change_password.html", form=form)
