"""The demo history: played through the real player, spread over weeks, with a story, and loaded once."""
from sqlmodel import select

from coach.demo.seed import load_demo
from coach.models import Assignment, Attempt, AttemptTurn, Curriculum, User
from coach.progress.history import assignment_views, levels_for


def test_demo_history_tells_a_story_of_real_scored_attempts(app, session, scenarios):
    settings = app.config["COACH"]
    load_demo(session, settings)
    people = {u.username: u for u in session.exec(select(User))}
    attempts = session.exec(select(Attempt)).all()
    assert {a.user_id for a in attempts} == {people[n].id for n in ("alex", "sam", "jordan")}
    span = max(a.started_at for a in attempts) - min(a.started_at for a in attempts)
    assert span.days >= 35
    for attempt in attempts[:5]:  # every score comes from the scored turns of a played role-play
        turns = session.exec(select(AttemptTurn).where(AttemptTurn.attempt_id == attempt.id)).all()
        assert turns and attempt.debrief["average_scores"] == attempt.scores
        assert all(t.scorecard["scores"] for t in turns) and all(t.created_at >= attempt.started_at for t in turns)

    views = {v.user.username: v for v in assignment_views(session, session.exec(select(Assignment)).all())
             if v.curriculum.name.startswith("Difficult")}
    assert views["alex"].status.complete
    assert views["sam"].status.behind and not views["sam"].status.complete
    levels = levels_for(session, [people["alex"], people["sam"]])
    sam = levels[people["sam"].id]
    assert min(sam, key=lambda skill: sam[skill].level) == "jargon"
    alex_empathy = [o.score for o in levels[people["alex"].id]["empathy"].observations]
    assert sum(alex_empathy[-4:]) / 4 > sum(alex_empathy[:4]) / 4 + 10  # alex improves

    assert load_demo(session, settings).endswith("present already")
    assert len(session.exec(select(Curriculum)).all()) == 2
