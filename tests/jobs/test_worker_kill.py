"""A real ``coach worker`` killed with SIGKILL in the middle of a call's first pass: the job becomes
failed and retryable when a worker starts again, the recording's bytes are untouched, and a retry finishes."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach import create_app, db
from coach.auth import accounts
from coach.models import Call, CallStatus, Job, JobStatus, Recording, Role
from coach.speech.model_install import install_model
from coach.speech.storage import store_recording

from tests.calls.call_audio import build_call

COACH = str(Path(sys.executable).with_name("coach"))
pytestmark = pytest.mark.slow


def _wait_for(session, job_id: int, condition, seconds: float = 180.0, step: float = 0.05) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.expire_all()
        job = session.get(Job, job_id)
        if condition(job):
            return job
        time.sleep(step)
    raise AssertionError(f"job {job_id} stayed {job.status.value} ({job.stage})")


@pytest.fixture
def worker_env(tmp_path) -> dict:
    model = install_model("tiny.en", tmp_path / "models-home")
    return {**os.environ, "COACH_INSTANCE_DIR": str(tmp_path / "instance"), "COACH_RECORDINGS_DIR": str(tmp_path / "recordings"),
            "COACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.sqlite3'}", "COACH_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
            "COACH_WHISPER_MODEL": str(model.ct2_dir), "COACH_SECRET_KEY": "test", "PYTHONUNBUFFERED": "1"}


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([COACH, "worker"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def test_killed_worker_leaves_the_call_retryable_and_the_recording_intact(tmp_path, worker_env):
    app = create_app({"instance_dir": worker_env["COACH_INSTANCE_DIR"], "recordings_dir": worker_env["COACH_RECORDINGS_DIR"],
                      "database_url": worker_env["COACH_DATABASE_URL"], "queue_url": worker_env["COACH_QUEUE_URL"],
                      "whisper_model": worker_env["COACH_WHISPER_MODEL"], "secret_key": "test"})
    engine = app.extensions["coach.engine"]
    db.upgrade(engine)
    original = build_call(tmp_path / "call").stereo.read_bytes()
    with db.session_scope(engine) as session:
        agent = accounts.create_user(session, "ann", "long-password-1", Role.trainee)
        stored = store_recording(original, app.config["COACH"].recordings_dir, "call.wav")
        recording = Recording(stored_name=stored.stored_name, size_bytes=stored.size, sha256=stored.sha256)
        session.add(recording)
        session.flush()
        call = Call(recording_id=recording.id, agent_id=agent.id)
        session.add(call)
        session.commit()
        call_id, path = call.id, stored.path
    digest = hashlib.sha256(original).hexdigest()
    log = tmp_path / "worker.log"
    queue = app.extensions["coach.jobs.queue"]
    with db.session_scope(engine) as session:
        job = queue.submit(session, "call_first_pass", {"call_id": call_id})
        job_id = job.id
        worker = _start_worker(worker_env, log)
        try:
            running = _wait_for(session, job_id, lambda j: j.status == JobStatus.running and j.stage.startswith("transcribing"))
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
            assert running.payload["worker"].endswith(f":{worker.pid}")
            session.expire_all()
            assert session.get(Job, job_id).status == JobStatus.running  # nobody could record the death yet
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest

            worker = _start_worker(worker_env, log)
            failed = _wait_for(session, job_id, lambda j: j.status == JobStatus.failed, seconds=60)
            assert "retry" in failed.error and "intact" in failed.error
            assert session.get(Call, call_id).status != CallStatus.ready
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest

            queue.retry(session, failed)
            done = _wait_for(session, job_id, lambda j: j.status in (JobStatus.done, JobStatus.failed))
            assert done.status == JobStatus.done, done.error
            assert done.tries == 2
            call = session.get(Call, call_id)
            assert call.status == CallStatus.ready and call.result["segments"] and set(call.result["scores"]) >= {"empathy", "ownership"}
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        finally:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)
    engine.dispose()
