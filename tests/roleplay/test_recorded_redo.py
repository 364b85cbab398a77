"""A reply redone aloud in a voice scenario: the recording is checked and kept, the real job transcribes it
(Whisper tiny.en) and scores it against the same customer line; the conversation is unchanged."""

import dataclasses
from io import BytesIO

import pytest
from sqlmodel import select

from coach.jobs.handlers import HANDLERS
from coach.jobs.runner import run_job
from coach.models import Job, JobStatus, Recording
from coach.roleplay import practice
from tests.roleplay.conftest import csrf_header, speak, tone, wav_bytes

pytestmark = pytest.mark.slow
WEAK_REPLY = "ok"
SPOKEN = "I am so sorry your parcel is late, that is really frustrating. I will fix it for you myself today."


@pytest.fixture(scope="module")
def spoken_redo(tmp_path_factory) -> bytes:
    return speak(tmp_path_factory.mktemp("speech"), SPOKEN).read_bytes()


@pytest.fixture
def settings_overrides(settings_overrides, tiny_model_dir):
    return {**settings_overrides, "whisper_model": tiny_model_dir, "asr_engine": "faster-whisper"}


@pytest.fixture
def weak_turn(session, scenarios, people, settings):
    """Ann's voice attempt, its first line answered weakly by typing."""
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    return attempt, practice.submit_typed_reply(session, attempt, WEAK_REPLY, settings)


def upload_redo(client, auth, attempt_id: int, index: int, audio: bytes):
    return client.post(f"/practice/attempts/{attempt_id}/turns/{index}/redo/recording",
                       data={"audio": (BytesIO(audio), "reply.wav", "audio/wav")},
                       headers=csrf_header(auth, f"/practice/attempts/{attempt_id}"), content_type="multipart/form-data")


def redo_jobs(session) -> list[Job]:
    return session.exec(select(Job).where(Job.kind == practice.REDO_JOB)).all()


