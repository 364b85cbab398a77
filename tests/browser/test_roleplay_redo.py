"""A voice reply redone in headless Chromium: spoken into the fake microphone (the level meter moves), transcribed
by the live server's worker (Whisper tiny.en), before and after scores shown in place, the conversation unchanged;
then redone by typing, the fallback. A browser without AudioWorklet records the redo with MediaRecorder."""
from __future__ import annotations

import pytest

from tests.browser.test_roleplay import microphone_page, reply_wav, start_scenario  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
WEAK_REPLY = "ok"
TYPED_REDO = ("I'm so sorry your broadband keeps dropping, that is really frustrating. I'll sort it out for you myself "
              "today.")


def first_turn_answered_weakly(page, live_server, sign_in):
    """Sam starts the repeat-caller call (outside the demo's assignments, whose attempts other browser tests use
    up) and types a weak first reply; its turn, with the redo opened."""
    sign_in(page, "sam")
    start_scenario(page, live_server, "repeat-caller")
    page.fill("#reply", WEAK_REPLY)
    page.click("text=Send reply")
    turn = page.locator("#turn-1")
    turn.wait_for()
    turn.locator("summary", has_text="Redo this reply").click()
    return turn


def record_redo(page, turn, seconds: float) -> list[float]:
    """Record the redo for ``seconds`` and stop; the level meter's readings meanwhile."""
    recorder = turn.locator(".redo-recorder")
    recorder.locator("[data-action=record]").click()
    recorder.locator(".record-status", has_text="Recording").wait_for()
    levels = []
    for _ in range(int(seconds * 10) + 3):
        levels.append(recorder.locator(".level-meter").evaluate("meter => meter.value"))
        page.wait_for_timeout(100)
    recorder.locator("[data-action=stop]").click()
    return levels


def spoken_result(turn):
    """The before/after result of the spoken redo, once transcribed and scored."""
    result = turn.locator("#redo-result-1 .redo-result")
    result.wait_for(timeout=180_000)  # the worker may load Whisper for its first job
    said = result.locator(".said").inner_text().lower()
    assert "sorry" in said and "order" in said
    assert "Before and after" in result.inner_text() and result.locator("td.change-up").count() > 0
    return result


def test_trainee_redoes_a_voice_reply_aloud_and_by_typing_and_sees_before_and_after(microphone_page, live_server,
                                                                                   sign_in, reply_wav):
    page, (_, seconds) = microphone_page, reply_wav
    turn = first_turn_answered_weakly(page, live_server, sign_in)
    customer_line = turn.locator(".said.customer").inner_text()
    assert max(record_redo(page, turn, seconds)) > 0.1  # the level meter follows the voice
    result = spoken_result(turn)
    assert turn.locator(".redo-recorder .record-status").inner_text() == ""

    assert page.locator("article.turn").count() == 1  # the conversation is unchanged
    assert turn.locator(".reply-text").inner_text() == WEAK_REPLY
    assert turn.locator(".said.customer").inner_text() == customer_line

    turn.locator("#redo-reply-1").fill(TYPED_REDO)
    turn.locator("text=Score my new reply").click()
    result.filter(has_text="frustrating").wait_for()
    assert result.locator("td.change-up").count() > 0 and page.locator("article.turn").count() == 1


def test_without_audio_worklet_the_redo_is_recorded_with_media_recorder(microphone_page, live_server, sign_in, reply_wav):
    page, (_, seconds) = microphone_page, reply_wav
    page.add_init_script("delete window.AudioWorkletNode;")
    turn = first_turn_answered_weakly(page, live_server, sign_in)
    assert max(record_redo(page, turn, seconds)) == 0  # no worklet, so no level to show
    spoken_result(turn)
    assert page.locator("article.turn").count() == 1
