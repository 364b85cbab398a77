"""The job queue on its embedded default (SQLite) and on Redis, the production path."""
import os
from dataclasses import replace

import pytest
from huey import RedisHuey, SqliteHuey

from coach.config import ConfigError
from coach.jobs import JobQueue, handlers
from coach.models import JobStatus
from coach.jobs.queue import make_huey

REDIS_URL = os.environ.get("COACH_TEST_REDIS_URL")


def test_default_queue_is_sqlite_in_the_instance_folder(tmp_path):
    huey = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    assert isinstance(huey, SqliteHuey) and huey.storage.filename == str(tmp_path / "queue.sqlite3")


def test_unknown_queue_scheme_names_the_setting():
    with pytest.raises(ConfigError, match="COACH_QUEUE_URL"):
        make_huey("amqp://localhost")


def _consume_one(queue: JobQueue) -> None:
    """What a `coach worker` does with one message: take it off the queue and run it."""
    task = queue.huey.dequeue()
    assert task is not None, "nothing was queued"
    queue.huey.execute(task)


def test_a_job_waits_on_the_sqlite_queue_until_a_worker_takes_it(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(handlers.HANDLERS, "echo", lambda ctx: {"echo": ctx.job.payload["text"]})
    settings = replace(app.config["COACH"], queue_url=f"sqlite:///{tmp_path / 'q.sqlite3'}")
    queue = JobQueue(settings, app.extensions["coach.engine"])
    job = queue.submit(session, "echo", {"text": "hello"})
    assert job.status == JobStatus.queued and queue.huey.pending_count() == 1
    _consume_one(queue)
    session.refresh(job)
    assert job.status == JobStatus.done and job.result == {"echo": "hello"}


@pytest.mark.skipif(not REDIS_URL, reason="COACH_TEST_REDIS_URL is not set")
def test_redis_queue_carries_jobs_between_processes(app, session, monkeypatch):
    monkeypatch.setitem(handlers.HANDLERS, "echo", lambda ctx: {"echo": ctx.job.payload["text"]})
    redis_settings = replace(app.config["COACH"], queue_url=REDIS_URL)
    producer = JobQueue(redis_settings, app.extensions["coach.engine"])
    consumer = JobQueue(redis_settings, app.extensions["coach.engine"])  # a second process's view of the queue
    assert isinstance(producer.huey, RedisHuey)
    producer.huey.flush()
    job = producer.submit(session, "echo", {"text": "over redis"})
    _consume_one(consumer)
    session.refresh(job)
    assert job.status == JobStatus.done and job.result == {"echo": "over redis"}
    producer.huey.flush()
