"""The role-play player: a state machine over a scenario's turns, driven by scored replies.

``RolePlay`` holds the state (current turn, mood, path, turns taken, ending); its
``to_dict``/``from_dict`` let a web request store it and the next one pick it up.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import scoring
from scoring.tips import vary
from scenarios.conditions import ReplyFacts, facts_in, failures, move_failures
from scenarios.matcher import matcher_for
from scenarios.mood import MoodModel, clamp_mood
from scenarios.schema import GOOD_OUTCOMES, Ending, Scenario, Turn

Scorer = Callable[..., Any]  # score_reply(reply, context, facts=..., words=..., voice=...) -> Scorecard
UNFINISHED = "unfinished"
CALM_MOOD = 60  # a customer this calm is not lost without a reason: they ask once more instead
PATIENCE = 15  # the mood an unanswered question costs
ASK_AGAIN = "I appreciate that, but you haven't answered me yet. "


class RolePlayError(Exception):
    """The role-play cannot take this step (it has ended, or a saved state does not fit)."""


@dataclass(frozen=True)
class TurnRecord:
    """The part of one exchange kept in the saved state and used by the debrief."""

    turn_id: str
    customer_line: str
    reply: str
    scores: dict[str, int]
    overall: int
    tips: dict[str, str]
    mood_before: int
    mood_after: int
    goto: str
    examples: dict[str, str] = field(default_factory=dict)  # each tip's suggested phrasing (Scorecard.examples)
    decision: dict = field(default_factory=dict)  # why the conversation went to ``goto``: moves matched, conditions

    @classmethod
    def from_dict(cls, data: dict) -> "TurnRecord":
        return cls(**data)


@dataclass(frozen=True)
class TurnResult:
    """One exchange: the customer's line, the trainee's reply, its scorecard and what happened next."""

    turn_id: str
    customer_line: str
    reply: str
    scorecard: Any
    mood_before: int
    mood_after: int
    goto: str
    reaction: str
    ending: Ending | None
    decision: dict = field(default_factory=dict)

    @property
    def record(self) -> TurnRecord:
        return TurnRecord(
            turn_id=self.turn_id, customer_line=self.customer_line, reply=self.reply,
            scores=dict(self.scorecard.scores), overall=self.scorecard.overall,
            tips=dict(self.scorecard.tips), mood_before=self.mood_before,
            mood_after=self.mood_after, goto=self.goto, examples=dict(getattr(self.scorecard, "examples", {}) or {}),
            decision=self.decision,
        )

    def to_dict(self) -> dict:
        return {
            "turn_id": self.turn_id,
            "customer_line": self.customer_line,
            "reply": self.reply,
            "scorecard": self.scorecard.to_dict(),
            "mood_before": self.mood_before,
            "mood_after": self.mood_after,
            "goto": self.goto,
            "reaction": self.reaction,
            "ending": self.ending.model_dump() if self.ending else None,
            "decision": self.decision,
        }


@dataclass
class RolePlayState:
    """Everything needed to resume a role-play; plain JSON-friendly values only."""

    scenario_id: str
    turn_id: str | None
    mood: int
    path: list[str]
    ending_id: str | None = None
    facts_mentioned: list[str] = field(default_factory=list)
    history: list[TurnRecord] = field(default_factory=list)
    line: str | None = None  # the current turn's line when a variant (or asking again) replaced the turn's own
    asked_again: list[str] = field(default_factory=list)  # turns where a calm customer has already asked again
    ending_note: str = ""  # why the role-play ended as it did, when the ending's own debrief does not say

    @property
    def turns_taken(self) -> int:
        return len(self.history)


class RolePlay:
    """Plays one scenario: ``reply(text)`` scores the reply, moves the mood and picks the next turn."""

    def __init__(self, scenario: Scenario, scorer: Scorer | None = None, mood_model: MoodModel | None = None,
                 state: RolePlayState | None = None):
        self.scenario = scenario
        self.scorer = scorer or scoring.score_reply
        self.mood_model = mood_model or MoodModel()
        start = scenario.start_turn
        self.state = state or RolePlayState(scenario.id, start, scenario.persona.mood, [start])
        self.results: list[TurnResult] = []

    @property
    def finished(self) -> bool:
        return self.state.ending_id is not None

    @property
    def mood(self) -> int:
        return self.state.mood

    @property
    def turn(self):
        return self.scenario.turn(self.state.turn_id) if self.state.turn_id else None

    @property
    def customer_line(self) -> str | None:
        """What the customer is saying now, waiting for the trainee's reply."""
        if not self.turn:
            return None
        return self.state.line or self.turn.customer

    @property
    def ending(self) -> Ending | None:
        return self.scenario.ending(self.state.ending_id) if self.state.ending_id else None

    @property
    def outcome(self) -> str:
        return self.ending.outcome if self.ending else UNFINISHED

    def reply(self, text: str, words=None, voice=None) -> TurnResult:
        """Score the trainee's reply to the current customer line and move the conversation on."""
        if self.finished:
            raise RolePlayError(f"the role-play has ended ({self.state.ending_id})")
        turn, line = self.turn, self.customer_line
        context = [record.customer_line for record in self.state.history] + [line]
        scorecard = self.scorer(text, context, facts=self.scenario.fact_text(), words=words, voice=voice)
        # a tip the trainee saw on the last turn is worded another way, whatever scorer is plugged in
        scorecard = vary(scorecard, self.state.history[-1].tips if self.state.history else None)
        decisions = matcher_for(self.scenario).decide(text)
        made = frozenset(name for name, decision in decisions.items() if decision.made)
        kinds = {decisions[name].kind for name in made}
        mood_before = self.state.mood
        change = self.mood_model.change(
            scorecard.scores, self.scenario.persona.volatility, bool(getattr(scorecard, "auto_fail", None))
        ) + self.mood_model.move_change(kinds)
        mood = clamp_mood(mood_before + change)
        facts_mentioned = set(self.state.facts_mentioned) | facts_in(text, self.scenario.fact_text())
        earlier = {move["move"] for record in self.state.history for move in record.decision.get("moves", [])
                   if move.get("made")}
        seen = ReplyFacts(text, dict(scorecard.scores), scorecard.overall, mood, frozenset(facts_mentioned), made,
                          frozenset(earlier) | made)
        goto, extra, why = self._choose(turn, seen)
        mood = clamp_mood(mood + extra)
        ending = self.scenario.ending(goto)
        next_line = None
        if ending and ending.outcome not in GOOD_OUTCOMES and mood >= CALM_MOOD and not ending.reason:
            if turn.id not in self.state.asked_again:
                self.state.asked_again.append(turn.id)
                goto, ending, mood = turn.id, None, clamp_mood(mood - PATIENCE)
                next_line = ASK_AGAIN + turn.customer
                why += f"; {self.scenario.persona.name} is calm (mood {mood + PATIENCE}), so asks again instead of leaving"
            else:
                self.state.ending_note = (f"{self.scenario.persona.name} stayed calm but asked twice and still did "
                                          f"not hear what was needed ({why}).")
        next_turn = None if ending else self.scenario.turn(goto)
        if next_turn is not None and next_line is None:
            next_line = _line_for(next_turn, made)
        reaction = ending.customer if ending else next_line
        decision = {"goto": goto, "why": why, "moves": [d.to_dict() for d in decisions.values()]}
        result = TurnResult(turn.id, line, text, scorecard, mood_before, mood, goto, reaction, ending, decision)
        self.state.mood = mood
        self.state.facts_mentioned = sorted(facts_mentioned)
        self.state.history.append(result.record)
        self.state.path.append(goto)
        self.state.turn_id = None if ending else goto
        self.state.line = None if ending or next_line == next_turn.customer else next_line
        self.state.ending_id = ending.id if ending else None
        self.results.append(result)
        return result

    @staticmethod
    def _choose(turn: Turn, seen: ReplyFacts) -> tuple[str, int, str]:
        """The first transition that holds (else the default), its mood change, and why in words."""
        missed = []
        for number, transition in enumerate(turn.transitions, 1):
            failed = failures(transition.when, seen)
            if not failed:
                made = [m for m in transition.when.required()]
                because = f"made {', '.join(made)}" if made else "its condition held"
                return transition.goto, transition.mood_change, f"transition {number} to '{transition.goto}': {because}"
            missed.append(f"not '{transition.goto}' ({'; '.join(failed)})")
        return turn.default, 0, f"default '{turn.default}'" + (": " + ", ".join(missed) if missed else "")

    def to_dict(self) -> dict:
        return asdict(self.state)

    @classmethod
    def from_dict(cls, scenario: Scenario, data: dict, scorer: Scorer | None = None,
                  mood_model: MoodModel | None = None) -> "RolePlay":
        """Resume a role-play saved with ``to_dict``; refuse a state that does not fit the scenario."""
        try:
            state = RolePlayState(
                scenario_id=data["scenario_id"], turn_id=data["turn_id"], mood=int(data["mood"]),
                path=list(data["path"]), ending_id=data.get("ending_id"),
                facts_mentioned=list(data.get("facts_mentioned", [])),
                history=[TurnRecord.from_dict(item) for item in data.get("history", [])],
                line=data.get("line"), asked_again=list(data.get("asked_again", [])),
                ending_note=str(data.get("ending_note", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise RolePlayError(f"saved role-play state is not valid: {error}") from None
        if state.scenario_id != scenario.id:
            raise RolePlayError(f"saved state is for scenario '{state.scenario_id}', not '{scenario.id}'")
        if state.turn_id is not None and scenario.turn(state.turn_id) is None:
            raise RolePlayError(f"saved state is at turn '{state.turn_id}', which scenario '{scenario.id}' no longer has")
        if state.ending_id is not None and scenario.ending(state.ending_id) is None:
            raise RolePlayError(f"saved state ended at '{state.ending_id}', which scenario '{scenario.id}' no longer has")
        return cls(scenario, scorer=scorer, mood_model=mood_model, state=state)

    def debrief(self) -> "Debrief":
        return debrief(self.scenario, self.state.history, self.state.ending_id, self.state.ending_note)


@dataclass(frozen=True)
class Debrief:
    """The end-of-role-play review: per-turn scores, the ending, best and weakest moment."""

    scenario_id: str
    ending_id: str | None
    outcome: str
    ending_debrief: str
    ending_reason: str
    turns: list[TurnRecord]
    average_scores: dict[str, int]
    overall: int
    best: TurnRecord | None
    weakest: TurnRecord | None
    weakest_dimension: str | None
    tip: str
    better_reply: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def debrief(scenario: Scenario, results: list, ending_id: str | None = None, note: str = "") -> Debrief:
    """Review a role-play from its ``TurnResult``s (or saved ``TurnRecord``s).

    The ending is taken from the last result when not given. The better reply for the
    weakest turn is that turn's ``model_reply`` from the scenario, when the author wrote one.
    """
    records = [item.record if isinstance(item, TurnResult) else item for item in results]
    if ending_id is None and records and scenario.ending(records[-1].goto):
        ending_id = records[-1].goto
    ending = scenario.ending(ending_id) if ending_id else None
    dimensions = sorted({dim for record in records for dim in record.scores})
    average = {
        dim: round(sum(r.scores[dim] for r in records if dim in r.scores) / sum(1 for r in records if dim in r.scores))
        for dim in dimensions
    }
    best = max(records, key=lambda r: r.overall, default=None)
    weakest = min(records, key=lambda r: r.overall, default=None)
    weakest_dimension = min(weakest.scores, key=weakest.scores.get) if weakest and weakest.scores else None
    turn = scenario.turn(weakest.turn_id) if weakest else None
    return Debrief(
        scenario_id=scenario.id,
        ending_id=ending_id,
        outcome=ending.outcome if ending else UNFINISHED,
        ending_debrief=ending.debrief if ending else "The role-play stopped before the customer's issue reached an end.",
        ending_reason=(ending.reason or note) if ending else "",
        turns=records,
        average_scores=average,
        overall=round(sum(r.overall for r in records) / len(records)) if records else 0,
        best=best if len(records) > 1 else None,
        weakest=weakest,
        weakest_dimension=weakest_dimension,
        tip=weakest.tips.get(weakest_dimension, "") if weakest_dimension else "",
        better_reply=turn.model_reply if turn else None,
    )


def _line_for(turn: Turn, made: frozenset[str]) -> str:
    """The turn's line that fits the reply before it: the first variant whose condition holds, else its own."""
    return next((variant.customer for variant in turn.variants if not move_failures(variant.when, made)),
                turn.customer)
