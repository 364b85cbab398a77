"""Background work on Huey: enqueue, retry and the per-process queue wiring.

Handlers (``coach/jobs/handlers.py``) call the pipelines and store results; the ``Job`` row holds
status and progress, so a page can poll it and a failed or interrupted job can be retried.
"""
from __future__ import annotations

from huey import crontab
from sqlalchemy.engine import Engine
from sqlmodel import Session

from coach.config import Settings
from coach.jobs.queue import make_huey
from coach.jobs.runner import JobContext, JobFailed, mark_calls, reap_interrupted_jobs, run_job
from coach.models import CallStatus, Job, JobStatus, utcnow

__all__ = ["JobQueue", "JobContext", "JobFailed", "reap_interrupted_jobs"]


class JobQueue:
    """The queue of one process: a Huey instance with Coach's single task registered on it."""

    def __init__(self, settings: Settings, engine: Engine):
        self.settings = settings
        self.engine = engine
        self.huey = make_huey(settings.queue_url)
        self._task = self.huey.task(name="coach.run_job")(self._run)
        # every worker sweeps once a minute, so a job of a worker that died on another machine does not hang
        self.huey.periodic_task(crontab(minute="*"), name="coach.reap_interrupted_jobs")(self.reap)

    def _run(self, job_id: int) -> None:
        from coach.jobs.handlers import HANDLERS  # handlers pull in the speech and scoring stacks

        run_job(self.engine, self.settings, job_id, HANDLERS)

    def reap(self) -> int:
        """Mark the running jobs of dead or silent workers as failed and retryable; returns how many."""
        with Session(self.engine, expire_on_commit=False) as session:
            return reap_interrupted_jobs(session)

    def submit(self, session: Session, kind: str, payload: dict, created_by: int | None = None) -> Job:
        """Create a job row and put it on the queue; returns the (committed) job."""
        job = Job(kind=kind, payload=payload, created_by=created_by)
        session.add(job)
        session.commit()
        self._task(job.id)
        session.refresh(job)
        return job

    def retry(self, session: Session, job: Job) -> Job:
        """Queue a failed job again with the same payload (the recording it points at is untouched)."""
        if job.status != JobStatus.failed:
            raise ValueError(f"job {job.id} is {job.status.value}, only failed jobs can be retried")
        job.status, job.stage, job.progress, job.error = JobStatus.queued, "queued", 0.0, ""
        job.finished_at = None
        job.created_at = utcnow()
        session.add(job)
        mark_calls(session, job, CallStatus.processing)
        session.commit()
        self._task(job.id)
        session.refresh(job)
        return job
