"""Job progress for the pages: an htmx fragment that polls itself, and retry of a failed job.

A job's payload may carry ``next_url``: once the job is done the fragment loads that URL in its
place, so the area that queued the work shows its own result.
"""
from flask import Blueprint, abort, current_app, render_template

from coach import db
from coach.models import JobStatus
from coach.permissions import signed_in
from coach.web.lookup import job_or_404

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.get("/<int:job_id>")
@signed_in
def progress(job_id: int):
    return render_template("jobs/_progress.html", job=job_or_404(job_id))


@bp.post("/<int:job_id>/retry")
@signed_in
def retry(job_id: int):
    job = job_or_404(job_id)
    if job.status != JobStatus.failed:
        abort(409)
    job = current_app.extensions["coach.jobs.queue"].retry(db.get_session(), job)
    return render_template("jobs/_progress.html", job=job)
