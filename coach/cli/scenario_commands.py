"""``coach scenarios check|list`` and ``coach play``: check, list and play scenario files."""
from __future__ import annotations

import json
from pathlib import Path

import click

from coach.cli.groups import cli, scenarios
from scenarios import LIBRARY_DIR, Scenario, check_paths, check_warnings, load_library, scenario_files
from scenarios.mood import mood_label
from scenarios.play import RolePlay

scenarios_dir_option = click.option(
    "--scenarios-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=LIBRARY_DIR,
    show_default=True,
    help="Folder holding the scenario YAML files.",
)


@scenarios.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@scenarios_dir_option
def check_command(paths: tuple[Path, ...], scenarios_dir: Path) -> None:
    """Check scenario files (default: every file in the scenarios folder); print file:line: problem."""
    targets = list(paths) or [scenarios_dir]
    files = scenario_files(targets)
    if not files:
        raise click.ClickException(f"no scenario files (*.yaml) in {', '.join(map(str, targets))}")
    problems = check_paths(targets)
    warnings = check_warnings(targets)
    for problem in sorted(problems + warnings, key=lambda item: (item.file, item.line)):
        click.echo(str(problem))
    broken = len({problem.file for problem in problems})
    click.echo(f"{len(files)} scenario file(s) checked, {broken} with problems, {len(problems)} problem(s), "
               f"{len(warnings)} warning(s)", err=True)
    if problems:
        raise SystemExit(1)


@scenarios.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@scenarios_dir_option
def list_command(as_json: bool, scenarios_dir: Path) -> None:
    """List the scenarios that load cleanly (broken files are reported on stderr)."""
    library = load_library(scenarios_dir)
    for problem in library.problems:
        click.echo(f"skipped: {problem}", err=True)
    entries = sorted((scenario.summary() for scenario in library), key=lambda entry: entry["id"])
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    for entry in entries:
        click.echo(f"{entry['id']:<28} {entry['channel']:<6} {entry['difficulty']:<7} {entry['title']}")


@cli.command("play")
@click.argument("scenario_id")
@click.option("--replies", "replies_file", required=True, type=click.File("r", encoding="utf-8"),
              help="Text file with one reply per line ('#' lines and blank lines are skipped).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the transcript.")
@scenarios_dir_option
def play_command(scenario_id: str, replies_file, as_json: bool, scenarios_dir: Path) -> None:
    """Play SCENARIO_ID with scripted replies: customer lines, scores, mood and the ending."""
    scenario = _find_scenario(scenario_id, scenarios_dir)
    replies = [line.strip() for line in replies_file if line.strip() and not line.lstrip().startswith("#")]
    role_play = RolePlay(scenario)
    if not as_json:
        click.echo(f"{scenario.title} ({scenario.id}) · {scenario.channel} · {scenario.difficulty}")
        click.echo(f"Customer: {scenario.persona.name}, mood {role_play.mood} ({mood_label(role_play.mood)})\n")
    turns = []
    for reply in replies:
        if role_play.finished:
            break
        result = role_play.reply(reply)
        turns.append({
            "customer": result.customer_line,
            "reply": result.reply,
            "scores": dict(result.scorecard.scores),
            "mood": result.mood_after,
            "goto": result.goto,
            "decision": result.decision,
        })
        if not as_json:
            _echo_turn(result)
    ending = role_play.ending
    if as_json:
        click.echo(json.dumps({
            "scenario": scenario.id,
            "turns": turns,
            "ending": {"id": ending.id if ending else None, "outcome": role_play.outcome,
                       "reason": role_play.debrief().ending_reason},
        }, indent=2))
        return
    if ending is None:
        click.echo(f"Unfinished: the replies ran out at turn '{role_play.state.turn_id}'.")
        click.echo(f"Customer: {role_play.customer_line}")
        return
    if ending.customer:
        click.echo(f"{scenario.persona.name}: {ending.customer}")
    click.echo(f"Ending: {ending.id} ({ending.outcome})\n{ending.debrief.strip()}")
    unused = len(replies) - len(turns)
    if unused:
        click.echo(f"({unused} reply line(s) left unused after the ending)", err=True)


def _find_scenario(scenario_id: str, scenarios_dir: Path) -> Scenario:
    library = load_library(scenarios_dir)
    for scenario in library:
        if scenario.id == scenario_id:
            return scenario
    broken = [str(problem) for problem in library.problems]
    hint = f"; {len(broken)} problem(s) in the folder, run 'coach scenarios check'" if broken else ""
    raise click.ClickException(f"no scenario '{scenario_id}' in {scenarios_dir}{hint}")


def _echo_turn(result) -> None:
    scores = " · ".join(f"{name} {value}" for name, value in result.scorecard.scores.items())
    click.echo(f"Customer [{result.turn_id}]: {result.customer_line}")
    click.echo(f"You: {result.reply}")
    click.echo(f"  scores: {scores} · overall {result.scorecard.overall}")
    made = [f"{d['move']} ('{d['sentence']}', {d['similarity']})" for d in result.decision.get("moves", []) if d["made"]]
    click.echo(f"  moves: {', '.join(made) or 'none'}")
    click.echo(f"  next: {result.decision.get('why', result.goto)}")
    click.echo(f"  mood: {result.mood_before} -> {result.mood_after} ({mood_label(result.mood_after)})\n")
