"""Hardening (issue 13): recordings are served only as audio, hostile headers cannot blow up the decoder, storage is
bounded and swept, every decoder failure is a message a person can act on, and opening a review writes nothing.

The hostile files are built byte by byte with ``struct`` (``tests/security/fuzz_uploads.py``), so each test says
exactly what the attacker sent.
"""
from __future__ import annotations

import io
import os
import random
import resource
import time
import tracemalloc
from datetime import date

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from coach.cli import cli
from coach.jobs import handlers
from coach.jobs.runner import run_job
from coach.models import Call, JobStatus, Recording, Scenario
from coach.review.intake import CallDetails, receive_call
from coach.roleplay import practice
from coach.roleplay.scenario_store import sync_scenarios
from coach.speech.audio import CONTAINER_TYPES, AudioError, decode_audio, probe_audio
from coach.speech.storage import SERVED_TYPES, SUFFIX_TYPES, store_recording, sweep_incoming
from scenarios import load_library
from tests.roleplay.conftest import GOOD_REPLY, VOICE_SCENARIO
from tests.security.fuzz_uploads import chunk, tone_pcm, wav
from tests.speech.conftest import encode

PAGE = b"<html><body><script>fetch('/admin').then(r => r.text()).then(alert)</script></body></html>"
MB = 1024 * 1024


# --- hostile WAV files, byte by byte ------------------------------------------------------------

def wav_carrying_a_page(seconds: float = 1.0) -> bytes:
    """A playable WAV with a web page in its comment chunk: rendered as a page if served as text/html."""
    return wav(tone_pcm(seconds), extra=chunk(b"LIST", b"INFO" + chunk(b"ICMT", PAGE)))


def one_hertz_bomb() -> bytes:
    """32 KB whose header claims 1 Hz (each sample would resample to 16,000) and a byte rate that hides the length."""
    noise = np.random.default_rng(13).integers(-20000, 20000, 16000, dtype="<i2").tobytes()
    return wav(noise, rate=1, byte_rate=32000)


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture
def queued(monkeypatch) -> list[dict]:
    """Both jobs replaced by ones that note their payload (these tests are about intake, not Whisper)."""
    seen: list[dict] = []
    for kind in ("roleplay_reply", "call_first_pass"):
        monkeypatch.setitem(handlers.HANDLERS, kind, lambda ctx: seen.append(ctx.job.payload) or {})
    return seen


@pytest.fixture
def settings(app):
    return app.config["COACH"]


