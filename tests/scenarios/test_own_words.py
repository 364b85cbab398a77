"""Own-words runs: skilled replies that avoid each scenario's keywords and example phrasings should resolve, poor
ones should not; played with the real scorer and the real move matcher.

``own_words/`` was written before the matcher was tuned and then used to tune it; ``held_out/`` was written after
and looked at once. ``fresh*/`` were written by someone who saw only each scenario's briefing, persona and customer
lines (``fresh2`` saw the whole files): ``fresh`` and ``fresh3`` to ``fresh11`` blind. Each was measured once with the
rules of its day and looked at after, so none is held out any more (README, Role-play); ``fresh11``, measured once
with this release's rules, resolved every skilled run and no poor one."""
from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import LIBRARY_DIR, load_library
from scenarios.play import CALM_MOOD, RolePlay

HERE = Path(__file__).parent
RUNS = HERE / "own_words"
SETS = ("own_words", "held_out", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11")
# Runs that do not reach the right ending yet; strict, so a fix shows up here as an unexpected pass.
NOT_YET = {
    ("own_words", "good"): set(), ("own_words", "bad"): set(),
    ("held_out", "good"): set(), ("held_out", "bad"): set(),
    ("fresh", "good"): set(), ("fresh", "bad"): set(),
    ("fresh2", "good"): set(), ("fresh2", "bad"): set(),
    ("fresh3", "good"): {"social-media-threat"}, ("fresh3", "bad"): set(),
    ("fresh4", "good"): set(), ("fresh4", "bad"): set(),
    ("fresh5", "good"): set(), ("fresh5", "bad"): set(),
    ("fresh6", "good"): {"elderly-plain-language"}, ("fresh6", "bad"): set(),
    ("fresh7", "good"): set(), ("fresh7", "bad"): set(),
    ("fresh8", "good"): set(), ("fresh8", "bad"): set(),
    ("fresh9", "good"): set(), ("fresh9", "bad"): set(),
    ("fresh10", "good"): set(), ("fresh10", "bad"): set(),
    ("fresh11", "good"): set(), ("fresh11", "bad"): set(),
}


@pytest.fixture(scope="module")
def library():
    return {scenario.id: scenario for scenario in load_library(LIBRARY_DIR)}


def play(scenario, path: Path) -> RolePlay:
    role_play = RolePlay(scenario)
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#") and not role_play.finished:
            role_play.reply(line)
    return role_play


def scenario_ids() -> list[str]:
    return sorted({path.name.split(".")[0] for path in RUNS.glob("*.txt")})


def test_every_shipped_scenario_has_a_skilled_and_a_poor_run_in_each_set(library):
    for name in SETS:
        assert {path.name for path in (HERE / name).glob("*.txt")} == {
            f"{sid}.{kind}.txt" for sid in library for kind in ("good", "bad")}


def cases(kind: str) -> list:
    return [pytest.param(name, sid, id=f"{name}-{sid}",
                         marks=[pytest.mark.xfail(strict=True, reason="wrong ending")] if sid in NOT_YET[name, kind] else [])
            for name in SETS for sid in scenario_ids()]


@pytest.mark.parametrize(("run_set", "scenario_id"), cases("good"))
def test_a_skilled_run_in_own_words_resolves(library, run_set, scenario_id):
    role_play = play(library[scenario_id], HERE / run_set / f"{scenario_id}.good.txt")
    assert role_play.outcome == "resolved", role_play.state.path


@pytest.mark.parametrize(("run_set", "scenario_id"), cases("bad"))
def test_a_poor_run_in_own_words_is_not_resolved(library, run_set, scenario_id):
    role_play = play(library[scenario_id], HERE / run_set / f"{scenario_id}.bad.txt")
    assert role_play.outcome != "resolved", role_play.state.path


@pytest.mark.parametrize("run_set", SETS)
@pytest.mark.parametrize("kind", ["good", "bad"])
def test_no_ending_contradicts_the_mood_without_a_stated_reason(library, run_set, kind):
    for scenario_id in scenario_ids():
        role_play = play(library[scenario_id], HERE / run_set / f"{scenario_id}.{kind}.txt")
        if role_play.outcome in ("escalated", "hung_up") and role_play.mood >= CALM_MOOD:
            assert role_play.debrief().ending_reason, (scenario_id, role_play.mood)
