"""Seeded hostile uploads sent to Coach's two upload routes in a real app: a trainee's recorded role-play reply and
a reviewer's call recording.

Each upload must be refused with a message that names the problem (the call page names the file too) and leaves
nothing stored, or be accepted and its job then read the recording to a plain ending: a finished call, or a failed
job whose error a person can act on. A 5xx, a traceback, Python's own words in a message, a logged exception, a
stored file for a refused upload or a job left running is a crash. The speech engine hears nothing
(``silent_speech``): these cases are about reading hostile bytes, not about what Whisper hears.
"""
from __future__ import annotations

import html
import io
import logging
import random
import re
import struct
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator
from unittest import mock

import numpy as np
from sqlmodel import select

from coach import create_app, db
from coach.auth import accounts
from coach.models import Job, JobStatus, Role, Scenario
from coach.roleplay import practice
from coach.roleplay.scenario_store import sync_scenarios
from coach.speech.engines import Transcript
from scenarios import load_library
from tests.conftest import PASSWORD, AuthActions
from tests.roleplay.conftest import VOICE_SCENARIO
from tests.security.fuzzing import SEED, BrokenPromise, Case
from tests.speech.conftest import encode

MB = 1024 * 1024
PYTHON_WORDS = re.compile(r"Traceback|object has no attribute|NoneType|Errno|\b[A-Z]\w*(?:Error|Exception)\b|"
                          r"File \"|line \d+, in |0x[0-9a-f]{6,}")
MIMETYPES = ["audio/wav", "audio/webm", "audio/ogg", "audio/mpeg", "audio/mp4", "audio/flac", "text/html",
             "application/octet-stream", "", "audio/x-made-up", "image/svg+xml", "audio/wav; charset=<script>",
             "multipart/mixed", "text/plain"]
FILENAMES = ["reply.webm", "call.wav", "../../etc/passwd", "a" * 300 + ".wav", "page.html", "", "réponse😀.ogg",
             "CON.wav", "<img src=x onerror=alert(1)>.mp3", "call.wav.exe", ".wav", "x" * 255, "spaced name.flac"]


# --- WAV files byte by byte -------------------------------------------------------------------

def chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def wav(samples: bytes, rate: int = 16000, channels: int = 1, bits: int = 16, *, byte_rate: int | None = None,
        format_tag: int = 1, data_size: int | None = None, extra: bytes = b"") -> bytes:
    """A RIFF/WAVE file whose header says whatever the caller wants; ``extra`` chunks go before the samples."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", format_tag & 0xFFFF, channels & 0xFFFF, rate & 0xFFFFFFFF,
                      (rate * block if byte_rate is None else byte_rate) & 0xFFFFFFFF, block & 0xFFFF, bits & 0xFFFF)
    data = b"data" + struct.pack("<I", (len(samples) if data_size is None else data_size) & 0xFFFFFFFF) + samples
    body = b"WAVE" + chunk(b"fmt ", fmt) + extra + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def tone_pcm(seconds: float, rate: int = 16000, channels: int = 1) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2")
    return np.repeat(mono, channels).tobytes()


# --- the cases --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Upload:
    """One hostile upload: to which route, its bytes, the type and name the client claims."""

    name: str
    route: str  # "reply" (a trainee's role-play recording) or "call" (a reviewer's call recording)
    data: bytes
    mimetype: str
    filename: str


def seed_recordings() -> list[tuple[str, bytes]]:
    """A short good recording in each accepted container (made with PyAV, as a browser or phone system would)."""
    rate = 16000
    t = np.arange(rate // 2) / rate
    mono = np.stack([(0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)])
    stereo = np.concatenate([mono, 0.5 * mono])
    return [("wav", wav(tone_pcm(0.5))), ("stereo wav", wav(tone_pcm(0.5, channels=2), channels=2)),
            ("webm", encode(mono, rate, "webm", "libopus")), ("ogg", encode(stereo, 48000 // 3, "ogg", "libopus")),
            ("mp3", encode(mono, rate, "mp3", "libmp3lame")), ("m4a", encode(mono, rate, "ipod", "aac")),
            ("flac", encode(stereo, rate, "flac", "flac"))]


def _hostile_wav(rng: random.Random) -> tuple[bytes, str]:
    """A WAV whose header lies: rates, channels, bits, codecs, sizes and chunks out of range."""
    field = rng.choice(["rate", "channels", "bits", "format_tag", "byte_rate", "data_size", "extra"])
    value = {
        "rate": rng.choice([0, 1, 7, 100, 8000, 384_000, 2**31 - 1, 2**32 - 1]),
        "channels": rng.choice([0, 2, 3, 9, 64, 65535]),
        "bits": rng.choice([0, 1, 7, 8, 24, 32, 64, 65535]),
        "format_tag": rng.choice([0, 2, 3, 6, 7, 0x11, 0x55, 0x1234, 0xFFFE]),
        "byte_rate": rng.choice([0, 1, 32000, 2**32 - 1]),
        "data_size": rng.choice([0, 1, 2**31, 2**32 - 1]),
        "extra": rng.choice([chunk(b"LIST", b"INFO" + chunk(b"ICMT", b"<script>alert(1)</script>")),
                             chunk(b"junk", bytes(rng.randrange(256) for _ in range(200))),
                             b"fmt " + struct.pack("<I", 2**32 - 1), chunk(b"data", b"")]),
    }[field]
    seconds = rng.choice([0.0, 0.01, 0.5, 2.0])
    return wav(tone_pcm(seconds), **{field: value}), f"WAV with {field}={value if field != 'extra' else '…'}"


def _damaged(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    operation = rng.randrange(6)
    if operation == 0:
        cut = rng.randrange(len(data) + 1)
        return data[:cut], f"cut at {cut}"
    if operation == 1:
        damaged = bytearray(data)
        reach = min(len(damaged), rng.choice((16, 64, 512, len(damaged))))
        for _ in range(rng.randint(1, 16)):
            damaged[rng.randrange(reach)] = rng.randrange(256)
        return bytes(damaged), f"bytes flipped in the first {reach}"
    if operation == 2:
        return rng.choice([b"<html><script>alert(1)</script></html>", b"GIF89a", b"\x00" * 64, b"RIFF"]) + data, \
            "junk before the container"
    if operation == 3:
        return data + data, "the file twice"
    if operation == 4:
        start = rng.randrange(len(data) + 1)
        return data[:start] + data[start + rng.randint(1, 400):], "a slice removed"
    return data[: len(data) // 2] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000))), "second half junk"


def upload_cases(count: int, seed: int = SEED) -> list[Upload]:
    """``count`` hostile uploads, alternating between the two routes."""
    rng = random.Random(seed + 3)
    seeds = seed_recordings()
    cases = []
    for number in range(count):
        kind = rng.randrange(10)
        if kind < 5:
            label, data = rng.choice(seeds)
            data, what = _damaged(data, rng)
            what = f"{label}, {what}"
        elif kind < 8:
            data, what = _hostile_wav(rng)
        elif kind == 8:
            data, what = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 44, 4096, 65536]))), "random bytes"
        else:
            data, what = rng.choice([(b"", "empty"), (b"<html><body>hi</body></html>", "a web page"),
                                     (b"%PDF-1.4\n", "a PDF"), (b"ID3\x04\x00\x00\x00\x00\x00\x00", "an empty ID3 tag"),
                                     (b"OggS" + b"\x00" * 100, "an Ogg page of zeros"),
                                     (b"\x1aE\xdf\xa3" + b"\xff" * 60, "a Matroska header of ones")])
        route = "reply" if number % 2 == 0 else "call"
        mimetype, filename = rng.choice(MIMETYPES), rng.choice(FILENAMES)
        name = f"upload#{number} {route}: {what} as {mimetype or 'no type'}"
        cases.append(Upload(name, route, data, mimetype, filename))
    return cases


def as_case(upload: Upload) -> Case:
    """The upload as the harness's ``Case`` (its name and bytes)."""
    return Case(upload.name, upload.data)


# --- the app they go to ------------------------------------------------------------------------

@dataclass(frozen=True)
class SilentEngine:
    """A speech engine that hears no words in any audio."""

    name: str = "silent"
    model: str = "none"
    language: str = "en"

    def transcribe(self, samples, progress=None) -> Transcript:
        if progress is not None:
            progress(1.0)
        return Transcript([], self.language, len(samples) / 16000)


@contextmanager
def silent_speech():
    """Both jobs run for real, decoding and all, with ``SilentEngine`` in place of Whisper."""
    with mock.patch("coach.jobs.roleplay_reply.resolve_model", lambda *args: "none"), \
            mock.patch("coach.jobs.roleplay_reply.get_engine", lambda *args: SilentEngine()), \
            mock.patch("coach.calls.pipeline.engine_for", lambda settings: SilentEngine()):
        yield


