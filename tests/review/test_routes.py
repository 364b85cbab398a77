"""Review routes: upload refusals, role and owner checks, overrides, finalising, calibration, CSV."""
import csv
import io

import pytest
from sqlmodel import select

from coach.models import Call, Recording, Review, ReviewComment, ReviewStatus
from coach.review.training_rows import finalised_review_rows

from .conftest import wav_bytes

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")


def _upload(client, auth, agent_id, files, **fields):
    data = {"csrf_token": auth.csrf("/calls/upload"), "agent_id": str(agent_id), "call_date": "2024-05-06",
            "call_type": "complaint", "agent_channel": "auto", "recordings": files, **fields}
    return client.post("/calls/upload", data=data, content_type="multipart/form-data")


def _review(session, call, reviewer):
    return session.exec(select(Review).where(Review.call_id == call.id, Review.reviewer_id == reviewer.id)).one()


def _accept_all(client, auth, call, except_for=()):
    token = auth.csrf(f"/calls/{call.id}")
    for d in DIMENSIONS:
        if d not in except_for:
            assert client.post(f"/calls/{call.id}/scores/{d}", data={"action": "accept"}, headers={"X-CSRFToken": token}).status_code == 200
    return token


@pytest.mark.parametrize("payload, reason", [
    (b"", "empty"),
    (b"this is a text file, not a recording" * 20, "not audio"),
])
def test_upload_refuses_what_is_not_a_usable_recording(client, auth, team_setup, queued_calls, session, payload, reason):
    auth.login("rita")
    response = _upload(client, auth, team_setup["ann"].id, [(io.BytesIO(payload), "call.wav")])
    assert response.status_code == 400 and reason in response.get_data(as_text=True)
    assert session.exec(select(Call)).first() is None and not queued_calls


@pytest.fixture
def settings_overrides(settings_overrides):
    return {**settings_overrides, "max_audio_minutes": 1, "max_upload_mb": 1}


def test_upload_refuses_a_recording_longer_than_the_limit(client, auth, team_setup, queued_calls):
    auth.login("rita")
    response = _upload(client, auth, team_setup["ann"].id, [(io.BytesIO(wav_bytes(seconds=65, subtype="PCM_U8")), "long.wav")])
    assert response.status_code == 400 and "too long" in response.get_data(as_text=True)


def test_upload_over_the_size_limit_gets_a_413_with_a_reason(client, auth, team_setup):
    auth.login("rita")
    response = _upload(client, auth, team_setup["ann"].id, [(io.BytesIO(b"\0" * (1024 * 1024 + 10)), "big.wav")])
    assert response.status_code == 413 and "COACH_MAX_UPLOAD_MB" in response.get_data(as_text=True)


def test_upload_keeps_the_original_bytes_under_a_generated_name_and_queues_the_first_pass(app, client, auth, team_setup, queued_calls, session):
    auth.login("rita")
    good, bad = wav_bytes(channels=2), b"nonsense" * 50
    response = _upload(client, auth, team_setup["ann"].id,
                       [(io.BytesIO(good), "../../etc/passwd.wav"), (io.BytesIO(bad), "notes.txt")])
    assert response.status_code == 302
    call = session.exec(select(Call)).one()
    recording = session.get(Recording, call.recording_id)
    stored = app.config["COACH"].recordings_dir / recording.stored_name
    assert stored.read_bytes() == good and "passwd" not in recording.stored_name and stored.parent == app.config["COACH"].recordings_dir
    assert recording.channels == 2 and call.agent_id == team_setup["ann"].id and call.external_id == ""
    assert queued_calls == [call.id] and call.job_id is not None
    listing = client.get("/calls").get_data(as_text=True)
    assert "notes.txt was refused" in listing and f"#{call.id}" in listing


