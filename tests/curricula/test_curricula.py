"""Trainers build, edit, copy, archive and assign curricula."""
from sqlmodel import select

from coach.models import Assignment, Curriculum, CurriculumStep

SKILLS = ("active_listening", "empathy", "clarity", "jargon", "ownership")


def form(csrf, name="Week one", steps=(), attempts="3", **extra):
    data = {"csrf_token": csrf, "name": name, "description": "", "attempts_allowed": attempts,
            **{f"pass_{skill}": "65" for skill in SKILLS}}
    for i, (what, order, calls, due) in enumerate(steps):
        data.update({f"steps-{i}-what": what, f"steps-{i}-order": order, f"steps-{i}-calls_required": calls,
                     f"steps-{i}-due_days": due})
    data.update(extra)
    return data


def create(client, auth, **kwargs):
    return client.post("/curricula/new", data=form(auth.csrf("/curricula/new"), **kwargs))


def test_a_trainer_builds_a_curriculum_with_ordered_steps(client, auth, session, team_setup, scenarios):
    auth.login("tess")
    response = create(client, auth, steps=[("jargon-trap", "2", "", "14"), ("", "", "", ""),
                                           ("late-delivery", "1", "", "7"), ("reviewed_calls", "3", "2", "30")])
    assert response.status_code == 302
    course = session.exec(select(Curriculum)).one()
    steps = session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == course.id).order_by(CurriculumStep.position)).all()
    assert [(s.kind, s.scenario_slug, s.calls_required, s.due_days) for s in steps] == [
        ("scenario", "late-delivery", 0, 7), ("scenario", "jargon-trap", 0, 14), ("reviewed_calls", "", 2, 30)]
    assert course.pass_marks == {skill: 65 for skill in SKILLS} and course.attempts_allowed == 3
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.index("The birthday present") < page.index("The new router") < page.index("2 reviewed real calls")


def test_a_curriculum_needs_a_step_and_known_scenarios(client, auth, team_setup, scenarios):
    auth.login("tess")
    empty = create(client, auth, steps=[("", "", "", "")])
    assert empty.status_code == 422 and "add at least one step" in empty.get_data(as_text=True)
    unknown = create(client, auth, steps=[("no-such-scenario", "1", "", "")])
    assert unknown.status_code == 422 and "no open scenario" in unknown.get_data(as_text=True)
    calls = create(client, auth, steps=[("reviewed_calls", "1", "", "")])
    assert "how many reviewed real calls" in calls.get_data(as_text=True)


def test_a_pass_mark_must_be_between_0_and_100(client, auth, team_setup, scenarios):
    auth.login("tess")
    response = create(client, auth, steps=[("late-delivery", "1", "", "")], pass_empathy="140")
    assert response.status_code == 422


def test_another_trainer_may_copy_but_not_edit_or_archive(client, auth, session, team_setup, scenarios):
    auth.login("tess")
    create(client, auth, steps=[("late-delivery", "1", "", "")])
    course = session.exec(select(Curriculum)).one()
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login("otto")
    assert client.get(f"/curricula/{course.id}/edit").status_code == 403
    assert client.post(f"/curricula/{course.id}/archive", data={"csrf_token": auth.csrf()}).status_code == 403
    copied = client.post(f"/curricula/{course.id}/copy", data={"csrf_token": auth.csrf()})
    assert copied.status_code == 302
    copy = session.exec(select(Curriculum).where(Curriculum.name == "Copy of Week one")).one()
    assert copy.owner_id == team_setup["other_trainer"].id
    assert session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == copy.id)).one().scenario_slug == "late-delivery"


def test_editing_keeps_the_form_values_and_replaces_the_steps(client, auth, session, team_setup, scenarios):
    auth.login("tess")
    create(client, auth, steps=[("late-delivery", "1", "", "7")])
    course = session.exec(select(Curriculum)).one()
    page = client.get(f"/curricula/{course.id}/edit").get_data(as_text=True)
    assert 'value="Week one"' in page and '<option selected value="late-delivery">' in page
    client.post(f"/curricula/{course.id}/edit", data=form(auth.csrf(f"/curricula/{course.id}/edit"), name="Week one v2",
                                                          steps=[("angry-refund", "1", "", "")]))
    session.refresh(course)
    assert course.name == "Week one v2"
    assert [s.scenario_slug for s in session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == course.id))] == ["angry-refund"]


