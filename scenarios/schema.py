"""The scenario file format: pydantic models that validate one ``scenarios/*.yaml`` file.

Mood is 0-100 where 0 is furious and 100 is completely calm. Every id (turns and endings
share one namespace) is a short slug. Graph rules (targets exist, every turn reachable and
able to end) are checked by ``scenarios.loader``, not here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")
OUTCOMES = ("resolved", "escalated", "hung_up")
GOOD_OUTCOMES = ("resolved",)

MoveKind = Literal["offers", "acknowledges", "asks_for", "apologises", "explains_policy", "deflects"]
Dimension = Literal["active_listening", "empathy", "clarity", "jargon", "ownership"]
Outcome = Literal["resolved", "escalated", "hung_up"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
Score = Annotated[int, Field(ge=0, le=100)]
Text = Annotated[str, Field(min_length=1)]
# A recording beside the scenario file (or in a folder below it): never an absolute path or one that climbs out.
AudioFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$", max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Briefing(_Strict):
    """What the trainee reads before the role-play starts."""

    customer: Text
    situation: Text
    you_can_offer: list[Text] = []
    policy: Text
    goal: str = ""


class Persona(_Strict):
    """The simulated customer. ``volatility`` scales how far each reply moves the mood."""

    name: Text
    mood: Score
    traits: list[Text] = []
    volatility: Annotated[float, Field(gt=0, le=3)] = 1.0
    # the espeak-ng voice of a voice scenario's customer, e.g. "en-gb+f3"; left out, one is picked from the name
    voice: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[a-z0-9]+)*(\+[a-z0-9]+)?$", max_length=40)] | None = None


class MoveSpec(_Strict):
    """A move that matters in this scenario, judged by meaning against its example phrasings."""

    kind: MoveKind
    examples: Annotated[list[Text], Field(min_length=2)]


class MoveCondition(_Strict):
    """What the reply did, judged by the move matcher (``scenarios.matcher``); all set parts must hold.

    ``offers`` / ``acknowledges`` / ``asks_for`` name moves from the scenario's ``moves`` (every one named must be
    made); ``apologises`` / ``explains_policy`` / ``deflects`` are shared moves: ``true`` needs the move, ``false``
    needs its absence; ``does_not`` names moves that must not be made.
    """

    offers: list[Slug] = []
    acknowledges: list[Slug] = []
    asks_for: list[Slug] = []
    apologises: bool | None = None
    explains_policy: bool | None = None
    deflects: bool | None = None
    does_not: list[Slug] = []

    def required(self) -> list[str]:
        """Moves that must be made."""
        named = [*self.offers, *self.acknowledges, *self.asks_for]
        return named + [kind for kind in ("apologises", "explains_policy", "deflects") if getattr(self, kind) is True]

    def forbidden(self) -> list[str]:
        """Moves that must not be made."""
        return list(self.does_not) + [kind for kind in ("apologises", "explains_policy", "deflects")
                                      if getattr(self, kind) is False]

    def uses_moves(self) -> bool:
        return bool(self.required() or self.forbidden())


class Condition(MoveCondition):
    """Every field that is set must hold (AND); leave a field out to ignore it.

    The move fields (``MoveCondition``) read what the reply did, by meaning.
    ``scores_*`` and ``overall_*`` read the scorecard of this reply, ``mood_*`` the mood
    after this reply. ``mentions_*`` match words or phrases in this reply (case-insensitive,
    whole words; a trailing ``*`` matches any ending, e.g. ``refund*``).
    ``facts_mentioned`` names facts whose value the agent has said at any point so far; ``made_so_far`` names
    moves the agent has made in this reply or any earlier one (the customer remembers what was offered).
    """

    scores_at_least: dict[Dimension, Score] = {}
    scores_below: dict[Dimension, Score] = {}
    overall_at_least: Score | None = None
    overall_below: Score | None = None
    mood_at_least: Score | None = None
    mood_below: Score | None = None
    mentions_any: list[Text] = []
    mentions_all: list[Text] = []
    mentions_none: list[Text] = []
    facts_mentioned: list[Text] = []
    made_so_far: list[Slug] = []

    def uses_moves(self) -> bool:
        return super().uses_moves() or bool(self.made_so_far)


class Transition(_Strict):
    """Go to ``goto`` (a turn or an ending) when ``when`` holds; ``mood_change`` then applies."""

    when: Condition
    goto: Slug
    mood_change: Annotated[int, Field(ge=-100, le=100)] = 0


class LineVariant(_Strict):
    """A customer line said instead of the turn's own when the reply that led here did (or did not do) something."""

    when: MoveCondition
    customer: Text


class Turn(_Strict):
    """One thing the customer says, and where the conversation goes after the agent replies.

    ``variants`` are tried in order against the reply that led to this turn; the first that holds gives the line.
    """

    id: Slug
    customer: Text
    variants: list[LineVariant] = []
    audio: AudioFile | None = None
    model_reply: str | None = None
    transitions: list[Transition] = []
    default: Slug

    @field_validator("audio")
    @classmethod
    def _audio_stays_beside(cls, audio: str | None) -> str | None:
        if audio is not None and ".." in audio.split("/"):
            raise ValueError("audio must be a file beside the scenario (or in a folder below it), without '..'")
        return audio


class Ending(_Strict):
    """An end state: the customer's closing line (optional) and what the debrief says."""

    id: Slug
    outcome: Outcome
    customer: str = ""
    debrief: Text
    reason: str = ""  # why a calm customer can still end here (e.g. the agent ends an abusive call); shown in the debrief


FactValue = Union[str, int, float]


class Scenario(_Strict):
    """One role-play scenario, as written in a YAML file."""

    id: Slug
    title: Text
    channel: Literal["voice", "chat"]
    difficulty: Literal["easy", "medium", "hard"]
    skills: Annotated[list[Dimension], Field(min_length=1)]
    briefing: Briefing
    persona: Persona
    facts: dict[Slug, FactValue] = {}
    moves: dict[Slug, MoveSpec] = {}
    start: Slug | None = None
    turns: Annotated[list[Turn], Field(min_length=1)]
    endings: Annotated[list[Ending], Field(min_length=2)]

    _source: str | None = PrivateAttr(default=None)

    @field_validator("skills")
    @classmethod
    def _skills_unique(cls, skills: list[str]) -> list[str]:
        if len(set(skills)) != len(skills):
            raise ValueError("skills must not repeat")
        return skills

    @property
    def source(self) -> str | None:
        """The YAML file this scenario was loaded from, when it came from a file."""
        return self._source

    @property
    def start_turn(self) -> str:
        return self.start or self.turns[0].id

    def turn(self, turn_id: str) -> Turn | None:
        return next((turn for turn in self.turns if turn.id == turn_id), None)

    def ending(self, ending_id: str) -> Ending | None:
        return next((ending for ending in self.endings if ending.id == ending_id), None)

    def audio_path(self, turn: Turn) -> Path | None:
        """The recorded audio for ``turn``, beside the YAML file, when there is one."""
        if turn.audio is None or self._source is None:
            return None
        return Path(self._source).parent / turn.audio

    def fact_text(self) -> dict[str, str]:
        """Facts as strings, the form the scorer and the player compare with replies."""
        return {key: str(value) for key, value in self.facts.items()}

    def summary(self) -> dict:
        """The ``coach scenarios list --json`` entry."""
        return {
            "id": self.id,
            "title": self.title,
            "channel": self.channel,
            "difficulty": self.difficulty,
            "skills": list(self.skills),
        }
