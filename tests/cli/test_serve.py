"""`coach serve` starts several gunicorn workers, each building its own app, and answers the login page."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

COACH = Path(sys.executable).with_name("coach")
START_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def environment(tmp_path) -> dict:
    env = {**os.environ, "COACH_INSTANCE_DIR": str(tmp_path / "instance"), "COACH_RECORDINGS_DIR": str(tmp_path / "rec"),
           "COACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.sqlite3'}", "COACH_QUEUE_URL": "memory://",
           "COACH_SECRET_KEY": "serve-test"}
    subprocess.run([str(COACH), "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    return env


def _wait_for(url: str, server: subprocess.Popen) -> requests.Response:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert server.poll() is None, f"coach serve exited: {server.stdout.read()}"
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {START_TIMEOUT_S} s")


def test_serve_runs_two_gunicorn_workers_that_answer_the_login_page(environment):
    port = _free_port()
    server = subprocess.Popen([str(COACH), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        answers = [_wait_for(f"http://127.0.0.1:{port}/login", server)]
        answers += [requests.get(f"http://127.0.0.1:{port}/login", timeout=5) for _ in range(5)]
        assert all(a.status_code == 200 and 'name="csrf_token"' in a.text for a in answers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "2 gunicorn workers" in output
    assert output.count("Booting worker") == 2, output
