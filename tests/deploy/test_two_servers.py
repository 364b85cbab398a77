"""Two `coach serve` processes on one PostgreSQL database and one Redis queue, as behind a load balancer: a session
begun on one is good on the other, and a job queued through one is followed to its end through the other.

Runs when COACH_TEST_POSTGRES_URL and COACH_TEST_REDIS_URL name servers (CI sets both); skipped otherwise.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from coach import db
from coach.auth import accounts
from coach.models import Job, Role
from coach.roleplay.scenario_store import sync_scenarios
from coach.speech.model_install import install_model
from scenarios import LIBRARY_DIR, load_library
from tests.postgres_schema import fresh_schema

POSTGRES_URL = os.environ.get("COACH_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("COACH_TEST_REDIS_URL")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (POSTGRES_URL and REDIS_URL),
                                 reason="COACH_TEST_POSTGRES_URL and COACH_TEST_REDIS_URL are not both set")]

COACH = str(Path(sys.executable).with_name("coach"))
PASSWORD = "long-enough-9"
SPOKEN = "I am so sorry about your order, I will fix it for you today."
START_TIMEOUT_S = 90
JOB_TIMEOUT_S = 180


@pytest.fixture
def database_url():
    """A schema of its own on the PostgreSQL server, dropped afterwards."""
    with fresh_schema(POSTGRES_URL, "coach_deploy") as url:
        yield url


@pytest.fixture
def environment(tmp_path, database_url) -> dict:
    """What both servers and the worker share: database, queue, secret key and the recordings folder."""
    model = install_model("tiny.en", tmp_path / "models")
    env = {**os.environ, "COACH_DATABASE_URL": database_url, "COACH_QUEUE_URL": REDIS_URL,
           "COACH_SECRET_KEY": "one-secret-for-every-server", "COACH_INSTANCE_DIR": str(tmp_path / "instance"),
           "COACH_RECORDINGS_DIR": str(tmp_path / "recordings"), "COACH_WHISPER_MODEL": str(model.ct2_dir),
           "COACH_ASR_ENGINE": "faster-whisper", "PYTHONUNBUFFERED": "1"}
    subprocess.run([COACH, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    engine = db.make_engine(database_url)
    with db.session_scope(engine) as session:
        sync_scenarios(session, load_library(LIBRARY_DIR))
        accounts.create_user(session, "ann", PASSWORD, Role.trainee, "Ann Example")
    engine.dispose()
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(arguments: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([COACH, *arguments], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, f"coach serve exited:\n{log.read_text()}"
        try:
            if requests.get(f"{base}/login", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not answer within {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture
def servers(environment, tmp_path):
    """Two servers on two ports and one queue worker, all on the same database and queue."""
    bases, processes = [], []
    try:
        for name in ("first", "second"):
            port = _free_port()
            log = tmp_path / f"{name}.log"
            process = _start(["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"], environment, log)
            processes.append(process)
            _wait_until_up(f"http://127.0.0.1:{port}", process, log)
            bases.append(f"http://127.0.0.1:{port}")
        processes.append(_start(["worker"], environment, tmp_path / "worker.log"))
        yield bases
    finally:
        for process in processes:
            _stop(process)


def _csrf(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def _signed_in(base: str) -> requests.Session:
    browser = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', browser.get(f"{base}/login", timeout=10).text).group(1)
    answer = browser.post(f"{base}/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token},
                          allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return browser


@pytest.fixture
def spoken_reply(tmp_path) -> bytes:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    path = tmp_path / "reply.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), SPOKEN], check=True)
    return path.read_bytes()


def test_a_session_from_one_server_is_good_on_the_other(servers):
    first, second = servers
    browser = _signed_in(first)
    page = browser.get(f"{second}/dashboard", allow_redirects=False, timeout=10)
    assert page.status_code == 200 and "Ann Example" in page.text
    assert requests.get(f"{second}/dashboard", allow_redirects=False, timeout=10).status_code == 302  # no cookie
    kept = requests.Session()
    kept.cookies.update(browser.cookies)
    browser.post(f"{second}/logout", headers={"X-CSRFToken": _csrf(page.text)}, timeout=10)
    assert kept.get(f"{first}/dashboard", allow_redirects=False, timeout=10).status_code == 302  # signed out everywhere


def _latest_job_id(database_url: str) -> int:
    engine = db.make_engine(database_url)
    with engine.connect() as connection:
        job_id = connection.execute(select(func.max(Job.id))).scalar_one()
    engine.dispose()
    return job_id


def test_a_job_queued_through_one_server_is_followed_to_its_end_through_the_other(servers, database_url,
                                                                                  spoken_reply):
    first, second = servers
    browser = _signed_in(first)
    briefing = browser.get(f"{first}/practice/scenarios/angry-refund", timeout=10).text
    started = browser.post(f"{first}/practice/scenarios/angry-refund/start", data={"csrf_token": _csrf(briefing)},
                           allow_redirects=False, timeout=10)
    attempt_url = started.headers["Location"]
    player = browser.get(f"{first}{attempt_url}", timeout=10).text
    queued = browser.post(f"{first}{attempt_url}/recording", files={"audio": ("reply.wav", spoken_reply, "audio/wav")},
                          headers={"X-CSRFToken": _csrf(player), "HX-Request": "true"}, timeout=30)
    assert queued.status_code == 202, queued.text
    job_url = f"/jobs/{_latest_job_id(database_url)}"  # the fragment names it only while the job is unfinished
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while "Loading the result" not in (fragment := browser.get(f"{second}{job_url}", timeout=10).text):
        assert "did not work" not in fragment, fragment
        assert time.monotonic() < deadline, f"the job did not finish within {JOB_TIMEOUT_S} s: {fragment}"
        time.sleep(0.5)
    next_url = re.search(r'hx-get="([^"]+)"', fragment).group(1)
    turn = browser.get(f"{second}{next_url}", headers={"HX-Request": "true"}, timeout=10).text
    assert "transcribed from your recording" in turn and "sorry" in turn.lower()