class _Logged(logging.Handler):
    """Keeps every error Coach logs while a case runs (a crash the user never sees is still a crash)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class UploadTarget:
    """A migrated app with a trainee (``ann``) at the first line of a voice role-play and a reviewer (``rita``),
    each signed in with their own client."""

    app: object
    trainee: object
    reviewer: object
    attempt_id: int
    agent_id: int
    recordings_dir: Path
    logged: _Logged

    def session(self):
        return db.session_scope(self.app.extensions["coach.engine"])


@contextmanager
def upload_target(folder: Path) -> Iterator[UploadTarget]:
    """The app under ``folder`` (its own database, recordings and scenario) with both people signed in, its jobs
    run with ``silent_speech`` and Coach's logged errors kept."""
    app = create_app({"instance_dir": folder / "instance", "recordings_dir": folder / "recordings",
                      "database_url": f"sqlite:///{folder / 'coach.sqlite3'}", "queue_url": "memory://",
                      "secret_key": "fuzz-secret", "testing": True})
    db.upgrade(app.extensions["coach.engine"])
    scenario_dir = folder / "scenarios"
    scenario_dir.mkdir(parents=True)
    (scenario_dir / "parcel_call.yaml").write_text(VOICE_SCENARIO)
    (scenario_dir / "opening.wav").write_bytes(wav(tone_pcm(0.5)))
    with db.session_scope(app.extensions["coach.engine"]) as session:
        trainer = accounts.create_user(session, "tess", PASSWORD, Role.trainer, "Tess")
        team = accounts.create_team(session, "Blue", trainer)
        ann = accounts.create_user(session, "ann", PASSWORD, Role.trainee, "Ann", team)
        accounts.create_user(session, "rita", PASSWORD, Role.reviewer, "Rita")
        sync_scenarios(session, load_library(scenario_dir))
        attempt = practice.start_attempt(session, ann, session.exec(select(Scenario)).one())
        attempt_id, agent_id = attempt.id, ann.id
    trainee, reviewer = AuthActions(app.test_client()), AuthActions(app.test_client())
    trainee.login("ann")
    reviewer.login("rita")
    logged = _Logged()
    logging.getLogger("coach").addHandler(logged)
    try:
        with silent_speech():
            yield UploadTarget(app, trainee, reviewer, attempt_id, agent_id, folder / "recordings", logged)
    finally:
        logging.getLogger("coach").removeHandler(logged)
        app.extensions["coach.engine"].dispose()


def _stored(target: UploadTarget) -> set[str]:
    folder = target.recordings_dir
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def _alert_text(page: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</(?:p|div)>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise BrokenPromise(message)


def _post(target: UploadTarget, upload: Upload):
    if upload.route == "reply":
        page = f"/practice/attempts/{target.attempt_id}"
        client = target.trainee
        return client.client.post(f"{page}/recording", content_type="multipart/form-data",
                                  data={"audio": (io.BytesIO(upload.data), upload.filename, upload.mimetype)},
                                  headers={"X-CSRFToken": client.csrf(page), "HX-Request": "true"})
    client = target.reviewer
    form = {"csrf_token": client.csrf("/calls/upload"), "agent_id": str(target.agent_id),
            "call_date": date(2024, 5, 6).isoformat(), "call_type": "complaint", "agent_channel": "auto",
            "recordings": [(io.BytesIO(upload.data), upload.filename, upload.mimetype)]}
    return client.client.post("/calls/upload", data=form, content_type="multipart/form-data")


def _latest_job(target: UploadTarget) -> Job | None:
    with target.session() as session:
        job = session.exec(select(Job).order_by(Job.id.desc())).first()
        if job is not None:
            session.expunge(job)
        return job


def check_upload(target: UploadTarget, upload: Upload) -> str:
    """Send one upload; it is refused with a clear message and nothing stored, or its job ends plainly.
    Returns which ("refused" or "accepted")."""
    before, job_before = _stored(target), _latest_job(target)
    target.logged.records.clear()
    response = _post(target, upload)
    page = response.get_data(as_text=True)
    _require(response.status_code < 500, f"status {response.status_code}")
    leaked = PYTHON_WORDS.search(page)
    _require(leaked is None, f"Python's words on the page: {leaked and leaked.group(0)!r}")
    _require(not target.logged.records, "logged: " + "; ".join(r.getMessage()[:300] for r in target.logged.records))
    if response.status_code >= 400:
        message = _alert_text(page)
        _require(len(message) > 10, f"refused ({response.status_code}) without a message")
        if upload.route == "call":
            named = " ".join(upload.filename.split()) or "(no file)"  # a form's file without a name is none chosen
            _require(message.startswith(f"Nothing was uploaded. {named}: "),
                     f"the refusal names no file: {message[:200]!r}")
        _require(_stored(target) == before, "a refused upload left files behind")
        return "refused"
    _require(response.status_code in (202, 302), f"accepted with status {response.status_code}")
    _require(len(_stored(target) - before) >= 1, "accepted but nothing stored")
    job = _latest_job(target)
    _require(job is not None and (job_before is None or job.id > job_before.id), "accepted but no job")
    _require(job.status in (JobStatus.done, JobStatus.failed), f"job left {job.status}")
    if job.status == JobStatus.failed:
        _require(len(job.error) > 10 and not PYTHON_WORDS.search(job.error), f"job error {job.error[:200]!r}")
    return "accepted"
