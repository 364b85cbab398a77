"""Every customer line of every shipped voice scenario is spoken, cached, and served as WAV to whoever may practise."""
import re

from sqlmodel import select

from coach.models import Scenario as ScenarioRow
from coach.roleplay import customer_voice, practice
from coach.roleplay.scenario_store import scenario_from_row, sync_scenarios
from coach.speech import tts
from coach.speech.audio import decode_audio
from scenarios import LIBRARY_DIR, load_library
from tests.roleplay.conftest import GOOD_REPLY


def test_sync_prerenders_every_line_of_every_voice_scenario_in_every_mood(session, settings):
    sync_scenarios(session, load_library(LIBRARY_DIR))
    rendered, problems = customer_voice.prerender_library(session, settings)
    assert not problems and rendered > 0
    assert customer_voice.prerender_library(session, settings) == (0, [])  # cached by content: nothing twice
    rows = session.exec(select(ScenarioRow).where(ScenarioRow.channel == "voice")).all()
    assert len(rows) >= 8
    for row in rows:
        scenario = scenario_from_row(row)
        voice = customer_voice.voice_of(scenario)
        for line in customer_voice.voice_lines(scenario):
            path = tts.cached_line(customer_voice.cache_dir(settings, row), tts.line_digest(line, voice, "uneasy"))
            seconds = decode_audio(path).duration
            words = len(re.findall(r"[\w'£.]+", line))
            assert 1.0 <= words / seconds <= 4.5, (row.slug, line, seconds)


def test_the_player_links_the_spoken_line_which_is_served_as_wav(client, auth, session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)  # on to a line with no shipped audio
    auth.login("ann")
    page = client.get(f"/practice/attempts/{attempt.id}").get_data(as_text=True)
    src = re.search(r'id="customer-audio" preload="auto" src="([^"]+)"', page).group(1)
    assert src.startswith("/practice/scenarios/parcel-call/voice/")
    audio = client.get(src)
    assert audio.status_code == 200 and audio.mimetype == "audio/wav"
    assert audio.headers["X-Content-Type-Options"] == "nosniff"
    assert decode_audio(audio.get_data()).duration > 1
    assert client.get("/practice/scenarios/parcel-call/voice/" + "0" * 64 + ".wav").status_code == 404
    assert client.get(src.replace("parcel-call", "parcel-chat")).status_code == 404
    client.post("/logout", data={"csrf_token": auth.csrf(f"/practice/attempts/{attempt.id}")})
    assert client.get(src).status_code in (302, 401)


def test_a_chat_scenario_has_no_voice(session, scenarios, settings):
    assert customer_voice.spoken_line(settings, scenarios["parcel-chat"], "Where is my parcel?", 30) is None