def test_archived_curricula_cannot_be_assigned(client, auth, session, team_setup, scenarios):
    auth.login("tess")
    create(client, auth, steps=[("late-delivery", "1", "", "")])
    course = session.exec(select(Curriculum)).one()
    client.post(f"/curricula/{course.id}/archive", data={"csrf_token": auth.csrf()})
    session.refresh(course)
    assert course.archived
    response = client.post(f"/curricula/{course.id}/assign", data={"csrf_token": auth.csrf(), "teams": team_setup["team"].id})
    assert "archived curriculum cannot be assigned" in response.get_data(as_text=True)
    assert session.exec(select(Assignment)).all() == []


def test_assigning_to_a_team_reaches_its_trainees_once(client, auth, session, team_setup, scenarios):
    auth.login("tess")
    create(client, auth, steps=[("late-delivery", "1", "", "")])
    course = session.exec(select(Curriculum)).one()
    path = f"/curricula/{course.id}/assign"
    client.post(path, data={"csrf_token": auth.csrf(path), "teams": team_setup["team"].id, "trainees": team_setup["ann"].id})
    again = client.post(path, data={"csrf_token": auth.csrf(path), "teams": team_setup["team"].id}, follow_redirects=True)
    assert "Already working on it: ann, ben" in again.get_data(as_text=True)
    assigned = session.exec(select(Assignment)).all()
    assert sorted(a.user_id for a in assigned) == sorted([team_setup["ann"].id, team_setup["ben"].id])
    assert {a.team_id for a in assigned} == {team_setup["team"].id}


def test_a_trainer_cannot_assign_to_another_teams_trainee(client, auth, session, team_setup, scenarios):
    auth.login("tess")
    create(client, auth, steps=[("late-delivery", "1", "", "")])
    course = session.exec(select(Curriculum)).one()
    path = f"/curricula/{course.id}/assign"
    page = client.get(path).get_data(as_text=True)
    assert "Red (" not in page and "Cy (" not in page and "Ann (Blue)" in page
    client.post(path, data={"csrf_token": auth.csrf(path), "trainees": team_setup["cy"].id, "teams": team_setup["other_team"].id})
    assert session.exec(select(Assignment)).all() == []


def test_a_step_may_set_its_own_pass_mark(client, auth, session, team_setup, scenarios):
    auth.login("tess")
    data = form(auth.csrf("/curricula/new"), steps=[("late-delivery", "1", "", ""), ("jargon-trap", "2", "", "")])
    data["steps-1-pass_mark"] = "80"
    response = client.post("/curricula/new", data=data)
    assert response.status_code == 302
    steps = session.exec(select(CurriculumStep).order_by(CurriculumStep.position)).all()
    assert [s.pass_mark for s in steps] == [None, 80]
    assert "pass mark 80 on each skill" in client.get(response.headers["Location"]).get_data(as_text=True)
    edit_page = client.get(f"{response.headers['Location']}/edit").get_data(as_text=True)
    assert 'name="steps-1-pass_mark"' in edit_page and 'value="80"' in edit_page


def test_a_steps_own_pass_mark_decides_whether_it_is_passed():
    from datetime import datetime, timedelta, timezone

    from coach.curricula.status import ScoredWork, StepSpec, evaluate

    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    attempts = [ScoredWork(start + timedelta(days=1), {skill: 70 for skill in SKILLS}, 1, "late-delivery"),
                ScoredWork(start + timedelta(days=1), {skill: 70 for skill in SKILLS}, 2, "jargon-trap")]
    steps = [StepSpec(1, "scenario", "Late", "late-delivery", ("empathy",)),
             StepSpec(2, "scenario", "Jargon", "jargon-trap", ("clarity",), pass_mark=80)]
    status = evaluate(steps, {skill: 65 for skill in SKILLS}, None, start, attempts, [], start + timedelta(days=2))
    assert [s.state for s in status.steps] == ["passed", "in_progress"]
    steps[1] = StepSpec(2, "scenario", "Jargon", "jargon-trap", ("clarity",), pass_mark=60)
    status = evaluate(steps, {skill: 75 for skill in SKILLS}, None, start, attempts, [], start + timedelta(days=2))
    assert [s.state for s in status.steps] == ["in_progress", "passed"]
