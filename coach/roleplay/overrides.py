"""A trainer's override of a role-play reply's scores: kept beside the scorer's scorecard, shown to the trainee,
counted in the attempt's scores (so in progress) and used as training data for ``coach models train --from-reviews``.

Below the blueprints (no Flask). The scorer's scorecard is never changed; the turn's ``overall`` and the attempt's
scores and debrief are recomputed from the scorecard with the overrides applied.
"""
from __future__ import annotations

import copy

from sqlmodel import Session, select

from coach.config import Settings
from coach.models import Attempt, AttemptStatus, AttemptTurn, User, utcnow
from coach.models import Scenario as ScenarioRow
from coach.roleplay import practice
from coach.roleplay.scenario_store import scenario_from_row
from coach.rubrics import store as rubric_store
from scenarios.play import RolePlay, RolePlayError
from scoring import DIMENSIONS
from scoring.overrides import checked_override

Row = tuple[str, str, dict[str, float]]


class OverrideError(ValueError):
    """The override cannot be made; the message tells the trainer what to fix."""


def effective_scores(turn: AttemptTurn) -> dict[str, int]:
    """The scorer's score per dimension with the trainer's overrides applied."""
    scores = dict(turn.scorecard.get("scores", {}))
    for dimension, entry in (turn.overrides or {}).items():
        if dimension in scores:
            scores[dimension] = int(entry["score"])
    return scores


def override_score(session: Session, attempt: Attempt, turn: AttemptTurn, dimension: str, score: str | int | None,
                   reason: str | None, trainer: User, settings: Settings) -> AttemptTurn:
    """Replace the scorer's score for one dimension of one reply; the reason is shown to the trainee."""
    _check(attempt, turn, dimension)
    override = checked_override(
        score, reason, error=OverrideError,
        missing_reason="Say why you change the score: the trainee reads your reason on their debrief.")
    overrides = dict(turn.overrides or {})
    overrides[dimension] = {"score": override.score, "reason": override.reason, "by": trainer.id,
                            "by_name": trainer.name, "at": utcnow().isoformat(timespec="seconds")}
    return _save(session, attempt, turn, overrides, settings)


def clear_override(session: Session, attempt: Attempt, turn: AttemptTurn, dimension: str,
                   settings: Settings) -> AttemptTurn:
    """Go back to the scorer's score for one dimension of one reply."""
    _check(attempt, turn, dimension)
    overrides = {d: entry for d, entry in (turn.overrides or {}).items() if d != dimension}
    return _save(session, attempt, turn, overrides, settings)


def _check(attempt: Attempt, turn: AttemptTurn, dimension: str) -> None:
    if attempt.status != AttemptStatus.finished:
        raise OverrideError("Scores can be changed once the role-play has reached an ending.")
    if turn.attempt_id != attempt.id:
        raise OverrideError("That reply belongs to another attempt.")
    if dimension not in DIMENSIONS or dimension not in turn.scorecard.get("scores", {}):
        raise OverrideError(f"This reply has no score for {dimension.replace('_', ' ')!r}.")


def _save(session: Session, attempt: Attempt, turn: AttemptTurn, overrides: dict, settings: Settings) -> AttemptTurn:
    turn.overrides = overrides
    turn.overall = turn_overall(session, turn, settings)
    session.add(turn)
    rescore_attempt(session, attempt, overridden=turn)
    session.commit()
    return turn


def turn_overall(session: Session, turn: AttemptTurn, settings: Settings) -> int | None:
    """The reply's overall score, weighted by the rubric that scored it, with the overrides applied.

    That rubric is found by the scorecard's "name@version" (a built-in or uploaded one); the trainee's present
    rubric stands in for a label no longer found.
    """
    card = turn.scorecard
    if not turn.overrides or "scores" not in card:
        return card.get("overall", turn.overall)
    if card.get("auto_fail"):
        return 0  # an auto-fail (e.g. an insult) zeroes the reply whatever the dimension scores are
    rubric = rubric_store.rubric_of_scorecard(session, settings, card.get("rubric", ""), _trainee_id(session, turn))
    scores = effective_scores(turn)
    weights = {d: w for d, w in rubric.weights.items() if d in scores and d not in card.get("not_applicable", [])}
    weights = weights or {d: w for d, w in rubric.weights.items() if d in scores}
    total = sum(weights.values()) or 1.0
    return int(round(sum(scores[d] * w for d, w in weights.items()) / total))


def rescore_attempt(session: Session, attempt: Attempt, overridden: AttemptTurn | None = None) -> None:
    """Recompute the attempt's scores, overall and debrief from its turns' effective scores (not committed).

    The role-play is not replayed: the customer reacted to the scorer's scores, and the path taken stays.
    """
    turns = {turn.index: turn for turn in practice.attempt_turns(session, attempt)}
    if overridden is not None:
        turns[overridden.index] = overridden
    state = copy.deepcopy(attempt.state)
    for index, record in enumerate(state.get("history", [])):
        turn = turns.get(index)
        if turn is not None:
            record["scores"] = effective_scores(turn)
            record["overall"] = turn.overall if turn.overall is not None else record["overall"]
    row = session.get(ScenarioRow, attempt.scenario_id)
    try:
        role_play = RolePlay.from_dict(scenario_from_row(row), state)
    except RolePlayError as error:
        raise OverrideError(f"This attempt's scenario has changed since it was played ({error}); "
                            "its scores can no longer be recomputed.") from None
    practice.summarise_attempt(attempt, role_play)
    session.add(attempt)


def _trainee_id(session: Session, turn: AttemptTurn) -> int | None:
    attempt = session.get(Attempt, turn.attempt_id)
    return attempt.user_id if attempt is not None else None


# --- training data ------------------------------------------------------------------------------

def overridden_turn_rows(session: Session) -> list[Row]:
    """(context, reply, {dimension: score}) for every reply a trainer overrode, the overrides applied.

    The context is what the scorer saw: the customer's lines up to and including the one the reply answers.
    """
    rows = []
    query = (select(AttemptTurn).join(Attempt, Attempt.id == AttemptTurn.attempt_id)
             .where(Attempt.status == AttemptStatus.finished).order_by(AttemptTurn.attempt_id, AttemptTurn.index))
    lines: dict[int, dict[int, str]] = {}
    turns = list(session.exec(query))
    for turn in turns:
        lines.setdefault(turn.attempt_id, {})[turn.index] = turn.customer_line
    for turn in turns:
        if not turn.overrides or not turn.reply_text.strip():
            continue
        before = lines[turn.attempt_id]
        context = "\n".join(before[i] for i in sorted(before) if i <= turn.index)
        rows.append((context, turn.reply_text, {d: float(s) for d, s in effective_scores(turn).items()}))
    return rows