@pytest.fixture
def voice_attempt(session, tmp_path, team_setup):
    """Ann (team Blue, trainer tess) at the first line of a voice role-play."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "parcel_call.yaml").write_text(VOICE_SCENARIO)
    (folder / "opening.wav").write_bytes(wav(tone_pcm(0.5)))
    sync_scenarios(session, load_library(folder))
    return practice.start_attempt(session, team_setup["ann"], session.exec(select(Scenario)).one())


def record(client, auth, attempt, data: bytes, mimetype: str = "audio/webm", name: str = "reply.webm"):
    page = f"/practice/attempts/{attempt.id}"
    return client.post(f"{page}/recording", data={"audio": (io.BytesIO(data), name, mimetype)},
                       headers={"X-CSRFToken": auth.csrf(page), "HX-Request": "true"}, content_type="multipart/form-data")


def upload_call(client, auth, agent, data: bytes, mimetype: str = "audio/wav", **fields):
    data = {"csrf_token": auth.csrf("/calls/upload"), "agent_id": str(agent.id), "call_date": "2024-05-06",
            "call_type": "complaint", "agent_channel": "auto", "recordings": [(io.BytesIO(data), "call.wav", mimetype)],
            **fields}
    return client.post("/calls/upload", data=data, content_type="multipart/form-data")


def stored_files(settings) -> list:
    folder = settings.recordings_dir
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def assert_served_as_audio(response, mimetype: str) -> None:
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.headers.get("Content-Disposition", "")


def assert_sent_as_download(response) -> None:
    assert response.status_code == 200 and response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- 1. stored XSS through recordings -----------------------------------------------------------

def test_every_type_a_container_maps_to_is_an_allowed_audio_type():
    assert set(CONTAINER_TYPES.values()) <= SERVED_TYPES and set(SUFFIX_TYPES.values()) <= SERVED_TYPES
    assert all(kind.startswith("audio/") for kind in SERVED_TYPES)


@pytest.mark.parametrize(("container", "codec", "rate", "expected"), [
    ("wav", "pcm_s16le", 16000, "audio/wav"), ("ogg", "libopus", 48000, "audio/ogg"),
    ("webm", "libopus", 48000, "audio/webm"), ("mp3", "libmp3lame", 44100, "audio/mpeg"),
    ("ipod", "aac", 48000, "audio/mp4"), ("flac", "flac", 22050, "audio/flac"),
])
def test_the_stored_type_comes_from_the_decoded_container(container, codec, rate, expected):
    t = np.arange(rate) / rate
    data = encode(np.stack([(0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)]), rate, container, codec)
    assert decode_audio(data).content_type == expected and probe_audio(data).content_type == expected


def test_a_reply_uploaded_as_html_is_kept_and_served_to_the_trainer_as_audio(client, auth, session, settings, voice_attempt,
                                                                             queued):
    auth.login("ann")
    response = record(client, auth, voice_attempt, wav_carrying_a_page(), mimetype="text/html", name="reply.html")
    assert response.status_code == 202, response.get_data(as_text=True)
    recording = session.exec(select(Recording)).one()
    assert recording.content_type == "audio/wav" and recording.stored_name.endswith(".wav")
    practice.apply_reply(session, voice_attempt, GOOD_REPLY, settings, recording_id=recording.id)
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login("tess")
    served = client.get(f"/practice/attempts/{voice_attempt.id}/turns/0/audio")
    assert_served_as_audio(served, "audio/wav")
    assert PAGE in served.data  # the bytes are kept as they came; only how they are sent changed


def test_a_reply_kept_with_a_client_chosen_type_is_sent_as_a_download(client, auth, session, settings, voice_attempt):
    """Rows stored before this fix still carry the uploader's type: they are never rendered."""
    stored = store_recording(wav_carrying_a_page(), settings.recordings_dir, "reply.wav")
    recording = Recording(stored_name=stored.stored_name, content_type="text/html; charset=utf-8", size_bytes=stored.size,
                          uploaded_by=voice_attempt.user_id)
    session.add(recording)
    session.commit()
    practice.apply_reply(session, voice_attempt, GOOD_REPLY, settings, recording_id=recording.id)
    auth.login("tess")
    assert_sent_as_download(client.get(f"/practice/attempts/{voice_attempt.id}/turns/0/audio"))


def test_a_call_uploaded_as_html_is_served_as_audio_and_an_old_html_row_as_a_download(client, auth, session, team_setup,
                                                                                     queued):
    auth.login("rita")
    assert upload_call(client, auth, team_setup["ann"], wav_carrying_a_page(2.0), mimetype="text/html").status_code == 302
    call = session.exec(select(Call)).one()
    recording = session.get(Recording, call.recording_id)
    assert recording.content_type == "audio/wav"
    assert_served_as_audio(client.get(f"/calls/{call.id}/audio"), "audio/wav")
    recording.content_type = "text/html"
    session.add(recording)
    session.commit()
    assert_sent_as_download(client.get(f"/calls/{call.id}/audio"))


def test_a_customer_line_is_served_as_audio_by_its_suffix(client, auth, voice_attempt):
    auth.login("ann")
    assert_served_as_audio(client.get("/practice/scenarios/parcel-call/turns/opening/audio"), "audio/wav")


# --- 2. decode bombs ----------------------------------------------------------------------------

def test_a_one_hertz_header_is_refused_before_decoding_with_bounded_memory():
    bomb = one_hertz_bomb()
    assert len(bomb) < 33 * 1024
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        for max_seconds in (180, 7200, None):  # the worker's reply limit, the call limit, no limit
            with pytest.raises(AudioError, match="sample rate of 1 Hz"):
                decode_audio(bomb, max_seconds=max_seconds)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2.0
    assert peak < 300 * MB
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before < 300 * MB


@pytest.mark.parametrize(("header", "message"), [
    ({"rate": 4000}, "sample rate of 4000 Hz"),
    ({"rate": 384000}, "sample rate of 384000 Hz"),
    ({"channels": 16}, "16 channels"),
])
def test_headers_out_of_range_are_refused(header, message):
    with pytest.raises(AudioError, match=message):
        decode_audio(wav(tone_pcm(0.5), **header))


