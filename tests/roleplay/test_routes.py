"""The role-play pages: start, reply in place with htmx, debrief, and who may see or play an attempt."""
import re

import pytest
from sqlmodel import select

from coach.jobs.handlers import HANDLERS
from coach.jobs.runner import run_job
from coach.models import Attempt, AttemptTurn, Job, JobStatus, Recording
from coach.roleplay import practice
from tests.roleplay.conftest import DATE_REPLY, GOOD_REPLY, attempt_id_from, csrf_header, tone, wav_bytes


@pytest.fixture
def ann_attempt(session, scenarios, people):
    return practice.start_attempt(session, people["ann"], scenarios["parcel-call"])


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def reply(client, auth, attempt_id, text, htmx=True):
    headers = csrf_header(auth, f"/practice/attempts/{attempt_id}") if htmx else {}
    data = {"reply": text} if htmx else {"reply": text, "csrf_token": auth.csrf(f"/practice/attempts/{attempt_id}")}
    return client.post(f"/practice/attempts/{attempt_id}/reply", data=data, headers=headers)


def test_trainee_starts_a_scenario_from_its_briefing(client, auth, scenarios, people):
    auth.login("ann")
    briefing = client.get("/practice/scenarios/parcel-call").get_data(as_text=True)
    assert "Re-send the parcel today" in briefing and "Start the role-play" in briefing
    response = client.post("/practice/scenarios/parcel-call/start", data={"csrf_token": auth.csrf("/practice/scenarios/parcel-call")})
    assert response.status_code == 302 and "/practice/attempts/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "My parcel is three days late" in page and 'id="mood-meter"' in page and "Record your reply" in page
    assert "/practice/scenarios/parcel-call/turns/opening/audio" in page


def test_the_library_offers_the_scenarios_and_filters_them(client, auth, scenarios, people):
    auth.login("ann")
    page = client.get("/practice/").get_data(as_text=True)
    assert "A late parcel, by phone" in page and "A late parcel, in chat" in page
    chat_only = client.get("/practice/?channel=chat").get_data(as_text=True)
    assert "A late parcel, in chat" in chat_only and "A late parcel, by phone" not in chat_only


def test_typed_reply_returns_the_scored_turn_and_the_customers_next_line(client, auth, ann_attempt, session):
    auth.login("ann")
    response = reply(client, auth, ann_attempt.id, GOOD_REPLY)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="turn-1"' in html
    for name in ("Active listening", "Empathy", "Clarity", "Plain language", "Ownership"):
        assert name in html
    assert re.search(r'<mark class="evidence-(plus|minus)" title="[^"]+">', html)
    assert "band " in html and 'class="tip"' in html
    assert 'id="current" class="card current" hx-swap-oob="true"' in html and "So when will it actually arrive?" in html
    assert 'id="mood" class="mood" hx-swap-oob="true"' in html
    turn = session.exec(select(AttemptTurn).where(AttemptTurn.attempt_id == ann_attempt.id)).one()
    assert turn.reply_text == GOOD_REPLY and turn.scorecard["scores"]


def test_finishing_the_role_play_shows_the_debrief(client, auth, ann_attempt):
    auth.login("ann")
    reply(client, auth, ann_attempt.id, GOOD_REPLY)
    last = reply(client, auth, ann_attempt.id, DATE_REPLY).get_data(as_text=True)
    assert "The role-play has ended" in last and "See the debrief" in last
    page = client.get(f"/practice/attempts/{ann_attempt.id}/debrief").get_data(as_text=True)
    assert "Ending: Resolved" in page and "You apologised and gave a clear date." in page
    assert "Your best moment" in page and "Your weakest moment" in page and "A better reply" in page
    assert "Turn by turn" in page and "so sorry your parcel is late" in page


def test_the_debrief_waits_for_an_ending(client, auth, ann_attempt):
    auth.login("ann")
    response = client.get(f"/practice/attempts/{ann_attempt.id}/debrief")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/practice/attempts/{ann_attempt.id}")


def test_an_empty_typed_reply_gets_a_message_in_place(client, auth, ann_attempt):
    auth.login("ann")
    response = reply(client, auth, ann_attempt.id, "  ")
    assert response.headers["HX-Retarget"] == "#current"
    assert "Write your reply to the customer first." in response.get_data(as_text=True)


