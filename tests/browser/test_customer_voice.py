"""The customer speaks, in headless Chromium: every line of a voice scenario is fetched, played and decodable, and
its length fits its words; a broken voice says so on the page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.roleplay import customer_voice
from coach.speech import tts
from coach.speech.audio import decode_audio
from scenarios import LIBRARY_DIR, load_library
from tests.browser.conftest import chromium_page

pytestmark = pytest.mark.browser
RUNS = Path(__file__).resolve().parents[1] / "scenarios" / "runs"
# espeak-ng at 155-182 words a minute, with the pauses of punctuation
WORDS_PER_SECOND = (1.2, 4.0)
WORDS_PER_SECOND_ANY_MOOD = (1.0, 4.5)  # an upset customer speaks at 182 words a minute
# fetched by the page and decoded by Chromium's own audio decoder: each line's length in seconds (or -status)
DECODE_ALL = """async (urls) => {
  const context = new OfflineAudioContext(1, 1, 16000), seconds = [];
  for (const url of urls) {
    const response = await fetch(url);
    if (!response.ok) { seconds.push(-response.status); continue; }
    seconds.push((await context.decodeAudioData(await response.arrayBuffer())).duration);
  }
  return seconds;
}"""


def start_scenario(page, live_server, slug: str) -> None:
    """Start ``slug`` outside any assignment, so no assigned attempt is used up."""
    page.goto(f"{live_server}/practice/scenarios/{slug}")
    page.click("text=Start the role-play")
    page.wait_for_url(re.compile(r".*/practice/attempts/\d+$"))


@pytest.fixture
def speaker_page(playwright_instance, browser_args):
    """A page that may play audio without a click, as a trainee's browser does after the Start click."""
    with chromium_page(playwright_instance, browser_args + ["--autoplay-policy=no-user-gesture-required"]) as page:
        yield page


def heard_line(page, requested: list[str]) -> tuple[str, str]:
    """Wait until the current customer line has played; its text and audio URL."""
    page.wait_for_function("() => { const a = document.getElementById('customer-audio');"
                           " return a && !a.error && a.readyState >= 2 && (a.ended || a.currentTime > 0); }")
    text = page.locator("#customer-line").inner_text().strip()
    src = page.locator("#customer-audio").get_attribute("src")
    assert any(url.endswith(src) for url in requested), f"the page never fetched {src}"
    assert page.locator(".voice-failed").count() == 0
    return text, src


def assert_length_fits(page, live_server, text: str, src: str) -> None:
    response = page.request.get(live_server + src)
    assert response.ok and response.headers["content-type"] == "audio/wav"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert_pace(text, decode_audio(response.body()).duration, WORDS_PER_SECOND)


def assert_pace(text: str, seconds: float, pace: tuple[float, float]) -> None:
    words = len(re.findall(r"[\w'£.]+", text))
    low, high = pace
    assert low <= words / seconds <= high, f"{words} words in {seconds:.1f} s: {text!r}"


@pytest.mark.parametrize("run", ["late-delivery.good.txt", "late-delivery.bad.txt"])
def test_every_customer_line_of_a_voice_scenario_is_heard(speaker_page, live_server, sign_in, run):
    page, requested = speaker_page, []
    page.on("request", lambda request: requested.append(request.url) if "/voice/" in request.url else None)
    replies = [line.strip() for line in (RUNS / run).read_text().splitlines() if line.strip() and not line.startswith("#")]
    sign_in(page, "sam")
    start_scenario(page, live_server, "late-delivery")
    heard = []
    for number, reply in enumerate(replies, start=1):
        heard.append(heard_line(page, requested))
        if page.locator("text=The role-play has ended").count():
            break
        page.fill("#reply", reply)
        page.click("text=Send reply")
        page.locator(f"#turn-{number}").wait_for()
    page.locator("text=The role-play has ended").wait_for()
    heard.append(heard_line(page, requested))
    assert len({src for _, src in heard}) == len(heard) >= 3
    for text, src in heard:
        assert_length_fits(page, live_server, text, src)


def test_hear_it_again_replays_and_a_missing_voice_is_reported(speaker_page, live_server, sign_in):
    page = speaker_page
    sign_in(page, "alex")
    start_scenario(page, live_server, "late-delivery")
    page.wait_for_function("() => document.getElementById('customer-audio').ended")
    page.click("text=Hear it again")
    page.wait_for_function("() => { const a = document.getElementById('customer-audio'); return !a.paused; }")
    # the audio goes missing (a broken cache, a lost connection): the page says so instead of staying silent
    page.evaluate("() => { const a = document.getElementById('customer-audio');"
                  " a.src = a.src.replace(/[0-9a-f]{64}/, '0'.repeat(64)); }")
    page.click("text=Hear it again")
    failed = page.locator(".voice-status.voice-failed")
    failed.wait_for()
    assert "could not be played" in failed.inner_text()


def test_every_line_of_every_voice_scenario_plays_in_chromium(page, live_server, sign_in):
    """Each customer line of each shipped voice scenario, in each mood's delivery, as the player would link it."""
    sign_in(page, "sam")
    lines = []
    for scenario in load_library(LIBRARY_DIR):
        if scenario.channel == "voice":
            voice = customer_voice.voice_of(scenario)
            lines += [(line, f"/practice/scenarios/{scenario.id}/voice/{tts.line_digest(line, voice, band)}.wav")
                      for line in customer_voice.voice_lines(scenario) for band in tts.DELIVERY]
    assert len({url.split("/")[3] for _, url in lines}) >= 8
    for (line, url), seconds in zip(lines, page.evaluate(DECODE_ALL, [url for _, url in lines]), strict=True):
        assert seconds > 0, f"{url}: HTTP {-seconds:g} for {line!r}"
        assert_pace(line, seconds, WORDS_PER_SECOND_ANY_MOOD)
