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
POLL_SECONDS = 0.05  # an empty SQLite queue costs one indexed read per poll


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

    def submit_streaming(self, session: Session, kind: str, payload: dict, created_by: int | None = None) -> Job:
        """A job that follows input still arriving: queued at once where workers run apart, so it works while
        the input streams in; in immediate mode (``memory://``) it runs when ``stream_ended`` is called."""
        job = Job(kind=kind, payload=payload, created_by=created_by)
        session.add(job)
        session.commit()
        if not self.huey.immediate:
            self._task(job.id)
        session.refresh(job)
        return job

    def stream_ended(self, job: Job) -> None:
        """The streaming job's input is complete (see ``submit_streaming``)."""
        if self.huey.immediate:
            self._task(job.id)

    def consumer(self, workers: int = 1):
        """The Huey consumer, polling every ``POLL_SECONDS`` without back-off: a reply never waits on an idle worker."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", check_worker_health=True,
                                         initial_delay=POLL_SECONDS, backoff=1.0, max_delay=POLL_SECONDS)

    def warm_up(self) -> None:
        """Load the role-play speech model and compile its stages before the first reply arrives."""
        from coach.jobs.roleplay_live_reply import warm_up  # the speech stack, only in a worker

        warm_up(self.settings)

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
