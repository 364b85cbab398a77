"""Job progress for the pages: an htmx fragment that polls itself, and retry of a failed job.

A job's payload may carry ``next_url``: once the job is done the fragment loads that URL in its
place, so the area that queued the work shows its own result.
"""
from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from coach import db
from coach.access import STAFF, any_signed_in
from coach.models import Job, JobStatus

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _job_for_viewer(job_id: int) -> Job:
    job = db.get_session().get(Job, job_id)
    if job is None:
        abort(404)
    if job.created_by != current_user.id and current_user.role not in STAFF:
        abort(403)
    return job


@bp.get("/<int:job_id>")
@any_signed_in
def progress(job_id: int):
    return render_template("jobs/_progress.html", job=_job_for_viewer(job_id))


@bp.post("/<int:job_id>/retry")
@any_signed_in
def retry(job_id: int):
    job = _job_for_viewer(job_id)
    if job.status != JobStatus.failed:
        abort(409)
    job = current_app.extensions["coach.queue"].retry(db.get_session(), job)
    return render_template("jobs/_progress.html", job=job)
