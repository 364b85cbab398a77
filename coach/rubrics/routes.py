"""Rubrics pages: every rubric, one in full, its YAML, uploading a new one and choosing each team's rubric.

Trainers, QA reviewers and admins use them. Uploading is open to all three; a team's rubric may be changed by
whoever may see the team (``coach.permissions.can_see_team``: its trainer, reviewers and admins).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.utils import secure_filename

from coach import db
from coach.models import Team, User
from coach.permissions import requires, visible_teams
from coach.progress.levels import DIMENSIONS, SKILL_NAMES
from coach.rubrics import store as rubric_store
from coach.rubrics.forms import UploadForm
from coach.rubrics.store import MAX_RUBRIC_BYTES, RubricEntry, RubricStoreError
from coach.web.extensions import htmx
from coach.web.lookup import team_or_404
from coach.web.navigation import nav_link
from scoring import Rubric

bp = Blueprint("rubrics", __name__, url_prefix="/rubrics")
nav_link(bp, "index", "Rubrics", "manage_rubrics", order=50)
NOT_APPLICABLE_WHEN = {
    "no_context": "there are no customer words before the reply",
    "no_problem_in_context": "the customer has not raised a problem",
    "short_acknowledgement": "the reply is a short acknowledgement",
}


@dataclass(frozen=True)
class TeamRubric:
    """A team the viewer may change, with the rubric that scores its people now."""

    team: Team
    entry: RubricEntry


def _settings():
    return current_app.config["COACH"]


def _entry(label: str) -> RubricEntry:
    entry = rubric_store.find_rubric(db.get_session(), _settings(), label)
    if entry is None:
        abort(404)
    return entry


def _team_rubrics() -> list[TeamRubric]:
    session = db.get_session()
    return [TeamRubric(team, rubric_store.team_rubric(session, _settings(), team))
            for team in visible_teams(session, current_user)]


def _choices(entries: list[RubricEntry]) -> list[RubricEntry]:
    """What a team can be given: the site rubric, then the uploaded ones."""
    return [e for e in entries if e.origin in ("site", "uploaded")]


@bp.get("")
@requires("manage_rubrics")
def index():
    entries = rubric_store.all_rubrics(db.get_session(), _settings())
    rows = _team_rubrics()
    used_by = {entry.label: [row.team.name for row in rows if row.entry.label == entry.label] for entry in entries}
    return render_template("rubrics/index.html", entries=entries, rows=rows, used_by=used_by, choices=_choices(entries))


@bp.get("/<label>")
@requires("manage_rubrics")
def view(label: str):
    entry = _entry(label)
    stored = entry.stored
    uploader = db.get_session().get(User, stored.uploaded_by) if stored and stored.uploaded_by else None
    teams = [row.team for row in _team_rubrics() if row.entry.label == entry.label]
    return render_template("rubrics/view.html", entry=entry, rubric=entry.rubric, uploader=uploader, teams=teams,
                           dimensions=DIMENSIONS, skill_names=SKILL_NAMES, shares=weight_shares(entry.rubric),
                           bands=band_ranges(entry.rubric), not_applicable_when=NOT_APPLICABLE_WHEN)


@bp.get("/<label>/download")
@requires("manage_rubrics")
def download(label: str):
    entry = _entry(label)
    name = secure_filename(f"{entry.rubric.name}-{entry.rubric.version}.yaml") or "rubric.yaml"
    return Response(entry.text, mimetype="application/yaml",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.route("/upload", methods=["GET", "POST"])
@requires("manage_rubrics")
def upload():
    form = UploadForm()
    error = None
    if form.validate_on_submit():
        try:
            text = _submitted_text(form)
            form.rubric_text.data = text  # a refused file comes back in the box, to be fixed there
            row = rubric_store.add_rubric(db.get_session(), _settings(), text, current_user)
        except RubricStoreError as problem:
            error = str(problem)
        else:
            flash(f"Added the rubric {row.label}. Choose it for a team on the Rubrics page.", "success")
            return redirect(url_for("rubrics.view", label=row.label))
    status = 422 if request.method == "POST" else 200
    return render_template("rubrics/upload.html", form=form, error=error, max_kb=MAX_RUBRIC_BYTES // 1024), status


def _submitted_text(form: UploadForm) -> str:
    """The chosen file's text when a file was chosen, else the pasted text."""
    upload_file = form.rubric_file.data
    if upload_file and upload_file.filename:
        return rubric_store.rubric_text(upload_file.stream.read(MAX_RUBRIC_BYTES + 1))
    return form.rubric_text.data or ""


@bp.post("/teams/<int:team_id>")
@requires("manage_rubrics")
def assign(team_id: int):
    session = db.get_session()
    team = team_or_404(team_id)
    try:
        entry = rubric_store.assign_rubric(session, _settings(), team, request.form.get("rubric"))
    except RubricStoreError as problem:
        return _assigned(team, error=str(problem))
    return _assigned(team, saved=f"{team.name} is now scored with {entry.label}.")


def _assigned(team: Team, saved: str = "", error: str = ""):
    """The team's row (htmx), or back to the list with the message."""
    if not htmx:
        flash(error or saved, "error" if error else "success")
        return redirect(url_for("rubrics.index"))
    session = db.get_session()
    row = TeamRubric(team, rubric_store.team_rubric(session, _settings(), team))
    choices = _choices(rubric_store.all_rubrics(session, _settings()))
    return render_template("rubrics/_team_row.html", row=row, choices=choices, saved=saved, error=error), 422 if error else 200


# --- presenting a rubric ----------------------------------------------------------------------

def weight_shares(rubric: Rubric) -> dict[str, int]:
    """Each dimension's weight as a percentage of the overall score (when every dimension applies)."""
    total = sum(rubric.weights.values()) or 1.0
    return {d: int(round(100 * rubric.weights.get(d, 0) / total)) for d in DIMENSIONS}


def band_ranges(rubric: Rubric) -> list[tuple[int, int, int]]:
    """(band, lowest score, highest score) for bands 1-5 from the four thresholds; a band two equal
    thresholds leave empty has its highest below its lowest."""
    edges = [0, *rubric.band_thresholds, 101]
    return [(band, edges[band - 1], edges[band] - 1) for band in range(1, 6)]
