"""Running one job: status, progress, heartbeat and errors kept in the ``Job`` row."""
from __future__ import annotations

import logging
import os
import socket
import traceback
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from coach.config import Settings
from coach.models import Call, CallStatus, Job, JobStatus, utcnow

log = logging.getLogger(__name__)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
STALE_AFTER = timedelta(minutes=3)


class JobFailed(Exception):
    """A job could not finish for a reason a person can act on; the message is shown as is."""


@dataclass
class JobContext:
    """What a job handler gets: the job, a session, the settings and a progress reporter."""

    job: Job
    session: Session
    settings: Settings
    engine: Engine

    def progress(self, fraction: float, stage: str | None = None) -> None:
        """Record progress (0..1) and a stage name; commits so pages polling the job see it."""
        self.job.progress = max(0.0, min(1.0, float(fraction)))
        if stage:
            self.job.stage = stage
        self.job.heartbeat_at = utcnow()
        self.session.add(self.job)
        self.session.commit()


Handler = Callable[[JobContext], dict | None]


def run_job(engine: Engine, settings: Settings, job_id: int, handlers: dict[str, Handler]) -> None:
    """Run job ``job_id`` with its handler; a failure is recorded on the job, never raised to the queue."""
    with Session(engine, expire_on_commit=False) as session:
        job = session.get(Job, job_id)
        if job is None or job.status == JobStatus.done:
            return
        job.status, job.stage, job.error = JobStatus.running, "starting", ""
        job.started_at = job.heartbeat_at = utcnow()
        job.tries += 1
        job.payload = {**job.payload, "worker": WORKER_ID}
        session.add(job)
        session.commit()
        context = JobContext(job=job, session=session, settings=settings, engine=engine)
        try:
            result = handlers[job.kind](context)
        except JobFailed as error:
            _fail(session, job, str(error))
        except Exception:  # a bug or a crash in a library: keep the job retryable, never show its raw text
            log.error("job %s failed: %s", job_id, traceback.format_exc())
            session.rollback()
            _fail(session, job, "Something unexpected stopped this job; it was logged for an administrator. Retry it.")
        else:
            job.status, job.stage, job.progress = JobStatus.done, "done", 1.0
            job.result = result or {}
            job.finished_at = utcnow()
            session.add(job)
            session.commit()


def _fail(session: Session, job: Job, message: str) -> None:
    job = session.get(Job, job.id)
    job.status, job.error, job.finished_at = JobStatus.failed, message, utcnow()
    session.add(job)
    mark_calls(session, job, CallStatus.failed)
    session.commit()


def mark_calls(session: Session, job: Job, status: CallStatus) -> None:
    """Keep the call a job works on in step with the job: failed when it fails, processing when retried.

    The call names its job (``Call.job_id``); the job's payload names the call too, which covers the moment
    between queueing the job and storing its id on the call. A call of another job, or a ready one, is left alone.
    """
    link = Call.job_id == job.id
    call_id = job.payload.get("call_id")
    if isinstance(call_id, int):
        link = link | (Call.id == call_id)
    for call in session.exec(select(Call).where(link)).all():
        if call.job_id in (job.id, None) and call.status != CallStatus.ready:
            call.status = status
            session.add(call)


def reap_interrupted_jobs(session: Session) -> int:
    """Mark running jobs whose worker died (same host, process gone, or no heartbeat lately) as failed and retryable."""
    host = socket.gethostname()
    reaped = 0
    for job in session.exec(select(Job).where(Job.status == JobStatus.running)).all():
        worker = str(job.payload.get("worker", ""))
        worker_host, _, pid = worker.partition(":")
        dead_here = worker_host == host and pid.isdigit() and not _process_alive(int(pid))
        silent = job.heartbeat_at is None or utcnow() - job.heartbeat_at > STALE_AFTER
        if dead_here or silent:
            job.status = JobStatus.failed
            job.error = "the worker stopped while running this job; the recording is intact, retry it"
            job.finished_at = utcnow()
            session.add(job)
            mark_calls(session, job, CallStatus.failed)
            reaped += 1
    session.commit()
    return reaped


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