def test_a_header_that_hides_the_length_cannot_grow_the_output_past_the_limit():
    """Ten times the real byte rate: the header promises 3 s, the samples run 30 s; decoding stops at the cap."""
    lying = wav(tone_pcm(30, rate=8000), rate=8000, byte_rate=160000)
    tracemalloc.start()
    try:
        with pytest.raises(AudioError, match="too long"):
            decode_audio(lying, max_seconds=5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(lying) + 3 * (5 + 1) * 16000 * 4  # the input, the capped buffer and a frame or two


def test_a_bomb_is_refused_at_both_uploads_and_nothing_is_stored(client, auth, session, settings, team_setup, voice_attempt,
                                                                  queued):
    auth.login("ann")
    response = record(client, auth, voice_attempt, one_hertz_bomb(), mimetype="audio/wav")
    assert response.status_code == 400 and "sample rate" in response.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login("rita")
    response = upload_call(client, auth, team_setup["ann"], one_hertz_bomb())
    assert response.status_code == 400 and "sample rate" in response.get_data(as_text=True)
    assert stored_files(settings) == [] and session.exec(select(Recording)).all() == [] and not queued


# --- 3. bounded storage -------------------------------------------------------------------------

@pytest.fixture
def settings_overrides(settings_overrides):
    return {**settings_overrides, "max_reply_mb": 1, "max_user_storage_mb": 2}


def test_random_bytes_are_refused_before_anything_is_stored(client, auth, session, settings, voice_attempt, queued):
    auth.login("ann")
    response = record(client, auth, voice_attempt, random.Random(13).randbytes(900 * 1024))
    assert response.status_code == 400 and "not audio" in response.get_data(as_text=True)
    assert stored_files(settings) == [] and session.exec(select(Recording)).all() == [] and not queued


def test_a_reply_over_the_reply_size_is_refused_before_it_is_stored(client, auth, session, settings, voice_attempt, queued):
    auth.login("ann")
    response = record(client, auth, voice_attempt, wav(tone_pcm(40)), mimetype="audio/wav")  # 1.3 MB, under 200 MB
    assert response.status_code == 400 and "over the 1 MB a reply may take" in response.get_data(as_text=True)
    assert stored_files(settings) == [] and not queued


def test_a_trainee_over_their_storage_cap_is_refused_with_a_clear_message(client, auth, session, settings, voice_attempt,
                                                                          team_setup, make_call_recording, queued):
    make_call_recording(team_setup["ann"], 5 * MB)  # a call someone uploaded in ann's name does not count
    auth.login("ann")
    reply = wav(tone_pcm(20))  # 640 KB
    for _ in range(3):
        assert record(client, auth, voice_attempt, reply, mimetype="audio/wav").status_code == 202
    refused = record(client, auth, voice_attempt, reply, mimetype="audio/wav")
    assert refused.status_code == 400 and "of the 2 MB each trainee may keep" in refused.get_data(as_text=True)
    assert len(queued) == 3 and practice.recording_storage_used(session, team_setup["ann"]) == 3 * len(reply)


@pytest.fixture
def make_call_recording(session, settings, team_setup):
    def make(uploaded_by, size: int) -> Recording:
        recording = Recording(stored_name=f"call-{size}.wav", size_bytes=size, content_type="audio/wav", uploaded_by=uploaded_by.id)
        session.add(recording)
        session.flush()
        session.add(Call(recording_id=recording.id, agent_id=team_setup["ben"].id, call_date=date(2024, 5, 6)))
        session.commit()
        return recording
    return make


def _age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_half_written_uploads_and_abandoned_streamed_takes_older_than_an_hour_are_swept(tmp_path):
    old, fresh, kept = tmp_path / ".incoming-a1.part", tmp_path / ".incoming-b2.part", tmp_path / "c3.wav"
    take, live = tmp_path / ".live-d4.pcm", tmp_path / ".live-e5.pcm"
    for path in (old, fresh, kept, take, live):
        path.write_bytes(b"x")
    for path in (old, kept, take):
        _age(path, 2 * 3600)
    assert sweep_incoming(tmp_path) == 2
    assert not old.exists() and not take.exists() and fresh.exists() and kept.exists() and live.exists()
    assert sweep_incoming(tmp_path / "not-made-yet") == 0


def _cli_env(settings_overrides) -> dict:
    return {"COACH_INSTANCE_DIR": str(settings_overrides["instance_dir"]), "COACH_QUEUE_URL": "memory://",
            "COACH_RECORDINGS_DIR": str(settings_overrides["recordings_dir"]),
            "COACH_DATABASE_URL": settings_overrides["database_url"]}


def test_coach_init_and_the_worker_sweep_half_written_uploads(settings_overrides, monkeypatch):
    from huey.api import Huey

    folder = settings_overrides["recordings_dir"]
    folder.mkdir(parents=True)
    runner = CliRunner(env=_cli_env(settings_overrides))
    for command in (["init", "--skip-model"], ["worker"]):
        part = folder / ".incoming-crash.part"
        part.write_bytes(b"half an upload")
        _age(part, 2 * 3600)
        monkeypatch.setattr(Huey, "create_consumer", lambda self, **options: type("Idle", (), {"run": lambda _: None})())
        result = runner.invoke(cli, command, catch_exceptions=False)
        assert result.exit_code == 0 and "half-written" in result.output and not part.exists(), result.output


# --- 4. hostile input never crashes, never leaks ------------------------------------------------

def test_an_audio_track_without_a_codec_is_an_audio_error():
    with pytest.raises(AudioError, match="no codec"):
        decode_audio(wav(tone_pcm(0.5), format_tag=0x1234))
    with pytest.raises(AudioError, match="no codec"):
        probe_audio(wav(tone_pcm(0.5), format_tag=0x1234))


def test_mutated_recordings_give_audio_errors_only():
    """A quick replay of the fuzzing that found the crash: damaged headers and bodies of every accepted container."""
    rate = 16000
    t = np.arange(rate // 2) / rate
    signal = np.stack([(0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)])
    seeds = [wav(tone_pcm(0.5)), encode(signal, rate, "webm", "libopus"), encode(signal, rate, "mp3", "libmp3lame"),
             encode(signal, rate, "ipod", "aac"), encode(signal, rate, "flac", "flac")]
    rng = random.Random(13)
    for _ in range(300):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(min(len(data), rng.choice((64, 512, len(data)))))] = rng.randrange(256)
        for reader in (decode_audio, probe_audio):
            try:
                reader(bytes(data), max_seconds=180)
            except AudioError as error:
                assert "object has no attribute" not in str(error) and "Traceback" not in str(error)


def test_an_unexpected_decoder_failure_reaches_the_trainee_as_a_plain_message(app, session, settings, voice_attempt,
                                                                             team_setup, monkeypatch, caplog):
    queue = app.extensions["coach.jobs.queue"]
    immediate, queue.huey.immediate = queue.huey.immediate, False  # hold the job until the decoder is broken
    try:
        job = practice.submit_recorded_reply(session, queue, voice_attempt, wav(tone_pcm(1.0)), settings, team_setup["ann"])
    finally:
        queue.huey.immediate = immediate

    def broken(*args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'channels'")

    monkeypatch.setattr("coach.jobs.roleplay_reply.decode_audio", broken)
    run_job(app.extensions["coach.engine"], settings, job.id, handlers.HANDLERS)
    session.refresh(job)
    assert job.status == JobStatus.failed and job.error.startswith("We could not read this recording.")
    assert "NoneType" not in job.error and "NoneType" in caplog.text


def test_any_unexpected_job_failure_is_logged_not_shown(app, session, settings, monkeypatch, caplog):
    def crashing(ctx):
        raise RuntimeError("connection to 10.0.0.7:5432 refused for user coach_admin")

    monkeypatch.setitem(handlers.HANDLERS, "crashing", crashing)
    job = app.extensions["coach.jobs.queue"].submit(session, "crashing", {})
    session.refresh(job)
    assert job.status == JobStatus.failed and "10.0.0.7" not in job.error and "Retry" in job.error
    assert "10.0.0.7" in caplog.text


def test_a_single_upload_without_an_external_id_makes_a_call(client, auth, session, settings, team_setup, queued):
    auth.login("rita")
    response = upload_call(client, auth, team_setup["ann"], wav(tone_pcm(2.0)))  # no external_id field at all
    assert response.status_code == 302
    call = session.exec(select(Call)).one()
    assert call.external_id == "" and stored_files(settings) == [session.get(Recording, call.recording_id).stored_name]


def test_a_call_whose_rows_cannot_be_saved_leaves_no_file(session, settings, team_setup, monkeypatch):
    def locked():
        raise OperationalError("INSERT INTO calls", {}, Exception("database is locked"))

    monkeypatch.setattr(session, "commit", locked)
    details = CallDetails(team_setup["ann"], date(2024, 5, 6), external_id=None)
    with pytest.raises(OperationalError):
        receive_call(session, wav(tone_pcm(2.0)), "call.wav", "audio/wav", details, settings, team_setup["rita"])
    monkeypatch.undo()
    session.rollback()
    assert stored_files(settings) == [] and session.exec(select(Recording)).all() == []
