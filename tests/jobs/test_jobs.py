"""The job machinery: progress, failure kept on the job, retry, owner checks, interrupted jobs, the call a job works on."""
from datetime import datetime, timedelta

import pytest

from coach.jobs import JobFailed, handlers, reap_interrupted_jobs
from coach.models import Call, CallStatus, Job, JobStatus, Recording, Role, utcnow


@pytest.fixture
def kinds(monkeypatch):
    """Two job kinds for these tests: one that reports progress, one that fails until told otherwise."""
    state = {"fail": True}

    def counting(ctx):
        ctx.progress(0.5, "halfway")
        return {"seen": ctx.job.payload["n"]}

    def flaky(ctx):
        if state["fail"]:
            raise JobFailed("the recording could not be read")
        return {"ok": True}

    monkeypatch.setitem(handlers.HANDLERS, "counting", counting)
    monkeypatch.setitem(handlers.HANDLERS, "flaky", flaky)
    return state


def test_a_job_runs_and_keeps_its_result(app, session, kinds):
    job = app.extensions["coach.jobs.queue"].submit(session, "counting", {"n": 3})
    session.refresh(job)
    assert job.status == JobStatus.done and job.result == {"seen": 3} and job.progress == 1.0 and job.tries == 1


def test_a_failed_job_keeps_its_error_and_can_be_retried(app, session, kinds, client, auth, make_user):
    owner = make_user("ann", Role.trainee)
    queue = app.extensions["coach.jobs.queue"]
    job = queue.submit(session, "flaky", {}, created_by=owner.id)
    session.refresh(job)
    assert job.status == JobStatus.failed and "could not be read" in job.error
    auth.login("ann")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "could not be read" in page and "Try again" in page
    kinds["fail"] = False
    client.post(f"/jobs/{job.id}/retry", headers={"X-CSRFToken": auth.csrf()})
    session.refresh(job)
    assert job.status == JobStatus.done and job.tries == 2


def test_a_trainee_cannot_see_another_trainees_job(app, session, kinds, client, auth, make_user):
    make_user("ann", Role.trainee)
    ben = make_user("ben", Role.trainee)
    job = app.extensions["coach.jobs.queue"].submit(session, "counting", {"n": 1}, created_by=ben.id)
    auth.login("ann")
    assert client.get(f"/jobs/{job.id}").status_code == 403


def test_running_job_of_a_dead_worker_becomes_retryable(session):
    job = Job(kind="counting", status=JobStatus.running, payload={"worker": f"{__import__('socket').gethostname()}:999999"},
              heartbeat_at=utcnow())
    session.add(job)
    session.commit()
    assert reap_interrupted_jobs(session) == 1
    session.refresh(job)
    assert job.status == JobStatus.failed and "retry" in job.error


def test_the_workers_minute_sweep_fails_a_job_whose_worker_went_silent(app, session):
    queue = app.extensions["coach.jobs.queue"]
    assert "coach.reap_interrupted_jobs" in [task.name for task in queue.huey.read_periodic(datetime.now())]
    silent = Job(kind="counting", status=JobStatus.running, payload={"worker": "another-machine:1234"},
                 heartbeat_at=utcnow() - timedelta(minutes=10))
    busy = Job(kind="counting", status=JobStatus.running, payload={"worker": "another-machine:5678"}, heartbeat_at=utcnow())
    session.add_all([silent, busy])
    session.commit()
    assert queue.reap() == 1
    session.refresh(silent)
    session.refresh(busy)
    assert silent.status == JobStatus.failed and busy.status == JobStatus.running


@pytest.fixture
def call_of(session, make_user):
    """``call_of(job)``: a call whose first pass is ``job`` (``linked=False``: only the job's payload names it yet)."""
    agent = make_user("ann", Role.trainee)
    recording = Recording(stored_name="call.wav")
    session.add(recording)
    session.commit()

    def make(job, linked=True):
        call = Call(recording_id=recording.id, agent_id=agent.id, status=CallStatus.processing, job_id=job.id if linked else None)
        session.add(call)
        session.commit()
        job.payload = {**job.payload, "call_id": call.id}
        session.add(job)
        session.commit()
        return call
    return make


@pytest.mark.parametrize("linked", [True, False])
def test_the_call_of_a_reaped_job_fails_too_and_retrying_makes_it_processing(app, session, kinds, call_of, linked):
    job = Job(kind="counting", status=JobStatus.running, payload={"worker": "another-machine:1", "n": 1},
              heartbeat_at=utcnow() - timedelta(minutes=10))
    session.add(job)
    session.commit()
    call = call_of(job, linked)
    assert reap_interrupted_jobs(session) == 1
    session.refresh(call)
    assert call.status == CallStatus.failed
    app.extensions["coach.jobs.queue"].retry(session, job)
    session.refresh(call)
    assert call.status == CallStatus.processing


def test_the_call_of_a_failed_job_fails_too_but_a_ready_call_stays_ready(app, session, kinds, call_of):
    queue = app.extensions["coach.jobs.queue"]
    failing = Job(kind="flaky", status=JobStatus.failed)
    session.add(failing)
    session.commit()
    call = call_of(failing)
    queue.retry(session, failing)  # flaky fails again
    session.refresh(call)
    assert call.status == CallStatus.failed and failing.status == JobStatus.failed
    call.status = CallStatus.ready
    session.add(call)
    session.commit()
    queue.retry(session, failing)
    session.refresh(call)
    assert call.status == CallStatus.ready
