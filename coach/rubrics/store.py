"""Which rubric scores whom: the site rubric (COACH_RUBRIC), the built-in ones in ``scoring/rubrics/``, and the
rubrics trainers and QA reviewers upload, kept as YAML and chosen per team.

Below the blueprints (no Flask): the rubrics pages, ``coach rubrics``, role-play practice, the call job and
QA review all ask here. A stored rubric is never changed, so a scorecard's "name@version" keeps its meaning.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from coach.config import Settings
from coach.models import Team, UploadedRubric, User
from scoring import Rubric, RubricError
from scoring.rubric import MAX_RUBRIC_CHARS, RUBRICS_DIR, read_rubric_file, rubric_from_text, rubric_path

log = logging.getLogger(__name__)
MAX_RUBRIC_BYTES = MAX_RUBRIC_CHARS
SITE_DEFAULT = "default"  # what `coach rubrics assign TEAM default` says to go back to the site rubric
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class RubricStoreError(ValueError):
    """A rubric that cannot be stored or assigned; the message says what to change."""


@dataclass(frozen=True)
class RubricEntry:
    """A rubric to look at or choose: its YAML, where it comes from ("site", "built-in", "uploaded") and its row."""

    rubric: Rubric
    text: str
    origin: str
    stored: UploadedRubric | None = None

    @property
    def label(self) -> str:
        return self.rubric.label


# --- reading ----------------------------------------------------------------------------------

def site_rubric(settings: Settings) -> Rubric:
    """The rubric of everyone whose team has none of its own."""
    return _file_entry(settings.rubric, "site").rubric


def file_rubrics(settings: Settings) -> list[RubricEntry]:
    """The site rubric first, then the other built-in rubrics."""
    entries = [_file_entry(settings.rubric, "site")]
    for path in sorted(RUBRICS_DIR.glob("*.yaml")):
        entry = _file_entry(str(path), "built-in")
        if entry.label not in {e.label for e in entries}:
            entries.append(entry)
    return entries


@functools.lru_cache(maxsize=16)
def _file_entry(path_or_name: str, origin: str) -> RubricEntry:
    path = rubric_path(path_or_name)
    if not path.is_file():
        raise RubricError(f"{path}: rubric file not found")
    text = read_rubric_file(path)
    return RubricEntry(rubric_from_text(text, str(path)), text, origin)


@functools.lru_cache(maxsize=64)
def _parsed(text: str, source: str) -> Rubric:
    return rubric_from_text(text, source)


def uploaded_rubrics(session: Session) -> list[UploadedRubric]:
    return list(session.exec(select(UploadedRubric).order_by(UploadedRubric.name, UploadedRubric.created_at)))


def all_rubrics(session: Session, settings: Settings) -> list[RubricEntry]:
    """Every rubric there is: the site and built-in ones, then the uploaded ones (by name, oldest version first)."""
    entries = file_rubrics(settings)
    for row in uploaded_rubrics(session):
        entry = _uploaded_entry(row)
        if entry is not None:
            entries.append(entry)
    return entries


def _uploaded_entry(row: UploadedRubric) -> RubricEntry | None:
    try:
        return RubricEntry(_parsed(row.yaml_text, row.label), row.yaml_text, "uploaded", row)
    except RubricError as error:  # stored when valid; only a stricter schema since could refuse it now
        log.warning("stored rubric %s no longer loads: %s", row.label, error)
        return None


def find_rubric(session: Session, settings: Settings, label: str) -> RubricEntry | None:
    """The rubric a "name@version" label names: the site or a built-in one, else an uploaded one."""
    for entry in file_rubrics(settings):
        if entry.label == label:
            return entry
    name, _, version = (label or "").partition("@")
    row = session.exec(select(UploadedRubric).where(UploadedRubric.name == name,
                                                    UploadedRubric.version == version)).first()
    return _uploaded_entry(row) if row is not None else None


def rubric_by_label(session: Session, settings: Settings, label: str) -> Rubric | None:
    """For a stored scorecard's "name@version": the rubric that produced it, when it can still be found."""
    entry = find_rubric(session, settings, label) if label else None
    return entry.rubric if entry else None


def rubric_of_scorecard(session: Session, settings: Settings, label: str, user_id: int | None) -> Rubric:
    """The rubric that produced a stored scorecard (its "name@version"); the person's rubric now when it is gone."""
    return rubric_by_label(session, settings, label) or rubric_for_user(session, settings, user_id)


