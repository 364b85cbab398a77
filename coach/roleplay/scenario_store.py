"""Keeping the database's scenario rows in step with the scenario files."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from coach.models import Scenario as ScenarioRow
from coach.models import utcnow
from scenarios import Scenario, ScenarioLibrary, ScenarioProblem


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    problems: list[ScenarioProblem] = field(default_factory=list)


def sync_scenarios(session: Session, library: ScenarioLibrary) -> SyncReport:
    """Add new scenarios, update changed ones, archive those whose file is gone; broken files change nothing."""
    report = SyncReport(problems=list(library.problems))
    broken_files = {problem.file for problem in library.problems}
    rows = {row.slug: row for row in session.exec(select(ScenarioRow))}
    for scenario in library:
        definition = scenario.model_dump(mode="json")
        digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()
        row = rows.pop(scenario.id, None)
        if row is None:
            row = ScenarioRow(slug=scenario.id)
            report.added.append(scenario.id)
        elif row.content_hash != digest or row.archived:
            report.updated.append(scenario.id)
        else:
            continue
        _fill(row, scenario, definition, digest)
        session.add(row)
    for row in rows.values():
        if not row.archived and row.source_path not in broken_files:
            row.archived = True
            session.add(row)
            report.archived.append(row.slug)
    session.commit()
    return report


def _fill(row: ScenarioRow, scenario: Scenario, definition: dict, digest: str) -> None:
    row.title, row.channel, row.difficulty = scenario.title, scenario.channel, scenario.difficulty
    row.skills = list(scenario.skills)
    row.definition = definition
    row.source_path = scenario.source or ""
    row.content_hash = digest
    row.archived = False
    row.synced_at = utcnow()


def scenario_from_row(row: ScenarioRow) -> Scenario:
    """The validated scenario stored in a row."""
    return Scenario.model_validate(row.definition)
