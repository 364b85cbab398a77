"""Administrators change, deactivate and reset accounts from /admin/users; never their own admin role or account."""
import re

from sqlmodel import select

from coach.models import Attempt, Role, User
from tests.conftest import PASSWORD


def _post(client, auth, path, data=None):
    return client.post(path, data={**(data or {}), "csrf_token": auth.csrf("/admin/users")})


def _user(session, username):
    session.expire_all()
    return session.exec(select(User).where(User.username == username)).one()


def test_each_user_on_the_list_links_to_their_account_page(client, auth, team_setup):
    auth.login("root")
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/users/ann"' in page and 'class="table-wrap"' in page
    assert "Deactivate" in client.get("/admin/users/ann").get_data(as_text=True)


def test_admin_changes_a_users_role_and_team(client, auth, session, team_setup):
    auth.login("root")
    red = team_setup["other_team"]
    response = _post(client, auth, "/admin/users/ann", {"role": "reviewer", "team_id": red.id})
    assert response.status_code == 302
    ann = _user(session, "ann")
    assert ann.role.value == "reviewer" and ann.team_id == red.id
    _post(client, auth, "/admin/users/ann", {"role": "reviewer", "team_id": 0})
    assert _user(session, "ann").team_id is None


def test_a_trainer_who_leads_a_team_keeps_a_role_that_may_lead_it(client, auth, session, team_setup):
    auth.login("root")
    response = _post(client, auth, "/admin/users/tess", {"role": "trainee", "team_id": 0})
    assert response.status_code == 422 and "name another trainer first" in response.get_data(as_text=True)
    assert _user(session, "tess").role.value == "trainer"


def test_an_admin_cannot_demote_or_deactivate_themself(client, auth, session, team_setup):
    auth.login("root")
    demoted = _post(client, auth, "/admin/users/root", {"role": "trainer", "team_id": 0})
    assert demoted.status_code == 422 and "your own administrator role" in demoted.get_data(as_text=True)
    stopped = _post(client, auth, "/admin/users/root/deactivate")
    assert stopped.status_code == 422 and "cannot deactivate your own account" in stopped.get_data(as_text=True)
    root = _user(session, "root")
    assert root.active and root.role.value == "admin"


def test_a_deactivated_user_cannot_sign_in_their_tokens_stop_and_their_history_stays(app, client, auth, session,
                                                                                   team_setup):
    from coach.auth import accounts

    token = accounts.create_api_token(session, team_setup["ann"], "reports")
    ann_client = app.test_client()
    type(auth)(ann_client).login("ann")
    assert ann_client.get("/dashboard").status_code == 200
    from coach.models import Scenario
    from coach.roleplay.scenario_store import sync_scenarios
    from scenarios import LIBRARY_DIR, load_library

    sync_scenarios(session, load_library(LIBRARY_DIR))
    scenario = session.exec(select(Scenario)).first()
    session.add(Attempt(user_id=team_setup["ann"].id, scenario_id=scenario.id, scores={}, state={}))
    session.commit()

    auth.login("root")
    assert _post(client, auth, "/admin/users/ann/deactivate").status_code == 302
    assert ann_client.get("/dashboard").status_code == 302  # the open session ended at once
    refused = app.test_client()
    type(auth)(refused).login("ann")
    assert refused.get("/dashboard").status_code == 302
    api = app.test_client().get("/api/v1/users/ann/progress", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401 and "unknown or revoked" in api.get_json()["error"]
    session.expire_all()
    assert session.exec(select(Attempt).where(Attempt.user_id == team_setup["ann"].id)).all()
    assert "no (deactivated)" in client.get("/admin/users").get_data(as_text=True)

    assert _post(client, auth, "/admin/users/ann/activate").status_code == 302
    again = app.test_client()
    type(auth)(again).login("ann")
    assert again.get("/dashboard").status_code == 200


def test_reset_password_shows_a_new_password_once_and_ends_the_users_sessions(app, client, auth, session, team_setup):
    ann_client = app.test_client()
    type(auth)(ann_client).login("ann")
    auth.login("root")
    page = _post(client, auth, "/admin/users/ann/password").get_data(as_text=True)
    new_password = re.search(r'<pre class="token"><code>([^<]+)</code>', page).group(1)
    assert ann_client.get("/dashboard").status_code == 302
    assert new_password not in client.get("/admin/users/ann").get_data(as_text=True)
    fresh = app.test_client()
    type(auth)(fresh).login("ann", new_password)
    assert fresh.get("/dashboard").status_code == 200
    old = app.test_client()
    type(auth)(old).login("ann", PASSWORD)
    assert old.get("/dashboard").status_code == 302


def test_account_changes_need_the_csrf_token(client, auth, session, team_setup):
    auth.login("root")
    assert client.post("/admin/users/ann/deactivate").status_code == 400
    assert client.post("/admin/users/ann/password").status_code == 400
    assert _user(session, "ann").active


def test_trainers_and_reviewers_cannot_change_accounts(app, auth, session, team_setup):
    for name in ("tess", "rita"):
        staff = type(auth)(app.test_client())
        staff.login(name)
        token = staff.csrf("/dashboard")
        for path in ("/admin/users/ann", "/admin/users/ann/deactivate", "/admin/users/ann/password"):
            assert staff.client.post(path, data={"csrf_token": token, "role": "admin", "team_id": 0}).status_code == 403
    ann = _user(session, "ann")
    assert ann.active and ann.role == Role("trainee")