def test_a_spoken_redo_is_transcribed_and_scored_before_and_after_and_the_conversation_stays(
        client, auth, session, weak_turn, spoken_redo):
    attempt, turn = weak_turn
    state_before = dict(attempt.state)
    auth.login("ann")
    answer = upload_redo(client, auth, attempt.id, turn.index, spoken_redo)
    assert answer.status_code == 202
    (job,) = redo_jobs(session)
    session.refresh(job)
    assert job.status == JobStatus.done, job.error
    result_url = f"/practice/attempts/{attempt.id}/turns/0/redo/{job.payload['recording_id']}"
    assert job.payload["next_url"] == result_url and result_url in answer.get_data(as_text=True)

    said = job.result["text"].lower()
    assert "sorry" in said and "today" in said
    assert job.result["before"] == turn.scorecard["scores"] and job.result["before_overall"] == turn.overall
    assert job.result["after"]["overall"] > turn.overall
    assert job.result["after"]["scores"]["empathy"] > turn.scorecard["scores"]["empathy"]
    assert any(item.get("start_s") is not None for item in job.result["after"]["evidence"])  # scored with its timed words
    recording = session.get(Recording, job.payload["recording_id"])
    assert recording.uploaded_by == attempt.user_id and recording.content_type == "audio/wav" and recording.duration_s > 2

    fragment = client.get(result_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Before and after" in fragment and "change-up" in fragment and "frustrating" in fragment
    assert "transcribed from your recording" in fragment and f"{result_url}/audio" in fragment
    heard = client.get(f"{result_url}/audio")
    assert heard.status_code == 200 and heard.mimetype == "audio/wav" and heard.data == spoken_redo
    other_recording = f"/practice/attempts/{attempt.id}/turns/0/redo/{job.payload['recording_id'] + 1}/audio"
    assert client.get(other_recording).status_code == 404  # only the recordings of this turn's redos
    session.refresh(attempt)
    (only,) = practice.attempt_turns(session, attempt)
    assert attempt.state == state_before and only.reply_text == WEAK_REPLY and only.overall == turn.overall


def test_the_voice_redo_form_offers_recording_and_typing_and_the_chat_one_typing_only(
        client, auth, session, scenarios, people, settings, weak_turn):
    attempt, _ = weak_turn
    chat = practice.start_attempt(session, people["ann"], scenarios["parcel-chat"])
    practice.submit_typed_reply(session, chat, "hello", settings)
    auth.login("ann")
    voice_page = client.get(f"/practice/attempts/{attempt.id}").get_data(as_text=True)
    assert f'data-upload-url="/practice/attempts/{attempt.id}/turns/0/redo/recording"' in voice_page
    assert 'data-result="#redo-result-1"' in voice_page and 'name="reply"' in voice_page
    chat_page = client.get(f"/practice/attempts/{chat.id}").get_data(as_text=True)
    assert "redo/recording" not in chat_page and "Redo this reply" in chat_page
    refused = upload_redo(client, auth, chat.id, 0, wav_bytes(tone(1.0)))
    assert refused.status_code == 400 and "chat scenario" in refused.get_data(as_text=True)


def test_only_the_attempts_player_may_redo_aloud_or_read_the_result(client, auth, session, weak_turn, spoken_redo):
    attempt, turn = weak_turn
    auth.login("ann")
    assert upload_redo(client, auth, attempt.id, turn.index, spoken_redo).status_code == 202
    (job,) = redo_jobs(session)
    result_url = job.payload["next_url"]
    client.post("/logout", data={"csrf_token": auth.csrf("/practice/")})
    auth.login("ben")
    assert upload_redo(client, auth, attempt.id, turn.index, spoken_redo).status_code in (403, 404)
    assert client.get(result_url, headers={"HX-Request": "true"}).status_code in (403, 404)
    assert client.get(f"{result_url}/audio").status_code in (403, 404)
    assert len(redo_jobs(session)) == 1 and len(session.exec(select(Recording)).all()) == 1


def test_an_unreadable_redo_is_refused_and_nothing_is_kept(client, auth, session, weak_turn):
    attempt, turn = weak_turn
    auth.login("ann")
    refused = upload_redo(client, auth, attempt.id, turn.index, b"not audio at all" * 64)
    assert refused.status_code == 400 and practice.RECORD_AGAIN in refused.get_data(as_text=True)
    assert not redo_jobs(session) and not session.exec(select(Recording)).all()


def test_a_redo_over_the_trainees_storage_is_refused(client, auth, session, weak_turn, settings, spoken_redo):
    attempt, turn = weak_turn
    session.add(Recording(stored_name="old.wav", size_bytes=settings.max_user_storage_mb * 1048576,
                          uploaded_by=attempt.user_id))
    session.commit()
    auth.login("ann")
    refused = upload_redo(client, auth, attempt.id, turn.index, spoken_redo)
    assert refused.status_code == 400 and "each trainee may keep" in refused.get_data(as_text=True)
    assert not redo_jobs(session)


def test_a_failed_redo_says_why_and_its_retry_scores_the_kept_recording(app, client, auth, session, weak_turn, settings,
                                                                        people, spoken_redo):
    attempt, turn = weak_turn
    queue = app.extensions["coach.jobs.queue"]
    queue.huey.immediate = False  # hold the job, to run it once with a speech engine that cannot load
    try:
        job = practice.submit_recorded_redo(session, queue, attempt, turn, spoken_redo, settings, people["ann"],
                                            next_url=lambda recording_id: f"/practice/attempts/{attempt.id}/turns/0/redo/{recording_id}")
    finally:
        queue.huey.immediate = True
    run_job(app.extensions["coach.engine"], dataclasses.replace(settings, asr_engine="no-such-engine"), job.id, HANDLERS)
    session.refresh(job)
    assert job.status == JobStatus.failed and "speech model cannot be loaded" in job.error

    auth.login("ann")
    failed = client.get(job.payload["next_url"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "That did not work" in failed and f"/jobs/{job.id}/retry" in failed
    retried = client.post(f"/jobs/{job.id}/retry", headers=csrf_header(auth, f"/practice/attempts/{attempt.id}"))
    assert retried.status_code == 200
    session.refresh(job)
    assert job.status == JobStatus.done and job.tries == 2, job.error
    scored = client.get(job.payload["next_url"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Before and after" in scored and "change-up" in scored

