"""The curricula lists page through their rows, and the teams overview costs the same queries however many teams."""
from coach.auth import accounts
from coach.models import Assignment, Curriculum, CurriculumStep, Role
from coach.web import pagination
from tests.queries import counted


def add_curricula(session, owner, count: int, first: int = 0) -> list[Curriculum]:
    made = []
    for n in range(first, first + count):
        course = Curriculum(name=f"Course {n:02d}", owner_id=owner.id, pass_marks={"empathy": 60})
        session.add(course)
        session.flush()
        for position in (1, 2, 3)[: 1 + n % 3]:
            session.add(CurriculumStep(curriculum_id=course.id, position=position, scenario_slug="late-delivery"))
        made.append(course)
    session.commit()
    return made


def test_the_curricula_list_pages_through_with_each_ones_step_count(client, auth, session, team_setup, monkeypatch):
    monkeypatch.setattr(pagination, "PER_PAGE", 4)
    add_curricula(session, team_setup["trainer"], 6)
    auth.login("tess")
    first = client.get("/curricula/").get_data(as_text=True)
    second = client.get("/curricula/?page=2").get_data(as_text=True)
    assert [f"Course {n:02d}" in first for n in range(6)] == [True] * 4 + [False] * 2
    assert [f"Course {n:02d}" in second for n in range(6)] == [False] * 4 + [True] * 2
    assert 'rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second
    assert "<td>2</td>" in first and "<td>3</td>" in first  # Course 01 has two steps, Course 02 three


def test_a_curriculums_assignments_page_through_and_keep_to_the_trainers_teams(client, auth, session, team_setup,
                                                                              make_user, monkeypatch):
    monkeypatch.setattr(pagination, "PER_PAGE", 3)
    (course,) = add_curricula(session, team_setup["trainer"], 1)
    blue = [team_setup["ann"], team_setup["ben"]]
    blue += [make_user(f"agent{n}", Role.trainee, team_setup["team"]) for n in range(3)]
    for person in blue + [team_setup["cy"]]:
        session.add(Assignment(curriculum_id=course.id, user_id=person.id, team_id=person.team_id,
                               assigned_by=team_setup["trainer"].id))
    session.commit()
    auth.login("tess")
    pages = [client.get(f"/curricula/{course.id}?page={n}").get_data(as_text=True) for n in (1, 2)]
    shown = [name for page in pages for name in ["Ann", "Ben", "Agent0", "Agent1", "Agent2", "Cy"]
             if f"<td>{name}</td>" in page]
    assert sorted(shown) == ["Agent0", "Agent1", "Agent2", "Ann", "Ben"]  # Cy is in Otto's team
    assert 'rel="next"' in pages[0] and 'rel="next"' not in pages[1]


def test_the_team_progress_overview_costs_the_same_queries_for_4_teams_as_for_14(app, client, auth, session,
                                                                                 team_setup, make_user):
    (course,) = add_curricula(session, team_setup["trainer"], 1)

    def add_teams(first: int, count: int) -> None:
        for n in range(first, first + count):
            team = accounts.create_team(session, f"Team {n:02d}", make_user(f"lead{n:02d}", Role.trainer))
            person = make_user(f"member{n:02d}", Role.trainee, team)
            session.add(Assignment(curriculum_id=course.id, user_id=person.id, team_id=team.id,
                                   assigned_by=team_setup["trainer"].id))
        session.commit()

    auth.login("root")
    add_teams(0, 2)
    with counted(app) as few:
        assert client.get("/curricula/teams").status_code == 200
    add_teams(2, 10)
    with counted(app) as many:
        html = client.get("/curricula/teams").get_data(as_text=True)
    assert len(many) == len(few), (len(few), len(many))
    assert "Team 07" in html and "Team 08" not in html and 'rel="next"' in html  # ten teams a page
    assert "0 of 1 assignments complete" in html
