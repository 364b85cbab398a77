"""Calls are scored with the rubric of the agent's team: the first pass job, and the reviewer's finalised overall."""
import pytest
from sqlmodel import select

from coach.rubrics import store as rubric_store
from coach.calls import pipeline
from coach.models import Call, CallStatus, Recording, Review, ReviewStatus
from coach.speech.engines import Segment, Transcript, Word
from coach.speech.storage import store_recording
from scoring import default_rubric
from tests.rubrics.conftest import OWNERSHIP_ONLY

from .conftest import LINES, wav_bytes

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")


class ScriptedEngine:
    """Stands in for Whisper (these tests are about the rubric): the agent's lines on the left channel, the customer's on the right."""

    name, model, language = "scripted", "scripted", "en"

    def __init__(self):
        self.channels = iter(("agent", "customer"))

    def transcribe(self, samples, progress=None) -> Transcript:
        speaker = next(self.channels)
        segments = []
        for who, start, text in LINES:
            if who == speaker:
                words = [Word(start + 0.35 * i, start + 0.35 * i + 0.3, f" {token}", 0.9) for i, token in enumerate(text.split())]
                segments.append(Segment(start, words[-1].end, text, words))
        return Transcript(segments, "en", 32.0)


@pytest.fixture
def scripted_speech(monkeypatch):
    monkeypatch.setattr(pipeline, "engine_for", lambda settings: ScriptedEngine())


@pytest.fixture
def blue_scored_on_ownership(app, session, team_setup):
    settings = app.config["COACH"]
    rubric_store.add_rubric(session, settings, OWNERSHIP_ONLY)
    rubric_store.assign_rubric(session, settings, team_setup["team"], "ownership-only@1")


def processed_call(app, session, agent) -> Call:
    """A stereo call of ``agent`` run through the real first-pass job."""
    stored = store_recording(wav_bytes(seconds=33.0, channels=2), app.config["COACH"].recordings_dir, "call.wav")
    recording = Recording(stored_name=stored.stored_name, original_name="call.wav", size_bytes=stored.size,
                          sha256=stored.sha256, content_type="audio/wav")
    session.add(recording)
    session.flush()
    call = Call(recording_id=recording.id, agent_id=agent.id, agent_channel="left")
    session.add(call)
    session.commit()
    app.extensions["coach.jobs.queue"].submit(session, "call_first_pass", {"call_id": call.id})
    session.expire_all()
    call = session.get(Call, call.id)
    assert call.status == CallStatus.ready, call
    return call


def default_overall(scores: dict) -> int:
    weights = default_rubric().weights
    return int(round(sum(scores[d] * w for d, w in weights.items()) / sum(weights.values())))


def test_the_first_pass_of_a_call_uses_the_agents_team_rubric(app, session, team_setup, scripted_speech,
                                                               blue_scored_on_ownership):
    ann_call = processed_call(app, session, team_setup["ann"])
    assert ann_call.result["rubric"] == "ownership-only@1"
    resolution = ann_call.result["resolution"]  # the overall: the rubric's mean, moved toward the call's resolution
    assert resolution["rubric_overall"] == ann_call.result["scores"]["ownership"]
    blended = (1 - resolution["weight"]) * resolution["rubric_overall"] + resolution["weight"] * resolution["score"]
    assert abs(ann_call.result["overall"] - blended) <= 1  # the resolution is shown rounded
    cy_call = processed_call(app, session, team_setup["cy"])
    assert cy_call.result["rubric"] == "default@1.0"


def test_finalising_weighs_the_scores_with_the_rubric_of_the_first_pass(app, client, auth, session, team_setup,
                                                                        scripted_speech, blue_scored_on_ownership):
    call = processed_call(app, session, team_setup["ann"])
    rubric_store.assign_rubric(session, app.config["COACH"], team_setup["team"], "default")  # changed since the first pass
    auth.login("rita")
    client.get(f"/calls/{call.id}")
    token = auth.csrf(f"/calls/{call.id}")
    for dimension in DIMENSIONS:
        client.post(f"/calls/{call.id}/scores/{dimension}", data={"action": "accept"}, headers={"X-CSRFToken": token})
    client.post(f"/calls/{call.id}/finalise", data={"csrf_token": token})
    review = session.exec(select(Review).where(Review.call_id == call.id)).one()
    assert review.status == ReviewStatus.final
    assert review.overall == call.result["scores"]["ownership"] != default_overall(call.result["scores"])
