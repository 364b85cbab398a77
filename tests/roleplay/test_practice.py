"""coach.roleplay.practice: attempts, typed replies scored by the real scorer, endings, debriefs, assignments, the library."""
import pytest

from coach.roleplay import practice
from coach.models import AttemptStatus
from tests.roleplay.conftest import DATE_REPLY, GOOD_REPLY


def test_a_new_attempt_waits_at_the_first_customer_line(session, scenarios, people):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    line = practice.current_line(attempt, scenarios["parcel-call"])
    assert attempt.status == AttemptStatus.in_progress and attempt.mood == 30
    assert line.turn_id == "opening" and "three days late" in line.text and line.has_audio


def test_a_typed_reply_is_scored_and_moves_the_customer_on(session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    turn = practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)
    assert turn.index == 0 and turn.customer_turn_id == "opening" and turn.reply_text == GOOD_REPLY
    assert set(turn.scorecard["scores"]) == {"active_listening", "empathy", "clarity", "jargon", "ownership"}
    assert turn.scorecard["evidence"] and turn.overall == turn.scorecard["overall"]
    assert turn.mood_before == 30 and turn.mood_after == attempt.mood
    assert turn.reaction == "So when will it actually arrive?"
    assert attempt.state["turn_id"] == "details" and attempt.status == AttemptStatus.in_progress


def test_a_dismissive_reply_upsets_the_customer(session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    turn = practice.submit_typed_reply(session, attempt, "Not my department. Call back later.", settings)
    assert turn.mood_after < turn.mood_before and attempt.state["turn_id"] == "angrier"


def test_reaching_an_ending_finishes_the_attempt_with_a_debrief(session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)
    last = practice.submit_typed_reply(session, attempt, DATE_REPLY, settings)
    assert attempt.status == AttemptStatus.finished and attempt.finished_at is not None
    assert (attempt.ending_id, attempt.outcome) == ("resolved", "resolved")
    assert last.reaction == "Thank you, that's all I wanted."
    assert set(attempt.scores) == {"active_listening", "empathy", "clarity", "jargon", "ownership"}
    debrief = attempt.debrief
    assert debrief["ending_debrief"] == "You apologised and gave a clear date."
    assert debrief["ending_customer"] == "Thank you, that's all I wanted."
    assert len(debrief["turns"]) == 2 and {debrief["best_index"], debrief["weakest_index"]} <= {0, 1}
    assert debrief["better_reply"]
    with pytest.raises(practice.PracticeError, match="is over"):
        practice.submit_typed_reply(session, attempt, "hello?", settings)


def test_better_reply_comes_from_the_scenario_when_the_author_wrote_one(session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-call"])
    practice.submit_typed_reply(session, attempt, GOOD_REPLY, settings)
    practice.submit_typed_reply(session, attempt, "It will come when it comes, the depot handles that.", settings)
    debrief = attempt.debrief
    assert attempt.outcome == "escalated" and debrief["weakest_index"] == 1
    assert debrief["better_reply_source"] == "scenario"
    assert debrief["better_reply"] == "I'll re-send it myself today by next-day delivery, so it arrives tomorrow."


def test_better_reply_is_built_from_the_tips_of_the_weakest_skills():
    scores = {"active_listening": 70, "empathy": 20, "clarity": 80, "jargon": 90, "ownership": 30}
    tips = {
        "active_listening": 'Restate it, e.g. "So your parcel is late?"',
        "empathy": 'Name the feeling, e.g. "I can hear how frustrating this is."',
        "clarity": "Fine.", "jargon": "Fine.",
        "ownership": 'Commit, e.g. "I\'ll sort it myself today."',
    }
    examples = {"active_listening": "So your parcel is late?", "empathy": "I can hear how frustrating this is.",
                "ownership": "I'll sort it myself today."}
    reply, used = practice.better_reply_from_tips(scores, tips, examples)
    assert reply == "I can hear how frustrating this is. I'll sort it myself today."
    assert [item["dimension"] for item in used] == ["empathy", "ownership"]


def test_empty_and_overlong_replies_are_refused_with_a_message(session, scenarios, people, settings):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-chat"])
    with pytest.raises(practice.PracticeError, match="Write your reply"):
        practice.submit_typed_reply(session, attempt, "   ", settings)
    with pytest.raises(practice.PracticeError, match="characters"):
        practice.submit_typed_reply(session, attempt, "word " * 1000, settings)
    assert practice.attempt_turns(session, attempt) == []


def test_only_trainees_start_attempts(session, scenarios, people):
    with pytest.raises(practice.PracticeError, match="Only trainees"):
        practice.start_attempt(session, people["trainer"], scenarios["parcel-call"])


def test_an_attempt_started_from_an_assignment_records_it(session, scenarios, people, assignment):
    attempt = practice.start_attempt(session, people["ann"], scenarios["parcel-chat"], assignment.id)
    assert attempt.assignment_id == assignment.id
    with pytest.raises(practice.PracticeError, match="used all 1 attempts"):
        practice.start_attempt(session, people["ann"], scenarios["parcel-chat"], assignment.id)


def test_a_trainee_cannot_start_from_someone_elses_assignment(session, scenarios, people, assignment):
    with pytest.raises(practice.PracticeError, match="not yours"):
        practice.start_attempt(session, people["ben"], scenarios["parcel-chat"], assignment.id)
    with pytest.raises(practice.PracticeError, match="not part of"):
        practice.start_attempt(session, people["ann"], scenarios["parcel-call"], assignment.id)


def test_the_library_lists_assigned_scenarios_first_and_filters(session, scenarios, people, assignment):
    library = practice.scenario_library(session, people["ann"])
    assert [entry.scenario.slug for entry in library.assigned] == ["parcel-chat"]
    assert [row.slug for row in library.open] == ["parcel-call"]
    assert library.assigned[0].due is not None and library.channels == ["chat", "voice"]
    assert [row.slug for row in practice.scenario_library(session, people["ben"]).open] == ["parcel-call", "parcel-chat"]
    voice_only = practice.scenario_library(session, people["ann"], channel="voice")
    assert voice_only.assigned == [] and [row.slug for row in voice_only.open] == ["parcel-call"]
    assert [row.slug for row in practice.scenario_library(session, people["ben"], skill="clarity").open] == ["parcel-chat"]


def test_customer_audio_is_served_only_from_inside_the_scenario_folder(session, scenarios):
    row = scenarios["parcel-call"]
    assert practice.customer_audio_path(row, "opening").name == "opening.wav"
    assert practice.customer_audio_path(row, "angrier") is None
    definition = dict(row.definition)
    definition["turns"] = [dict(turn, audio="../secret.wav") if turn["id"] == "opening" else turn for turn in definition["turns"]]
    row.definition = definition
    with pytest.raises(ValueError, match="pattern"):  # the scenario schema refuses a path out of its folder
        practice.customer_audio_path(row, "opening")
