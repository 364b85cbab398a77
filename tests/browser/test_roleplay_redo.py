"""A voice reply redone in headless Chromium: spoken into the fake microphone (the level meter moves), transcribed
by the live server's worker (Whisper tiny.en), before and after scores shown in place, the conversation unchanged;
then redone by typing, the fallback."""
from __future__ import annotations

import pytest

from tests.browser.test_roleplay import microphone_page, reply_wav, start_scenario  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
WEAK_REPLY = "ok"
TYPED_REDO = "I'm so sorry your parcel is late, that is really frustrating. I'll sort it out for you myself today."


def test_trainee_redoes_a_voice_reply_aloud_and_by_typing_and_sees_before_and_after(microphone_page, live_server,
                                                                                   sign_in, reply_wav):
    page, (_, seconds) = microphone_page, reply_wav
    sign_in(page, "sam")
    start_scenario(page, live_server, "late-delivery")
    page.fill("#reply", WEAK_REPLY)
    page.click("text=Send reply")
    turn = page.locator("#turn-1")
    turn.wait_for()
    customer_line = turn.locator(".said.customer").inner_text()

    turn.locator("summary", has_text="Redo this reply").click()
    recorder = turn.locator(".redo-recorder")
    recorder.locator("[data-action=record]").click()
    recorder.locator(".record-status", has_text="Recording").wait_for()
    levels = []
    for _ in range(int(seconds * 10) + 3):  # the level meter follows the voice while recording
        levels.append(recorder.locator(".level-meter").evaluate("meter => meter.value"))
        page.wait_for_timeout(100)
    assert max(levels) > 0.1
    recorder.locator("[data-action=stop]").click()
    result = turn.locator("#redo-result-1 .redo-result")
    result.wait_for(timeout=180_000)  # the worker may load Whisper for its first job
    said = result.locator(".said").inner_text().lower()
    assert "sorry" in said and "order" in said
    assert "Before and after" in result.inner_text() and result.locator("td.change-up").count() > 0
    assert recorder.locator(".record-status").inner_text() == ""

    assert page.locator("article.turn").count() == 1  # the conversation is unchanged
    assert turn.locator(".reply-text").inner_text() == WEAK_REPLY
    assert turn.locator(".said.customer").inner_text() == customer_line

    turn.locator("#redo-reply-1").fill(TYPED_REDO)
    turn.locator("text=Score my new reply").click()
    result.filter(has_text="frustrating").wait_for()
    assert result.locator("td.change-up").count() > 0 and page.locator("article.turn").count() == 1
