"""``coach score-call``: the JSON contract of the issue, the readable summary, and clear errors."""
import json

from click.testing import CliRunner

from coach.cli import cli

TOP = {"duration", "agent_channel", "segments", "scores", "overall", "checklist", "metrics", "redactions"}
CHECKLIST = {"greeted", "acknowledged", "apologised", "clarifying_question", "ownership", "solution", "timeline",
             "confirmed_resolution", "closed"}
METRICS = {"agent_talk_ratio", "dead_air", "overtalk", "agent_wpm", "longest_agent_monologue_s", "customer_sentiment"}


def _env(call_settings) -> dict:
    return {"COACH_INSTANCE_DIR": str(call_settings.instance_dir), "COACH_WHISPER_MODEL": call_settings.whisper_model,
            "COACH_RECORDINGS_DIR": str(call_settings.recordings_dir)}


def test_score_call_json_prints_the_contract_object(built_call, call_settings):
    result = CliRunner().invoke(cli, ["score-call", str(built_call.stereo), "--agent-channel", "left", "--json"], env=_env(call_settings))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert TOP <= set(data) and data["agent_channel"] == "left"
    assert abs(data["duration"] - built_call.duration) < 0.1
    for segment in data["segments"]:
        assert {"start", "end", "speaker", "text", "words"} <= set(segment) and segment["speaker"] in ("agent", "customer")
        assert all(set(word) == {"start", "end", "word"} for word in segment["words"])
    assert set(data["scores"]) == {"active_listening", "empathy", "clarity", "jargon", "ownership"}
    assert isinstance(data["overall"], int)
    assert set(data["checklist"]) == CHECKLIST and all(set(v) == {"done", "at"} for v in data["checklist"].values())
    assert set(data["metrics"]) == METRICS and 0 <= data["metrics"]["agent_talk_ratio"] <= 1
    assert all(set(d) == {"start", "end"} for d in data["metrics"]["dead_air"])
    assert all(set(o) == {"start", "end", "by"} for o in data["metrics"]["overtalk"])
    assert set(data["metrics"]["customer_sentiment"]) == {"start", "end"}
    assert all(-1 <= v <= 1 for v in data["metrics"]["customer_sentiment"].values())
    assert all(set(r) == {"kind", "start", "end"} for r in data["redactions"])


def test_score_call_prints_a_readable_summary(built_call, call_settings):
    result = CliRunner().invoke(cli, ["score-call", str(built_call.stereo)], env=_env(call_settings))
    assert result.exit_code == 0, result.output
    assert "Checklist:" in result.output and "dead air" in result.output and "agent    Thank you" in result.output


def test_score_call_refuses_a_file_that_is_not_audio(tmp_path, call_settings):
    notes = tmp_path / "notes.wav"
    notes.write_text("not a recording")
    result = CliRunner().invoke(cli, ["score-call", str(notes), "--json"], env=_env(call_settings))
    assert result.exit_code != 0 and "not audio" in result.output
