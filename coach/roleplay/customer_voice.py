"""The customer's spoken lines in voice scenarios: rendered with ``coach.speech.tts`` into a cache per scenario.

``coach scenarios sync`` pre-renders every line in every mood band; the player renders (once) any line the
cache lacks, so a line is never silent because sync was skipped.
"""
from __future__ import annotations

import logging
from pathlib import Path

from sqlmodel import Session, select

from coach.config import Settings
from coach.models import Scenario as ScenarioRow
from coach.roleplay.scenario_store import scenario_from_row
from coach.speech import tts
from scenarios import Scenario

log = logging.getLogger(__name__)


def cache_dir(settings: Settings, row: ScenarioRow) -> Path:
    return Path(settings.instance_dir) / "voices" / row.slug


def voice_of(scenario: Scenario) -> tts.CustomerVoice:
    """The persona's voice; a persona may name an espeak-ng voice in an optional ``voice`` field."""
    return tts.persona_voice(scenario.persona.name, scenario.persona.voice)


def spoken_line(settings: Settings, row: ScenarioRow, text: str, mood: int) -> str | None:
    """The digest of ``text`` spoken at ``mood`` (rendered when missing); None for a chat scenario or when it fails."""
    if row.channel != "voice" or not text.strip():
        return None
    try:
        digest, _ = tts.render_line(text, voice_of(scenario_from_row(row)), tts.mood_band(mood), cache_dir(settings, row))
    except (tts.VoiceError, OSError) as error:
        log.warning("customer line of %s not spoken: %s", row.slug, error)
        return None
    return digest


def spoken_path(settings: Settings, row: ScenarioRow, digest: str) -> Path | None:
    """The cached audio of one of the scenario's lines."""
    return tts.cached_line(cache_dir(settings, row), digest)


def voice_lines(scenario: Scenario) -> list[str]:
    """Every line the customer can say: each turn's and each ending's (those without shipped audio)."""
    lines = [turn.customer for turn in scenario.turns if not turn.audio]
    lines += [ending.customer for ending in scenario.endings if ending.customer]
    return [line for line in dict.fromkeys(lines) if line.strip()]


def prerender(settings: Settings, row: ScenarioRow) -> int:
    """Render every line of a voice scenario in every mood band; returns how many were rendered anew."""
    if row.channel != "voice" or row.archived:
        return 0
    scenario = scenario_from_row(row)
    voice, folder, rendered = voice_of(scenario), cache_dir(settings, row), 0
    for line in voice_lines(scenario):
        for band in tts.DELIVERY:
            if tts.cached_line(folder, tts.line_digest(line, voice, band)) is None:
                tts.render_line(line, voice, band, folder)
                rendered += 1
    return rendered


def prerender_library(session: Session, settings: Settings) -> tuple[int, list[str]]:
    """Pre-render every voice scenario in the database; returns lines rendered anew and one problem per failed scenario."""
    rendered, problems = 0, []
    for row in session.exec(select(ScenarioRow).where(ScenarioRow.channel == "voice", ScenarioRow.archived == False)):  # noqa: E712
        try:
            rendered += prerender(settings, row)
        except (tts.VoiceError, OSError) as error:
            problems.append(f"{row.slug}: {error}")
    return rendered, problems