def test_a_typed_reply_without_a_csrf_token_is_refused(client, auth, ann_attempt, session):
    auth.login("ann")
    response = client.post(f"/practice/attempts/{ann_attempt.id}/reply", data={"reply": GOOD_REPLY}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert practice.attempt_turns(session, ann_attempt) == []


@pytest.fixture
def recorded_turn(session, settings, ann_attempt, people):
    """A turn with a kept recording (its reply text typed here: these tests are about access, not transcription)."""
    stored = practice.store_recording(wav_bytes(tone(1.0)), settings.recordings_dir, "audio/wav")
    recording = Recording(stored_name=stored.stored_name, content_type="audio/wav", size_bytes=stored.size, uploaded_by=people["ann"].id)
    session.add(recording)
    session.commit()
    return practice.apply_reply(session, ann_attempt, GOOD_REPLY, settings, recording_id=recording.id)


def attempt_urls(attempt_id):
    return [f"/practice/attempts/{attempt_id}", f"/practice/attempts/{attempt_id}/debrief",
            f"/practice/attempts/{attempt_id}/turns/0", f"/practice/attempts/{attempt_id}/turns/0/audio"]


@pytest.mark.parametrize("intruder", ["ben", "cy", "otto"])
def test_others_get_403_on_the_attempt_its_debrief_and_its_audio(client, auth, ann_attempt, recorded_turn, intruder):
    auth.login(intruder)
    for url in attempt_urls(ann_attempt.id):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/practice/history?user={ann_attempt.user_id}").status_code == 403


def test_the_owner_hears_their_recorded_reply(client, auth, ann_attempt, recorded_turn):
    auth.login("ann")
    response = client.get(f"/practice/attempts/{ann_attempt.id}/turns/0/audio")
    assert response.status_code == 200 and response.mimetype == "audio/wav" and response.data[:4] == b"RIFF"


@pytest.mark.parametrize("viewer", ["tess", "rita", "root"])
def test_trainer_of_the_team_reviewers_and_admins_see_the_attempt_read_only(client, auth, ann_attempt, recorded_turn, viewer):
    auth.login(viewer)
    page = client.get(f"/practice/attempts/{ann_attempt.id}").get_data(as_text=True)
    assert "viewing this attempt read-only" in page and "so sorry your parcel is late" in text_of(page) and "Send reply" not in page
    assert client.get(f"/practice/attempts/{ann_attempt.id}/turns/0/audio").status_code == 200
    assert client.post(f"/practice/attempts/{ann_attempt.id}/reply", data={"reply": "hi"},
                       headers=csrf_header(auth)).status_code == 403
    assert "A late parcel, by phone" in client.get(f"/practice/history?user={ann_attempt.user_id}").get_data(as_text=True)


def test_another_trainee_cannot_reply_in_an_attempt(client, auth, ann_attempt, session):
    auth.login("ben")
    assert reply(client, auth, ann_attempt.id, GOOD_REPLY).status_code == 403
    assert practice.attempt_turns(session, ann_attempt) == []


def upload(client, auth, attempt_id, data: bytes, mimetype="audio/webm"):
    from io import BytesIO
    return client.post(f"/practice/attempts/{attempt_id}/recording", data={"audio": (BytesIO(data), "reply.webm", mimetype)},
                       headers=csrf_header(auth, f"/practice/attempts/{attempt_id}"), content_type="multipart/form-data")


@pytest.mark.parametrize("audio, message", [
    (b"this is a text file, not a recording" * 20, "not audio"),
    (wav_bytes(__import__("numpy").zeros(16000, dtype="float32")), "silent"),
    (wav_bytes(tone(200.0, rate=8000), rate=8000), "too long"),
])
def test_bad_audio_is_refused_at_upload_with_a_clear_message_and_nothing_is_kept(client, auth, ann_attempt, session, settings,
                                                                                 audio, message):
    auth.login("ann")
    response = upload(client, auth, ann_attempt.id, audio)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert "type it instead" in response.get_data(as_text=True)
    assert session.exec(select(Recording)).all() == [] and session.exec(select(Job)).all() == []
    assert not settings.recordings_dir.exists() or list(settings.recordings_dir.iterdir()) == []
    assert reply(client, auth, ann_attempt.id, GOOD_REPLY).status_code == 200
    assert len(practice.attempt_turns(session, ann_attempt)) == 1


def test_a_recording_spoilt_after_upload_fails_the_job_with_a_clear_message_and_can_be_retried(
        app, client, auth, ann_attempt, session, settings, people):
    queue = app.extensions["coach.jobs.queue"]
    immediate, queue.huey.immediate = queue.huey.immediate, False  # hold the job while the stored file is spoilt
    try:
        job = practice.submit_recorded_reply(session, queue, ann_attempt, wav_bytes(tone(1.0)), settings, people["ann"])
    finally:
        queue.huey.immediate = immediate
    recording = session.get(Recording, job.payload["recording_id"])
    assert recording.content_type == "audio/wav" and recording.duration_s == pytest.approx(1.0, abs=0.05)
    (settings.recordings_dir / recording.stored_name).write_bytes(b"this is a text file, not a recording" * 20)
    auth.login("ann")
    run_job(app.extensions["coach.engine"], settings, job.id, HANDLERS)
    session.refresh(job)
    assert job.status == JobStatus.failed and "not audio" in job.error and "type it instead" in job.error
    progress = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "not audio" in progress and "Try again" in progress
    client.post(f"/jobs/{job.id}/retry", headers=csrf_header(auth))
    session.refresh(job)
    assert job.tries == 2 and job.status == JobStatus.failed
    assert "Record your reply" in client.get(f"/practice/attempts/{ann_attempt.id}").get_data(as_text=True)
    assert reply(client, auth, ann_attempt.id, GOOD_REPLY).status_code == 200
    assert len(practice.attempt_turns(session, ann_attempt)) == 1


def test_a_chat_scenario_takes_typed_replies_only(client, auth, session, scenarios, people):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-chat"])
    auth.login("ann")
    page = client.get(f"/practice/attempts/{attempt.id}").get_data(as_text=True)
    assert "Record your reply" not in page and "Send reply" in page
    response = upload(client, auth, attempt.id, wav_bytes(tone(1.0)), "audio/wav")
    assert response.status_code == 400 and "type your reply" in response.get_data(as_text=True)


def test_customer_audio_is_served_and_missing_lines_are_404(client, auth, scenarios, people):
    auth.login("ann")
    response = client.get("/practice/scenarios/parcel-call/turns/opening/audio")
    assert response.status_code == 200 and response.data[:4] == b"RIFF"
    assert client.get("/practice/scenarios/parcel-call/turns/angrier/audio").status_code == 404
    assert client.get("/practice/scenarios/parcel-call/turns/..%2F..%2Fsecret/audio").status_code == 404


def test_trainees_see_practice_in_the_nav_and_recent_practice_on_the_dashboard(client, auth, ann_attempt):
    auth.login("ann")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert ">Practice</a>" in dashboard and "Recent practice" in dashboard
    panel = client.get("/practice/panel").get_data(as_text=True)
    assert "A late parcel, by phone" in panel and "in progress" in panel
    history = client.get("/practice/history").get_data(as_text=True)
    assert "A late parcel, by phone" in history and "Continue" in history


def test_a_scenario_started_from_an_assignment_keeps_it(client, auth, session, assignment):
    auth.login("ann")
    library = client.get("/practice/").get_data(as_text=True)
    assert "Assigned to you" in library and f"/practice/scenarios/parcel-chat?assignment={assignment.id}" in library
    briefing = f"/practice/scenarios/parcel-chat?assignment={assignment.id}"
    response = client.post("/practice/scenarios/parcel-chat/start",
                           data={"assignment_id": str(assignment.id), "csrf_token": auth.csrf(briefing)})
    attempt = session.get(Attempt, attempt_id_from(response.headers["Location"]))
    assert attempt.assignment_id == assignment.id
    again = client.post("/practice/scenarios/parcel-chat/start", data={"assignment_id": str(assignment.id), "csrf_token": auth.csrf(briefing)},
                        follow_redirects=True).get_data(as_text=True)
    assert "used all 1 attempts" in again


def test_a_recording_without_a_csrf_token_is_refused(client, auth, ann_attempt, session):
    from io import BytesIO
    auth.login("ann")
    response = client.post(f"/practice/attempts/{ann_attempt.id}/recording", data={"audio": (BytesIO(wav_bytes(tone(1.0))), "r.wav")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert session.exec(select(Recording)).all() == []


def test_the_debrief_shows_the_path_taken(client, auth, ann_attempt):
    auth.login("ann")
    reply(client, auth, ann_attempt.id, GOOD_REPLY)
    reply(client, auth, ann_attempt.id, DATE_REPLY)
    page = client.get(f"/practice/attempts/{ann_attempt.id}/debrief").get_data(as_text=True)
    assert "opening → details → resolved" in page


def test_an_abandoned_attempt_offers_a_fresh_start(client, auth, session, ann_attempt):
    ann_attempt.status = practice.AttemptStatus.abandoned
    session.add(ann_attempt)
    session.commit()
    auth.login("ann")
    page = client.get(f"/practice/attempts/{ann_attempt.id}").get_data(as_text=True)
    assert "left unfinished" in page and "Send reply" not in page
    assert "role-play is over" in reply(client, auth, ann_attempt.id, GOOD_REPLY).get_data(as_text=True)


def test_a_reply_with_markup_is_shown_as_text(client, auth, ann_attempt):
    auth.login("ann")
    html = reply(client, auth, ann_attempt.id, "Sorry <script>alert(1)</script> I will fix it today").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_debrief_says_what_each_reply_did_and_why_the_customer_went_on(client, auth, ann_attempt):
    auth.login("ann")
    reply(client, auth, ann_attempt.id, GOOD_REPLY)
    reply(client, auth, ann_attempt.id, DATE_REPLY)
    page = client.get(f"/practice/attempts/{ann_attempt.id}/debrief").get_data(as_text=True)
    assert page.count("What your reply did") == 2
    assert "Next: transition" in page or "Next: default" in page
