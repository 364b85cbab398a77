"""Role-play turnaround as a trainee feels it: Stop → scores and the customer's answer on screen, in Chromium.

    python benchmarks/roleplay_latency.py                      # 5, 10 and 20 s replies, 3 runs each, 5 typed
    python benchmarks/roleplay_latency.py --seconds 10 --runs 5

Builds a fresh instance under a temporary folder (`coach init`, one trainee), starts `coach serve` and
`coach worker` on 127.0.0.1, and drives headless Debian Chromium whose fake microphone plays an espeak-ng reply
of the wanted length (`--use-file-for-fake-audio-capture`). Each run starts a voice role-play, records for the
reply's length, presses Stop and times, inside the page, until the scored turn and the customer's next line are
both shown. Typed replies are timed the same way in a chat scenario. Prints median and max per row.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

COACH = str(Path(sys.executable).with_name("coach"))
CHROMIUM = "/usr/bin/chromium"
USER, PASSWORD = "bench", "bench-password-1"
VOICE_SCENARIO, CHAT_SCENARIO = "late-delivery", "chat-wrong-item"
# About 2.5 words a second at espeak-ng's 150 words a minute; cut to length with sox.
SENTENCES = ("I am really sorry your parcel did not arrive when we promised.",
             "I have checked the order and the courier lost it on the way.",
             "I will send a replacement today by next day delivery, so it reaches you tomorrow.",
             "I will also refund the delivery charge to your card this afternoon.",
             "I will email you the new tracking number within the hour.",
             "If anything goes wrong, call me directly and I will sort it out myself.")
TYPED = "I'm so sorry about the wrong item. I'll send the right one today and email you the tracking number."
STOP_AND_TIME = "() => { document.querySelector('[data-action=stop]').click(); return performance.now(); }"
ANSWERED = ("(n) => { const turn = document.querySelector('#turn-' + n + ' table.scores');"
            " const line = document.getElementById('customer-line');"
            " const moved = line && line.dataset.lineId.split('-').pop() !== String(n - 1);"
            " return turn && moved ? performance.now() : false; }")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reply_wav(seconds: float, folder: Path) -> Path:
    """A spoken reply of ``seconds`` (16 kHz mono), ending in speech rather than silence."""
    raw, wav = folder / f"raw{seconds:g}.wav", folder / f"reply{seconds:g}.wav"
    text = " ".join(SENTENCES * 3)
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav), "trim", "0", str(seconds)], check=True)
    return wav


def start_services(base: Path) -> tuple[str, list[subprocess.Popen]]:
    env = {**os.environ, "COACH_INSTANCE_DIR": str(base / "instance"), "COACH_RECORDINGS_DIR": str(base / "recordings"),
           "COACH_QUEUE_URL": f"sqlite:///{base / 'queue.sqlite3'}", "PYTHONUNBUFFERED": "1"}
    env.pop("COACH_DATABASE_URL", None)
    subprocess.run([COACH, "init"], env=env, check=True, capture_output=True)
    subprocess.run([COACH, "user", "add", USER, "--role", "trainee", "--password", PASSWORD], env=env, check=True,
                   capture_output=True)
    port = free_port()
    log = (base / "services.log").open("w")
    server = subprocess.Popen([COACH, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([COACH, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    wait_for_worker(base / "services.log")
    return url, [server, worker]


def wait_for_worker(log: Path, seconds: float = 180) -> None:
    """The worker prints 'worker consuming' once its model is warm."""
    deadline = time.monotonic() + seconds
    while "worker consuming" not in log.read_text():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not start: {log.read_text()[-2000:]}")
        time.sleep(0.5)


def sign_in(page, url: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", USER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/dashboard")


def start(page, url: str, slug: str) -> None:
    page.goto(f"{url}/practice/scenarios/{slug}")
    page.click("text=Start the role-play")
    page.wait_for_url(re.compile(r".*/practice/attempts/\d+$"))


def voice_turn(page, url: str, seconds: float) -> float:
    """One recorded reply: Stop → scored turn and next customer line, in seconds."""
    start(page, url, VOICE_SCENARIO)
    page.click("[data-action=record]")
    page.locator(".record-status", has_text="Recording").wait_for()
    page.wait_for_timeout(int(seconds * 1000))
    stopped = page.evaluate(STOP_AND_TIME)
    shown = page.wait_for_function(ANSWERED, arg=1, polling="raf", timeout=120_000).json_value()
    return (shown - stopped) / 1000


def typed_turn(page, url: str) -> float:
    start(page, url, CHAT_SCENARIO)
    page.fill("#reply", TYPED)
    sent = page.evaluate("() => { document.querySelector('.reply-form button[type=submit]').click(); return performance.now(); }")
    shown = page.wait_for_function(ANSWERED, arg=1, polling="raf", timeout=60_000).json_value()
    return (shown - sent) / 1000


def measure(lengths: list[float], runs: int, typed_runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="coach-latency-") as folder, sync_playwright() as playwright:
        base = Path(folder)
        url, processes = start_services(base)
        try:
            flags = ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
                     "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required"]
            for seconds in lengths:
                wav = reply_wav(seconds, base)
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                     args=flags + [f"--use-file-for-fake-audio-capture={wav}"])
                page = browser.new_page()
                sign_in(page, url)
                voice_turn(page, url, seconds)  # a first run to fill the caches, not counted
                results[f"voice {seconds:g} s"] = [voice_turn(page, url, seconds) for _ in range(runs)]
                if seconds == lengths[-1]:
                    results["typed"] = [typed_turn(page, url) for _ in range(typed_runs)]
                browser.close()
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", default="5,10,20", help="Reply lengths, comma-separated.")
    parser.add_argument("--runs", type=int, default=3, help="Timed runs per length.")
    parser.add_argument("--typed-runs", type=int, default=5)
    args = parser.parse_args()
    for tool in ("espeak-ng", "sox", CHROMIUM):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install espeak-ng sox chromium)")
    results = measure([float(s) for s in args.seconds.split(",")], args.runs, args.typed_runs)
    print(f"{'reply':<12} {'runs':>4} {'median s':>9} {'max s':>7}")
    for name, times in results.items():
        print(f"{name:<12} {len(times):>4} {statistics.median(times):>9.2f} {max(times):>7.2f}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
