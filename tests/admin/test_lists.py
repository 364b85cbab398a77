"""The admin lists: one page at a time, with page links, and a number of queries that does not grow with the rows."""
import pytest

from coach.auth import accounts
from coach.models import Role
from coach.web import pagination
from tests.queries import counted


def add_teams(session, make_user, first: int, count: int) -> None:
    for n in range(first, first + count):
        trainer = make_user(f"trainer{n:03d}", Role.trainer)
        team = accounts.create_team(session, f"Team {n:03d}", trainer)
        for m in range(3):
            make_user(f"agent{n:03d}x{m}", Role.trainee, team)


def queries_for(app, client, path: str) -> int:
    with counted(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_teams_page_costs_the_same_queries_for_3_teams_as_for_30(app, client, session, make_user, auth):
    make_user("root", Role.admin)
    auth.login("root")
    add_teams(session, make_user, 0, 3)
    few = queries_for(app, client, "/admin/teams")
    add_teams(session, make_user, 3, 27)
    many = queries_for(app, client, "/admin/teams")
    assert many == few, (few, many)


def test_the_teams_page_shows_each_teams_trainer_and_size(client, session, make_user, auth):
    make_user("root", Role.admin)
    auth.login("root")
    add_teams(session, make_user, 0, 2)
    accounts.create_team(session, "Empty", None)
    html = client.get("/admin/teams").get_data(as_text=True)
    assert "<td>Team 000</td><td>Trainer000</td><td>3</td>" in html
    assert "<td>Empty</td><td>—</td><td>0</td>" in html


@pytest.mark.parametrize("path", ["/admin/users", "/admin/teams", "/admin/tokens"])
def test_an_admin_list_shows_one_page_and_links_the_next(app, client, session, make_user, auth, monkeypatch, path):
    monkeypatch.setattr(pagination, "PER_PAGE", 5)
    admin = make_user("root", Role.admin)
    auth.login("root")
    add_teams(session, make_user, 0, 11)
    for n in range(12):
        accounts.create_api_token(session, admin, f"label-{n}")
    first = client.get(path).get_data(as_text=True)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(f"{path}?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and "Page 2" in second
    assert first.count("<tr") == second.count("<tr") == 6  # a header row and five rows


def test_the_users_list_pages_through_everyone_once(client, session, make_user, auth, monkeypatch):
    monkeypatch.setattr(pagination, "PER_PAGE", 4)
    make_user("root", Role.admin)
    auth.login("root")
    names = [f"agent{n:02d}" for n in range(10)]
    for name in names:
        make_user(name)
    seen, page = [], 1
    while True:
        html = client.get(f"/admin/users?page={page}").get_data(as_text=True)
        seen += [name for name in names + ["root"] if f"<td>{name}</td>" in html]
        if 'rel="next"' not in html:
            break
        page += 1
    assert sorted(seen) == sorted(names + ["root"]) and page == 3
