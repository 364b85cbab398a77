import pytest

from scoring import RubricError, default_rubric, load_rubric, score_reply
from scoring.rubric import rubric_from_text


def test_default_rubric_is_versioned_and_named_on_the_scorecard():
    rubric = default_rubric()
    assert rubric.label == "default@1.0"
    assert score_reply("Thanks!", "Hi", models=False).rubric == "default@1.0"


def test_custom_rubric_changes_weights_and_version(tmp_path):
    path = tmp_path / "empathy_first.yaml"
    path.write_text("name: empathy-first\nversion: '2'\nweights: {empathy: 1}\nband_thresholds: [10, 30, 50, 70]\n")
    rubric = load_rubric(path)
    card = score_reply("I'm so sorry, that sounds really stressful.", "I'm stressed", rubric=rubric, models=False)
    assert card.rubric == "empathy-first@2"
    assert card.overall == card.scores["empathy"]


@pytest.mark.parametrize("body, message", [
    ("name: x\n", "missing"),
    ("name: x\nversion: 1\nweights: {empathy: 1}\nband_thresholds: [50, 10, 20, 30]\n", "band_thresholds"),
    ("name: x\nversion: 1\nweights: {kindness: 1}\nband_thresholds: [20, 40, 60, 80]\n", "weights"),
    ("[unclosed", "YAML"),
])
def test_invalid_rubric_is_a_clear_error(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    with pytest.raises(RubricError, match=message):
        load_rubric(path)


def test_missing_rubric_file_is_a_clear_error():
    with pytest.raises(RubricError, match="not found"):
        load_rubric("no-such-rubric")


def test_agent_profanity_auto_fails_the_reply():
    card = score_reply("I'll fix your damn bill, shit happens.", "My bill is wrong", models=False)
    assert "profanity" in card.auto_fail
    assert card.overall == 0


def test_active_listening_is_not_applicable_without_context():
    card = score_reply("Hello, how can I help you today?", "", models=False)
    assert "active_listening" in card.not_applicable


@pytest.mark.parametrize("body, message", [
    ("name: x\nversion: 1\nweights: {empathy: 1,\n", "not valid YAML at line 4, column 1"),
    ("name: team@north\nversion: 1\nweights: {empathy: 1}\nband_thresholds: [20, 40, 60, 80]\n", "must not contain '@'"),
    ("name: x\nversion: 1\nweights: {empathy: high}\nband_thresholds: [20, 40, 60, 80]\n", "weights.empathy must be a number"),
    ("name: x\nversion: 1\nweights: {empathy: 1}\nband_thresholds: [20, 40, 60, 80]\nauto_fail: {id: rude}\n", "auto_fail must be a list"),
])
def test_rubric_text_errors_say_where_and_what(body, message):
    with pytest.raises(RubricError, match=message):
        rubric_from_text(body, "pasted")
