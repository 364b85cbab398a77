"""Administrators revoke API tokens from /admin/tokens; a revoked token is refused at once, its row stays."""
from sqlmodel import select

from coach.auth import accounts
from coach.models import ApiToken


def test_admin_revokes_a_token_and_it_stops_working_at_once(app, client, auth, session, team_setup):
    token = accounts.create_api_token(session, team_setup["rita"], "reports")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/users/ann/progress", headers=headers).status_code == 200
    row = session.exec(select(ApiToken)).one()

    auth.login("root")
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert f'name="token_id" value="{row.id}"' in page
    response = client.post("/admin/tokens/revoke", data={"token_id": row.id, "csrf_token": auth.csrf("/admin/tokens")},
                           follow_redirects=True)
    assert "is revoked" in response.get_data(as_text=True)
    refused = api.get("/api/v1/users/ann/progress", headers=headers)
    assert refused.status_code == 401 and refused.get_json()["error"] == "the API token is unknown or revoked"
    session.expire_all()
    assert session.get(ApiToken, row.id).revoked


def test_revoking_needs_an_admin_and_the_csrf_token(app, client, auth, session, team_setup):
    accounts.create_api_token(session, team_setup["rita"], "reports")
    row = session.exec(select(ApiToken)).one()
    auth.login("root")
    assert client.post("/admin/tokens/revoke", data={"token_id": row.id}).status_code == 400
    assert client.post("/admin/tokens/revoke", data={"token_id": 999, "csrf_token": auth.csrf("/admin/tokens")}).status_code == 404
    trainer = type(auth)(app.test_client())
    trainer.login("tess")
    assert trainer.client.post("/admin/tokens/revoke", data={"token_id": row.id, "csrf_token": trainer.csrf()}).status_code == 403
    session.expire_all()
    assert not session.get(ApiToken, row.id).revoked
