"""A real Coach server (and worker) on a free port with demo data, and headless Debian Chromium driving it."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
COACH = str(Path(sys.executable).with_name("coach"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"coach serve exited with {process.returncode}: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("live")
    env = {**os.environ, "COACH_INSTANCE_DIR": str(base / "instance"), "COACH_RECORDINGS_DIR": str(base / "recordings"),
           "COACH_QUEUE_URL": f"sqlite:///{base / 'queue.sqlite3'}", "PYTHONUNBUFFERED": "1"}
    env.pop("COACH_DATABASE_URL", None)
    subprocess.run([COACH, "init", "--demo"], env=env, check=True, capture_output=True, text=True)
    return env


@pytest.fixture(scope="session")
def live_server(server_env):
    """The base URL of ``coach serve`` with a ``coach worker`` beside it; both stopped at the end."""
    port = _free_port()
    server = subprocess.Popen([COACH, "serve", "--port", str(port)], env=server_env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    worker = subprocess.Popen([COACH, "worker"], env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/healthz", server)
        yield url
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser_args(tmp_path_factory) -> list[str]:
    """Chromium flags; tests that speak into the microphone add the fake-audio ones."""
    return ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def playwright_instance():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@contextlib.contextmanager
def chromium_page(playwright_instance, args: list[str]):
    """A page in a Chromium of its own, started with ``args`` (a fake microphone, autoplay without a click)."""
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()
        browser.close()


@pytest.fixture
def browser(playwright_instance, browser_args):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=browser_args)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def sign_in(live_server):
    """``sign_in(page, "alex")`` signs a demo user in and waits for the dashboard."""
    def sign_in(page, username: str, password: str = "coach-demo") -> None:
        page.goto(live_server + "/login")
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url(live_server + "/dashboard")
    return sign_in
