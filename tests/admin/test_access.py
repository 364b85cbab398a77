"""Every route declares who may use it; trainees are refused staff pages."""
import pytest

from coach.models import Role

ADMIN_PAGES = ["/admin/users", "/admin/teams", "/admin/tokens"]


def test_every_route_declares_its_roles(app):
    public = {"static", "auth.login", "main.index", "main.health", "curricula.verify_certificate"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public:
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "allowed_roles", None), f"{rule.rule} ({rule.endpoint}) declares no roles"


def test_staff_routes_are_refused_to_trainees(app, client, auth, make_user):
    make_user("ann", Role.trainee)
    auth.login("ann")
    staff = [rule for rule in app.url_map.iter_rules()
             if Role.trainee not in getattr(app.view_functions[rule.endpoint], "allowed_roles", set(Role))
             and "GET" in rule.methods and not rule.arguments]
    assert staff, "expected some staff-only pages"
    for rule in staff:
        assert client.get(rule.rule).status_code == 403, rule.rule


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_are_refused_to_trainers_and_reviewers(client, auth, make_user, path):
    make_user("tess", Role.trainer)
    auth.login("tess")
    assert client.get(path).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_adds_a_team_and_a_user(client, auth, make_user):
    make_user("root", Role.admin)
    make_user("tess", Role.trainer)
    auth.login("root")
    client.post("/admin/teams", data={"name": "Blue", "trainer_id": 2, "csrf_token": auth.csrf("/admin/teams")})
    page = client.post("/admin/users", data={"username": "newbie", "display_name": "New Bie", "role": "trainee",
                                             "team_id": 1, "password": "long-enough-1", "csrf_token": auth.csrf("/admin/users")},
                       follow_redirects=True).get_data(as_text=True)
    assert "newbie" in page and "Blue" in page


def test_admin_creates_an_api_token_shown_once(client, auth, make_user):
    make_user("root", Role.admin)
    auth.login("root")
    page = client.post("/admin/tokens", data={"user_id": 1, "label": "reports", "csrf_token": auth.csrf("/admin/tokens")}).get_data(as_text=True)
    assert "coach_" in page
    assert "coach_" not in client.get("/admin/tokens").get_data(as_text=True)
