"""``coach score-call``: the call first pass from the command line (batch jobs and tests)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from coach.calls import AGENT_CHANNEL_CHOICES, SpeakerError, first_pass
from coach.calls.checklist import STEPS
from coach.cli.groups import cli
from coach.config import settings_from_env
from coach.speech.audio import AudioError
from coach.speech.engines import EngineError


@cli.command("score-call")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--agent-channel", type=click.Choice(AGENT_CHANNEL_CHOICES), default="auto", show_default=True,
              help="Which stereo channel is the agent (auto: guessed from greetings and talk share).")
@click.option("--json", "as_json", is_flag=True, help="Print the first pass as one JSON object.")
def score_call(file: Path, agent_channel: str, as_json: bool) -> None:
    """Transcribe, redact and score one call recording (the same pipeline as the review queue)."""
    settings = settings_from_env()
    try:
        result = first_pass(file, agent_channel=agent_channel, settings=settings,
                            progress=_progress_line if not as_json and sys.stderr.isatty() else None)
    except AudioError as error:
        raise click.ClickException(f"{file}: {error}") from None
    except EngineError as error:
        raise click.ClickException(f"{error} (try: coach models install)") from None
    except SpeakerError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        data = result.to_dict()
        data.pop("waveform", None)
        click.echo(json.dumps(data))
        return
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(summary(result.to_dict()))


def _progress_line(fraction: float, stage: str) -> None:
    click.echo(f"\r{stage:<20} {int(fraction * 100):3d}%", nl=False, err=True)


def summary(data: dict) -> str:
    """A readable summary of a first pass."""
    metrics = data["metrics"]
    minutes, seconds = divmod(int(round(data["duration"])), 60)
    lines = [f"Call of {minutes}:{seconds:02d}, agent on {data['agent_channel']}"
             f"{' (guessed)' if data.get('agent_channel_guessed') else ''}; overall {data['overall']}",
             "", "Scores:"]
    lines += [f"  {name.replace('_', ' '):<18} {score:>3}" for name, score in data["scores"].items()]
    lines += ["", "Checklist:"]
    for step in STEPS:
        tick = data["checklist"][step.item]
        lines.append(f"  [{'x' if tick['done'] else ' '}] {step.label:<28} {_clock(tick['at']) if tick['done'] else 'missing'}")
    dead_air = ", ".join(_clock(d["start"]) + "-" + _clock(d["end"]) for d in metrics["dead_air"]) or "none"
    overtalk = ", ".join(_clock(o["start"]) + " by " + o["by"] for o in metrics["overtalk"]) or "none"
    lines += ["", "Metrics:",
              f"  agent talk ratio   {metrics['agent_talk_ratio']:.0%}",
              f"  agent pace         {metrics['agent_wpm']:.0f} words/min",
              f"  longest monologue  {metrics['longest_agent_monologue_s']:.0f} s",
              f"  dead air           {dead_air}",
              f"  overtalk           {overtalk}",
              f"  customer sentiment {metrics['customer_sentiment']['start']:+.2f} at the start, "
              f"{metrics['customer_sentiment']['end']:+.2f} at the end"]
    if data["redactions"]:
        lines += ["", "Redacted: " + ", ".join(f"{r['kind']} at {_clock(r['start'])}" for r in data["redactions"])]
    lines += ["", "Transcript:"]
    lines += [f"  {_clock(s['start'])} {s['speaker']:<8} {s['text']}" for s in data["segments"]]
    return "\n".join(lines)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(float(seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"
