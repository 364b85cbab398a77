"""A recorded reply goes through the real job: decode, Whisper (tiny.en), voice features, scores, next turn."""

import pytest
from sqlmodel import select

from coach.roleplay import practice
from coach.jobs.handlers import HANDLERS
from coach.jobs.runner import run_job
from coach.models import Job, JobStatus, Recording
from tests.roleplay.conftest import GOOD_REPLY, csrf_header, speak

pytestmark = pytest.mark.slow
SPOKEN = "I am so sorry about your order, I will fix it for you today."


@pytest.fixture(scope="module")
def spoken_reply(tmp_path_factory) -> bytes:
    return speak(tmp_path_factory.mktemp("speech"), SPOKEN).read_bytes()


@pytest.fixture
def settings_overrides(settings_overrides, tiny_model_dir):
    return {**settings_overrides, "whisper_model": tiny_model_dir, "asr_engine": "faster-whisper"}


def upload(client, auth, attempt_id, audio: bytes):
    from io import BytesIO
    return client.post(f"/practice/attempts/{attempt_id}/recording", data={"audio": (BytesIO(audio), "reply.wav", "audio/wav")},
                       headers=csrf_header(auth, f"/practice/attempts/{attempt_id}"), content_type="multipart/form-data")


def test_a_recorded_reply_is_transcribed_scored_and_moves_the_customer_on(client, auth, session, scenarios, people, spoken_reply):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    auth.login("ann")
    assert upload(client, auth, attempt.id, spoken_reply).status_code == 202
    job = session.exec(select(Job).where(Job.kind == "roleplay_reply")).one()
    session.refresh(job)
    assert job.status == JobStatus.done, job.error
    assert job.payload["next_url"] == f"/practice/attempts/{attempt.id}/turns/0"
    (turn,) = practice.attempt_turns(session, attempt)
    assert "sorry" in turn.reply_text.lower() and "order" in turn.reply_text.lower()
    assert turn.transcript["segments"][0]["words"] and turn.job_id == job.id
    assert any(item.get("start_s") is not None for item in turn.scorecard["evidence"])
    recording = session.get(Recording, turn.recording_id)
    assert recording.duration_s > 2 and recording.content_type == "audio/wav"
    session.refresh(attempt)
    assert attempt.state["turn_id"] == "details" and turn.mood_after != turn.mood_before

    fragment = client.get(job.payload["next_url"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "transcribed from your recording" in fragment and "So when will it actually arrive?" in fragment
    assert f"/practice/attempts/{attempt.id}/turns/0/audio" in fragment


def test_a_recording_for_a_line_already_answered_by_typing_is_not_scored(app, session, scenarios, people, settings, spoken_reply):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    queue = app.extensions["coach.jobs.queue"]
    huey_immediate = queue.huey.immediate
    queue.huey.immediate = False  # hold the job in the queue while the trainee types
    try:
        job = practice.submit_recorded_reply(session, queue, attempt, spoken_reply, settings, people["ann"])
        practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)
    finally:
        queue.huey.immediate = huey_immediate
    run_job(app.extensions["coach.engine"], settings, job.id, HANDLERS)
    session.refresh(job)
    assert job.status == JobStatus.failed and "already answered" in job.error
    assert len(practice.attempt_turns(session, attempt)) == 1
