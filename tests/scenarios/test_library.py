"""The shipped scenarios: all valid, each a real branching role-play, played through ``coach play``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import scenario_commands  # noqa: F401  (attaches the commands to the groups)
from coach.cli.groups import cli
from scenarios import GOOD_OUTCOMES, LIBRARY_DIR, check_paths, load_library
from scenarios.graph import decision_points
from scenarios.play import RolePlay

RUNS = Path(__file__).parent / "runs"
LIBRARY = load_library(LIBRARY_DIR)
IDS = sorted(scenario.id for scenario in LIBRARY)
REQUIRED_SITUATIONS = {
    "angry-refund", "repeat-caller", "jargon-trap", "billing-double-charge", "late-delivery",
    "cancellation-retention", "social-media-threat", "abusive-caller", "elderly-plain-language",
    "chat-wrong-item", "policy-no-empathy", "follow-up-timeline",
}


def test_every_shipped_scenario_passes_check():
    assert check_paths([LIBRARY_DIR]) == []
    assert LIBRARY.problems == []


def test_the_library_covers_the_required_situations_on_both_channels():
    assert REQUIRED_SITUATIONS <= set(IDS)
    assert {scenario.channel for scenario in LIBRARY} == {"voice", "chat"}


@pytest.mark.parametrize("scenario", LIBRARY, ids=IDS)
def test_each_scenario_branches_and_can_end_well_or_badly(scenario):
    assert len(decision_points(scenario)) >= 3
    outcomes = {ending.outcome for ending in scenario.endings}
    assert "resolved" in outcomes and outcomes - {"resolved"}
    assert all(turn.model_reply for turn in scenario.turns), "every turn needs a model reply for the debrief"


def play(scenario_id: str, run: str) -> dict:
    result = CliRunner().invoke(cli, ["play", scenario_id, "--replies", str(RUNS / f"{scenario_id}.{run}.txt"), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("scenario_id", IDS)
def test_a_well_handled_run_reaches_a_good_ending(scenario_id):
    played = play(scenario_id, "good")
    assert played["scenario"] == scenario_id
    assert played["ending"]["outcome"] in GOOD_OUTCOMES, played


@pytest.mark.parametrize("scenario_id", IDS)
def test_a_dismissive_run_reaches_a_bad_ending(scenario_id):
    played = play(scenario_id, "bad")
    assert played["ending"]["outcome"] in ("escalated", "hung_up"), played
    assert played["turns"][-1]["mood"] < played["turns"][0]["mood"] or played["turns"][0]["mood"] == 0


@pytest.mark.parametrize("scenario", LIBRARY, ids=IDS)
def test_the_authors_model_replies_lead_to_a_good_ending(scenario):
    role_play = RolePlay(scenario)
    while not role_play.finished and role_play.state.turns_taken < 12:
        role_play.reply(role_play.turn.model_reply)
    assert role_play.outcome in GOOD_OUTCOMES, role_play.state.path
    review = role_play.debrief()
    assert review.better_reply and review.weakest is not None
