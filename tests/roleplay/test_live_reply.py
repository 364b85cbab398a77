"""A reply streamed while it is spoken: pieces in order, checked and kept, transcribed by the real job at Stop."""

import numpy as np
import pytest
from sqlmodel import select

from coach.models import Job, JobStatus, Recording
from coach.roleplay import practice
from coach.speech.audio import decode_audio
from tests.roleplay.conftest import csrf_header, speak

pytestmark = pytest.mark.slow
SPOKEN = "I am so sorry about your order. I will fix it for you today."


@pytest.fixture(scope="module")
def spoken_pcm(tmp_path_factory) -> bytes:
    """SPOKEN as the page streams it: 16 kHz mono 16-bit PCM."""
    samples = decode_audio(speak(tmp_path_factory.mktemp("speech"), SPOKEN)).mono()
    return (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()


@pytest.fixture
def settings_overrides(settings_overrides, tiny_model_dir):
    return {**settings_overrides, "whisper_model": tiny_model_dir, "asr_engine": "faster-whisper"}


def send(client, headers, url, offset, data, final=False):
    return client.post(f"{url}?offset={offset}" + ("&final=1" if final else ""), data=data, headers=headers,
                       content_type="application/octet-stream")


def test_a_streamed_reply_is_kept_transcribed_and_answers_the_customer(client, auth, session, scenarios, people, settings,
                                                                       spoken_pcm):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    auth.login("ann")
    headers = csrf_header(auth, f"/practice/attempts/{attempt.id}")
    started = client.post(f"/practice/attempts/{attempt.id}/live", headers=headers)
    assert started.status_code == 201
    url = started.get_json()["audio_url"]
    pieces = [spoken_pcm[i:i + 8000] for i in range(0, len(spoken_pcm), 8000)]
    offset = 0
    for piece in pieces[:-1]:
        assert send(client, headers, url, offset, piece).get_json()["received"] == offset + len(piece)
        offset += len(piece)
    assert send(client, headers, url, offset - len(pieces[-2]), pieces[-2]).get_json()["received"] == offset  # resent
    gap = send(client, headers, url, offset + 2, pieces[-1])
    assert gap.status_code == 400 and "went missing" in gap.get_data(as_text=True)
    assert send(client, headers, url, offset, pieces[-1], final=True).status_code == 202

    job = session.exec(select(Job).where(Job.kind == practice.LIVE_REPLY_JOB)).one()
    session.refresh(job)
    assert job.status == JobStatus.done, job.error
    (turn,) = practice.attempt_turns(session, attempt)
    said = turn.reply_text.lower()
    assert "sorry" in said and "order" in said and "today" in said
    recording = session.get(Recording, turn.recording_id)
    kept = settings.recordings_dir / recording.stored_name
    assert recording.content_type == "audio/wav" and kept.stat().st_size == len(spoken_pcm) + 44
    assert not list(settings.recordings_dir.glob(".live-*"))  # the streamed pieces are gone once the WAV is kept
    assert send(client, headers, url, len(spoken_pcm), b"\0\0", final=True).status_code == 400  # handled: no more


def test_a_stream_is_refused_past_the_reply_limit_and_for_another_trainees_attempt(client, auth, session, scenarios, people,
                                                                                  settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    auth.login("ann")
    headers = csrf_header(auth, f"/practice/attempts/{attempt.id}")
    url = client.post(f"/practice/attempts/{attempt.id}/live", headers=headers).get_json()["audio_url"]
    assert send(client, headers, url, 0, b"\0").status_code == 400  # not 16-bit
    limit = int(practice.reply_seconds(settings) * 32000)
    piece, offset = b"\0" * (1 << 19), 0
    while offset + len(piece) <= limit:
        assert send(client, headers, url, offset, piece).status_code == 200
        offset += len(piece)
    refused = send(client, headers, url, offset, piece)
    assert refused.status_code == 400 and "a reply may take" in refused.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": headers["X-CSRFToken"]})
    auth.login("ben")
    other = send(client, csrf_header(auth, "/practice/"), url, offset, b"\0\0")
    assert other.status_code in (403, 404)
    chat = practice.start_attempt(session, people["ben"], scenarios["parcel-chat"])
    refused = client.post(f"/practice/attempts/{chat.id}/live", headers=csrf_header(auth, "/practice/"))
    assert refused.status_code == 400 and "chat scenario" in refused.get_data(as_text=True)
