"""Observations and assignment status loaded from the database."""
from coach.progress.history import assignment_views, levels_for, reviewed_calls

GOOD = {"active_listening": 80, "empathy": 75, "clarity": 80, "jargon": 90, "ownership": 85}
WEAK_JARGON = {**GOOD, "jargon": 30}


def test_levels_combine_attempts_and_final_reviews(session, team_setup, add_attempt, add_review):
    ann = team_setup["ann"]
    add_attempt(ann, "late-delivery", GOOD, days_ago=3)
    add_review(ann, team_setup["rita"], {"empathy": 40}, days_ago=1)
    empathy = levels_for(session, [ann])[ann.id]["empathy"]
    assert [o.source for o in empathy.observations] == ["roleplay", "review"]
    assert 40 < empathy.level < 75


def test_draft_reviews_and_unfinished_attempts_do_not_count(session, team_setup, add_review, scenarios):
    from coach.models import Attempt
    ann = team_setup["ann"]
    add_review(ann, team_setup["rita"], GOOD, final=False)
    session.add(Attempt(user_id=ann.id, scenario_id=scenarios["late-delivery"].id, scores=GOOD))
    session.commit()
    assert levels_for(session, [ann])[ann.id]["empathy"].level is None


def test_reviewers_of_one_call_are_averaged_into_one_observation(session, team_setup, add_review, make_user):
    ann = team_setup["ann"]
    first = add_review(ann, team_setup["rita"], {"empathy": 40})
    from coach.models import Call, Role
    add_review(ann, make_user("rex", Role.reviewer), {"empathy": 80}, call=session.get(Call, first.call_id))
    calls = reviewed_calls(session, [ann.id])[ann.id]
    assert len(calls) == 1 and calls[0].scores["empathy"] == 60


def test_a_step_passes_when_the_scenario_skills_reach_the_pass_mark(session, team_setup, curriculum, assign, add_attempt):
    ann = team_setup["ann"]
    assignment = assign(curriculum, ann)
    add_attempt(ann, "late-delivery", {**GOOD, "clarity": 10}, assignment=assignment)  # clarity is not a late-delivery skill
    add_attempt(ann, "jargon-trap", WEAK_JARGON, assignment=assignment)
    status = assignment_views(session, [assignment])[0].status
    assert [s.state for s in status.steps] == ["passed", "in_progress"]
    assert not status.complete and assignment.completed_at is None


def test_free_practice_does_not_count_towards_a_step(session, team_setup, curriculum, assign, add_attempt):
    ann = team_setup["ann"]
    assignment = assign(curriculum, ann)
    add_attempt(ann, "late-delivery", GOOD)
    assert assignment_views(session, [assignment])[0].status.steps[0].state == "not_started"


def test_running_out_of_attempts_and_missing_a_due_date_put_a_trainee_behind(session, team_setup, curriculum, assign, add_attempt):
    ben = team_setup["ben"]
    assignment = assign(curriculum, ben, days_ago=10)
    add_attempt(ben, "jargon-trap", WEAK_JARGON, days_ago=5, assignment=assignment)
    add_attempt(ben, "jargon-trap", WEAK_JARGON, days_ago=4, assignment=assignment)
    add_attempt(ben, "jargon-trap", GOOD, days_ago=3, assignment=assignment)  # a third try is past the two allowed
    status = assignment_views(session, [assignment])[0].status
    late, jargon = status.steps
    assert late.state == "not_started" and late.overdue
    assert jargon.state == "out_of_attempts" and jargon.used == 2 and not jargon.overdue
    assert status.behind


def test_passing_every_step_completes_the_assignment(session, team_setup, curriculum, assign, add_attempt):
    ann = team_setup["ann"]
    assignment = assign(curriculum, ann, days_ago=3)
    add_attempt(ann, "late-delivery", GOOD, days_ago=2, assignment=assignment)
    last = add_attempt(ann, "jargon-trap", GOOD, days_ago=1, assignment=assignment)
    status = assignment_views(session, [assignment])[0].status
    assert status.complete
    session.refresh(assignment)
    assert abs((assignment.completed_at.replace(tzinfo=None) - last.finished_at.replace(tzinfo=None)).total_seconds()) < 1


def test_a_reviewed_calls_step_needs_that_many_passing_reviews_since_assigning(session, team_setup, assign, add_review):
    from coach.models import Curriculum, CurriculumStep
    course = Curriculum(name="Calls", owner_id=team_setup["trainer"].id, pass_marks={"empathy": 60})
    session.add(course)
    session.flush()
    session.add(CurriculumStep(curriculum_id=course.id, position=1, kind="reviewed_calls", calls_required=2))
    session.commit()
    ann = team_setup["ann"]
    assignment = assign(course, ann, days_ago=5)
    add_review(ann, team_setup["rita"], GOOD, days_ago=9)  # before the assignment
    add_review(ann, team_setup["rita"], GOOD, days_ago=2)
    add_review(ann, team_setup["rita"], {**GOOD, "empathy": 20}, days_ago=1)  # below the pass mark
    step = assignment_views(session, [assignment])[0].status.steps[0]
    assert step.state == "in_progress" and step.used == 1
    add_review(ann, team_setup["rita"], GOOD, days_ago=0)
    assert assignment_views(session, [assignment])[0].status.complete