def test_trainee_cannot_open_the_review_screen_or_upload(client, auth, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("ann")
    assert client.get(f"/calls/{call.id}").status_code == 403
    assert client.get("/calls/upload").status_code == 403
    assert client.get("/calls/export?format=csv").status_code == 403


def test_trainee_sees_only_their_own_finalised_scorecards(client, auth, session, team_setup, make_call):
    own, others = make_call(team_setup["ann"]), make_call(team_setup["ben"])
    auth.login("rita")
    client.post(f"/calls/{own.id}/scores/empathy", data={"action": "accept"}, headers={"X-CSRFToken": auth.csrf(f"/calls/{own.id}")})
    draft = _review(session, own, team_setup["rita"])
    for call in (others,):
        _accept_all(client, auth, call)
        client.post(f"/calls/{call.id}/finalise", data={"csrf_token": auth.csrf(f"/calls/{call.id}")})
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login("ann")
    assert client.get(f"/calls/{own.id}/scorecards/{draft.id}").status_code == 403  # a draft
    other_review = _review(session, others, team_setup["rita"])
    assert client.get(f"/calls/{others.id}/scorecards/{other_review.id}").status_code == 403  # another agent's
    assert client.get(f"/calls/{others.id}/audio").status_code == 403
    assert f"Call #{others.id}" not in client.get("/calls/mine").get_data(as_text=True)


def test_opening_the_review_screen_writes_nothing_until_the_first_change(client, auth, session, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    page = client.get(f"/calls/{call.id}")
    assert page.status_code == 200 and "Finalise" in page.get_data(as_text=True)
    assert session.exec(select(Review)).all() == []
    assert f"#{call.id}" in client.get("/calls/panels/queue").get_data(as_text=True)  # still waiting for this reviewer
    response = client.post(f"/calls/{call.id}/checklist/timeline", data={"done": "1", "at": "4.0"},
                           headers={"X-CSRFToken": auth.csrf(f"/calls/{call.id}")})
    review = _review(session, call, team_setup["rita"])
    assert response.status_code == 200 and review.checklist["timeline"] == {"done": True, "at": 4.0}
    assert review.scores["empathy"]["auto"] == call.result["scores"]["empathy"]


def test_override_without_a_reason_is_refused(client, auth, session, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    token = auth.csrf(f"/calls/{call.id}")
    response = client.post(f"/calls/{call.id}/scores/empathy", data={"action": "override", "score": "12", "reason": " "},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 422 and "Say why" in response.get_data(as_text=True)
    review = _review(session, call, team_setup["rita"])
    session.refresh(review)
    assert review.scores["empathy"]["score"] == call.result["scores"]["empathy"] and not review.scores["empathy"]["overridden"]
    response = client.post(f"/calls/{call.id}/scores/empathy", data={"action": "override", "score": "12", "reason": "never acknowledged the delay"},
                           headers={"X-CSRFToken": token})
    session.refresh(review)
    assert response.status_code == 200 and review.scores["empathy"] == {
        "score": 12, "auto": call.result["scores"]["empathy"], "overridden": True, "accepted": True, "reason": "never acknowledged the delay"}


def test_finalised_scorecard_with_comments_is_shown_to_the_agent_and_locked(client, auth, session, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    client.get(f"/calls/{call.id}")
    token = auth.csrf(f"/calls/{call.id}")
    refused = client.post(f"/calls/{call.id}/finalise", data={"csrf_token": token}, follow_redirects=True)
    assert "Accept or override every score first" in refused.get_data(as_text=True)
    _accept_all(client, auth, call, except_for=("clarity",))
    client.post(f"/calls/{call.id}/scores/clarity", data={"action": "override", "score": "90", "reason": "very clear steps"}, headers={"X-CSRFToken": token})
    client.post(f"/calls/{call.id}/checklist/timeline", data={"done": "0"}, headers={"X-CSRFToken": token})
    client.post(f"/calls/{call.id}/speakers", data={"segment": "1", "speaker": "agent"}, headers={"X-CSRFToken": token})
    client.post(f"/calls/{call.id}/comments", data={"text": "Good apology here", "at": "7.0"}, headers={"X-CSRFToken": token})
    response = client.post(f"/calls/{call.id}/finalise", data={"csrf_token": token})
    review = _review(session, call, team_setup["rita"])
    session.refresh(review)
    assert response.status_code == 302 and review.status == ReviewStatus.final and review.overall is not None
    assert review.scores["clarity"]["score"] == 90 and review.checklist["timeline"]["done"] is False
    assert review.speaker_fixes == {"1": "agent"}
    late = client.post(f"/calls/{call.id}/scores/jargon", data={"action": "override", "score": "1", "reason": "x"}, headers={"X-CSRFToken": token})
    assert late.status_code == 422 and "final" in late.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login("ann")
    page = client.get(f"/calls/{call.id}/scorecards/{review.id}").get_data(as_text=True)
    assert "Good apology here" in page and "very clear steps" in page and "[card number]" in page and "4539" not in page
    assert f"Call #{call.id}" in client.get("/calls/mine").get_data(as_text=True)
    assert client.get(f"/calls/{call.id}/audio").status_code == 200
    rows = finalised_review_rows(session)
    assert len(rows) == 1 and rows[0][2]["clarity"] == 90.0 and "parcel is late" in rows[0][1]  # the fixed speaker


def test_csv_export_filters_by_date_team_and_agent(client, auth, session, team_setup, make_call):
    from datetime import date

    calls = [make_call(team_setup["ann"], call_date=date(2024, 5, 6)), make_call(team_setup["cy"], call_date=date(2024, 5, 7)),
             make_call(team_setup["ben"], call_date=date(2024, 6, 1))]
    auth.login("rita")
    for call in calls:
        client.get(f"/calls/{call.id}")
        _accept_all(client, auth, call)
        client.post(f"/calls/{call.id}/finalise", data={"csrf_token": auth.csrf(f"/calls/{call.id}")})

    def agents(query):
        response = client.get("/calls/export?format=csv&" + query)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        return [row["agent"] for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))]

    assert agents("") == ["ann", "cy", "ben"]
    assert agents("from=2024-05-01&to=2024-05-31") == ["ann", "cy"]
    assert agents(f"team={team_setup['team'].id}") == ["ann", "ben"]
    assert agents(f"agent={team_setup['cy'].id}") == ["cy"]
    row = next(csv.DictReader(io.StringIO(client.get("/calls/export?format=csv").get_data(as_text=True))))
    assert row["score_empathy"] == str(calls[0].result["scores"]["empathy"]) and row["check_greeted"] == "yes"
    assert client.get("/calls/export?format=csv&from=yesterday").status_code == 400


def test_dashboard_panels_and_navigation_by_role(client, auth, team_setup, make_call):
    make_call(team_setup["ann"])
    auth.login("rita")
    assert 'href="/calls"' in client.get("/dashboard").get_data(as_text=True)
    assert "Call #1" in client.get("/calls/panels/queue").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login("ann")
    assert 'href="/calls/mine"' in client.get("/dashboard").get_data(as_text=True)
    assert "No reviewed calls yet" in client.get("/calls/panels/mine").get_data(as_text=True)


def test_a_card_number_typed_into_a_comment_is_redacted_before_it_is_stored(client, auth, session, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    client.get(f"/calls/{call.id}")
    token = auth.csrf(f"/calls/{call.id}")
    page = client.post(f"/calls/{call.id}/comments", data={"text": "Customer read out 4539 1488 0343 6467 here", "at": "3.0"},
                       headers={"X-CSRFToken": token}).get_data(as_text=True)
    stored = session.exec(select(ReviewComment)).one()
    assert "4539" not in stored.text and "6467" not in stored.text and "4539" not in page
    assert stored.text.startswith("Customer read out") and stored.text.endswith("here")