def team_rubric(session: Session, settings: Settings, team: Team | None) -> RubricEntry:
    """The team's own rubric, or the site rubric when it has none (or no team is given)."""
    row = session.get(UploadedRubric, team.rubric_id) if team is not None and team.rubric_id is not None else None
    entry = _uploaded_entry(row) if row is not None else None
    return entry or _file_entry(settings.rubric, "site")


def rubric_for_user(session: Session, settings: Settings, user_id: int | None) -> Rubric:
    """The rubric that scores this trainee's replies or this agent's calls: their team's, else the site rubric."""
    user = session.get(User, user_id) if user_id is not None else None
    team = session.get(Team, user.team_id) if user is not None and user.team_id is not None else None
    return team_rubric(session, settings, team).rubric


def teams_by_rubric(session: Session) -> dict[int, list[Team]]:
    """The teams that chose each uploaded rubric, by the rubric's id."""
    teams: dict[int, list[Team]] = {}
    for team in session.exec(select(Team).where(Team.rubric_id.is_not(None)).order_by(Team.name)):
        teams.setdefault(team.rubric_id, []).append(team)
    return teams


# --- changing ---------------------------------------------------------------------------------

def rubric_text(data: bytes) -> str:
    """An uploaded file's bytes as rubric text: UTF-8, at most ``MAX_RUBRIC_BYTES``."""
    if len(data) > MAX_RUBRIC_BYTES:
        raise RubricStoreError(f"The rubric file is {len(data) // 1024} KB; a rubric is at most {MAX_RUBRIC_BYTES // 1024} KB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RubricStoreError("The rubric file is not UTF-8 text; save it as a plain-text YAML file.") from None


def check_rubric(session: Session, settings: Settings, text: str) -> Rubric:
    """Validate rubric YAML for storing: size, the rubric schema, a short name and a name@version not taken."""
    if len(text.encode("utf-8")) > MAX_RUBRIC_BYTES:
        raise RubricStoreError(f"A rubric is at most {MAX_RUBRIC_BYTES // 1024} KB of YAML.")
    if not text.strip():
        raise RubricStoreError("The rubric is empty: upload a YAML file or paste its text.")
    try:
        rubric = rubric_from_text(text, "rubric")
    except RubricError as error:
        raise RubricStoreError(str(error)) from None
    for part, value, longest in (("name", rubric.name, 80), ("version", rubric.version, 40)):
        if not _NAME.match(value) or len(value) > longest:
            raise RubricStoreError(f"rubric: '{part}' uses letters, digits, '.', '-' and '_' only "
                                   f"(at most {longest} characters), not {value!r}.")
    if find_rubric(session, settings, rubric.label) is not None:
        raise RubricStoreError(_taken(rubric.label))
    return rubric


def add_rubric(session: Session, settings: Settings, text: str, uploaded_by: User | None = None) -> UploadedRubric:
    """Validate and keep a new rubric; a changed rubric must come with a new ``version``."""
    rubric = check_rubric(session, settings, text)
    row = UploadedRubric(name=rubric.name, version=rubric.version, yaml_text=text,
                         uploaded_by=uploaded_by.id if uploaded_by is not None else None)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # the same name@version stored by someone else a moment ago
        session.rollback()
        raise RubricStoreError(_taken(rubric.label)) from None
    return row


def _taken(label: str) -> str:
    return (f"A rubric named {label} exists already. Scorecards keep the name@version that scored them, "
            "so a changed rubric needs a new `version` (e.g. bump 1.0 to 1.1).")


def assign_rubric(session: Session, settings: Settings, team: Team, label: str | None) -> RubricEntry:
    """Give the team the uploaded rubric ``label``; none, "default" or the site rubric's label go back to the site rubric.

    Who may do it is the caller's check: ``coach.permissions.can_see_team``.
    """
    label = (label or "").strip()
    if not label or label == SITE_DEFAULT or label == site_rubric(settings).label:
        team.rubric_id = None
    else:
        entry = find_rubric(session, settings, label)
        if entry is None:
            raise RubricStoreError(f"There is no rubric {label}; upload it first, or choose one of the listed rubrics.")
        if entry.stored is None:
            raise RubricStoreError(f"{label} is a built-in rubric and not the site rubric; to use it for one team, "
                                   "upload a copy with its own name or version.")
        team.rubric_id = entry.stored.id
    session.add(team)
    session.commit()
    return team_rubric(session, settings, team)
