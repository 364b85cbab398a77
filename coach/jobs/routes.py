"""Job progress for the pages: an htmx fragment that waits for the job to move on, and retry of a failed job.

The fragment asks again with ``wait``: the answer comes as soon as the job's stage or status changes (a long
poll), so a finished reply reaches the page within a few tens of milliseconds. A job's payload may carry
``next_url``: once the job is done the fragment loads that URL in its place (a waiting request is redirected
there), so the area that queued the work shows its own result.
"""
import time

from flask import Blueprint, abort, current_app, redirect, render_template, request

from coach import db
from coach.models import Job, JobStatus
from coach.permissions import signed_in
from coach.web.lookup import job_or_404

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
WAIT_SECONDS, CHECK_SECONDS = 5.0, 0.02
ACTIVE = (JobStatus.queued, JobStatus.running)


@bp.get("/<int:job_id>")
@signed_in
def progress(job_id: int):
    job = job_or_404(job_id)
    if request.args.get("wait"):
        job = _moved_on(job)
        if job.status == JobStatus.done and job.payload.get("next_url"):
            return redirect(job.payload["next_url"])
    return render_template("jobs/_progress.html", job=job)


def _moved_on(job: Job) -> Job:
    """The job once its status or stage changes, or as it is after ``WAIT_SECONDS``."""
    session, seen = db.get_session(), (job.status, job.stage)
    deadline = time.monotonic() + WAIT_SECONDS
    while (job.status, job.stage) == seen and job.status in ACTIVE and time.monotonic() < deadline:
        time.sleep(CHECK_SECONDS)
        session.commit()  # end the read, so the next one sees the worker's commits
        session.refresh(job)
    return job


@bp.post("/<int:job_id>/retry")
@signed_in
def retry(job_id: int):
    job = job_or_404(job_id)
    if job.status != JobStatus.failed:
        abort(409)
    job = current_app.extensions["coach.jobs.queue"].retry(db.get_session(), job)
    return render_template("jobs/_progress.html", job=job)
