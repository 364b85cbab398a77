"""Role-play in headless Chromium: a chat scenario played to its ending by typing, and a voice reply
spoken into a fake microphone, transcribed by the live server's worker (Whisper tiny.en) and scored."""
from __future__ import annotations

import re
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

from tests.browser.conftest import chromium_page

pytestmark = pytest.mark.browser
RUNS = Path(__file__).resolve().parents[1] / "scenarios" / "runs"
SPOKEN = "I am so sorry about your order, I will fix it for you today."


def start_scenario(page, live_server, slug: str | None = None, channel: str = "") -> None:
    """Open the library (filtered by channel), read the briefing of ``slug`` (or the first scenario) and start."""
    page.goto(f"{live_server}/practice/?channel={channel}")
    page.click(f"a[href^='/practice/scenarios/{slug}']" if slug else ".scenario-card a.button")
    page.click("text=Start the role-play")
    page.wait_for_url(re.compile(r".*/practice/attempts/\d+$"))


def test_trainee_plays_a_chat_scenario_to_an_ending_by_typing(page, live_server, sign_in):
    replies = [line.strip() for line in (RUNS / "chat-wrong-item.good.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    sign_in(page, "alex")
    page.click("nav >> text=Practice")
    start_scenario(page, live_server, "chat-wrong-item")
    assert page.locator("[data-action=record]").count() == 0  # chat: typing only
    for number, reply in enumerate(replies, start=1):
        if page.locator("text=The role-play has ended").count():
            break
        mood_before = page.locator("#mood-meter").get_attribute("value")
        page.fill("#reply", reply)
        page.click("text=Send reply")
        turn = page.locator(f"#turn-{number}")
        turn.wait_for()
        assert turn.locator("table.scores tbody tr").count() == 5
        assert turn.locator("mark[title]").count() > 0 and turn.locator(".tip").count() == 1
        assert page.locator("#mood-meter").get_attribute("value") != mood_before or number > 1
    page.locator("text=The role-play has ended").wait_for()
    page.click("text=See the debrief")
    assert "Ending: Resolved" in page.locator("#ending-title").inner_text()
    assert page.locator("text=Turn by turn").is_visible() and page.locator("text=A better reply").is_visible()


@pytest.fixture(scope="module")
def reply_wav(tmp_path_factory) -> tuple[Path, float]:
    """SPOKEN by espeak-ng as a 16 kHz mono WAV, and its length in seconds."""
    if not shutil.which("espeak-ng") or not shutil.which("sox"):
        pytest.fail("espeak-ng and sox are needed: apt-get install espeak-ng sox")
    folder = tmp_path_factory.mktemp("mic")
    raw, wav = folder / "raw.wav", folder / "reply.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), SPOKEN], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    with wave.open(str(wav)) as handle:
        return wav, handle.getnframes() / handle.getframerate()


@pytest.fixture
def microphone_page(playwright_instance, browser_args, reply_wav):
    """A page in a Chromium whose microphone plays reply.wav (looped, so record for its length)."""
    path, _ = reply_wav
    args = browser_args + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                           f"--use-file-for-fake-audio-capture={path}"]
    with chromium_page(playwright_instance, args) as page:
        yield page


def test_trainee_answers_a_voice_scenario_by_microphone(microphone_page, live_server, sign_in, reply_wav):
    page, (_, seconds) = microphone_page, reply_wav
    sign_in(page, "sam")
    start_scenario(page, live_server, channel="voice")
    page.click("[data-action=record]")
    page.locator(".record-status", has_text="Recording").wait_for()
    page.wait_for_timeout(int(seconds * 1000) + 300)
    page.click("[data-action=stop]")
    turn = page.locator("#turn-1")
    turn.wait_for(timeout=180_000)  # the worker loads Whisper on its first job
    said = turn.locator(".reply-text").inner_text().lower()
    assert "sorry" in said and "order" in said
    assert "transcribed from your recording" in turn.inner_text()
    assert turn.locator("table.scores tbody tr").count() == 5 and turn.locator("audio").count() == 1
    assert page.locator("#mood .mood-reading").inner_text()
