"""The Rubrics pages: list, view, download, upload (file or pasted) and choosing a team's rubric."""
import html
import io

import pytest
from sqlmodel import select

from coach.models import Team, UploadedRubric
from tests.rubrics.conftest import OWNERSHIP_ONLY, rubric_yaml


def upload(client, auth, text=None, file_text=None, filename="rubric.yaml"):
    data = {"csrf_token": auth.csrf("/rubrics/upload"), "rubric_text": text or ""}
    if file_text is not None:
        data["rubric_file"] = (io.BytesIO(file_text.encode()), filename)
    return client.post("/rubrics/upload", data=data, content_type="multipart/form-data")


def assign(client, auth, team, label, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/rubrics/teams/{team.id}", data={"rubric": label, "csrf_token": auth.csrf("/rubrics")},
                       headers=headers)


def stored(session) -> list[str]:
    session.expire_all()
    return [row.label for row in session.exec(select(UploadedRubric))]


def test_a_pasted_rubric_is_stored_listed_and_shown_in_full(client, auth, team_setup, session):
    auth.login("rita")
    response = upload(client, auth, text=OWNERSHIP_ONLY)
    assert response.status_code == 302 and response.headers["Location"].endswith("/rubrics/ownership-only@1")
    page = client.get("/rubrics/ownership-only@1").get_data(as_text=True)
    assert "Owns the problem from start to finish" in page  # an anchor
    assert "Agent brushed the customer off" in page and "\\bwhatever\\b" in page  # auto-fail item and its pattern
    assert "left out when there are no customer words before the reply" in page  # N/A rule
    assert "100 %" in page and "70–100" in page  # ownership's share; band 5 from the thresholds
    assert "Uploaded" in page and "Rita" in page
    listing = client.get("/rubrics").get_data(as_text=True)
    assert "ownership-only@1" in listing and "default@1.0" in listing and "site rubric" in listing
    download = client.get("/rubrics/ownership-only@1/download")
    assert download.get_data(as_text=True) == OWNERSHIP_ONLY
    assert "attachment; filename=ownership-only-1.yaml" == download.headers["Content-Disposition"]
    assert stored(session) == ["ownership-only@1"]


def test_a_trainer_uploads_a_rubric_file(client, auth, team_setup, session):
    auth.login("tess")
    response = upload(client, auth, file_text=rubric_yaml(name="north", version="2"), filename="north.yaml")
    assert response.status_code == 302
    row = session.exec(select(UploadedRubric)).one()
    assert row.label == "north@2" and row.uploaded_by == team_setup["trainer"].id


def test_the_built_in_rubric_can_be_viewed_and_downloaded(client, auth, team_setup):
    auth.login("tess")
    page = client.get("/rubrics/default@1.0").get_data(as_text=True)
    assert "Balanced rubric" in page and "Agent used profanity" in page and "Restates the problem" in page
    assert "name: default" in client.get("/rubrics/default@1.0/download").get_data(as_text=True)
    assert client.get("/rubrics/nothing@9").status_code == 404


def test_broken_yaml_is_refused_with_its_line_and_the_text_is_kept(client, auth, team_setup, session):
    auth.login("rita")
    broken = "name: x\nversion: 1\nweights: {empathy: 1,\n"
    response = upload(client, auth, text=broken)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "not valid YAML at line 4" in page
    assert html.escape(broken, quote=False) in page  # what they typed is still in the box
    assert stored(session) == []


def test_a_refused_file_comes_back_in_the_text_box_with_the_reason(client, auth, team_setup, session):
    auth.login("rita")
    bad = rubric_yaml(weights="{kindness: 1}")
    response = upload(client, auth, file_text=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "weights must map dimensions" in page
    assert "weights: {kindness: 1}" in html.unescape(page)
    assert stored(session) == []


def test_the_same_name_and_version_twice_is_refused_with_a_hint_to_bump_the_version(client, auth, team_setup, session):
    auth.login("rita")
    upload(client, auth, text=OWNERSHIP_ONLY)
    again = upload(client, auth, text=rubric_yaml(weights="{ownership: 1, empathy: 1}"))
    page = html.unescape(again.get_data(as_text=True))
    assert again.status_code == 422 and "ownership-only@1 exists already" in page and "new `version`" in page
    builtin = upload(client, auth, text=rubric_yaml(name="default", version="1.0"))
    assert builtin.status_code == 422 and "default@1.0 exists already" in builtin.get_data(as_text=True)
    assert stored(session) == ["ownership-only@1"]


def test_a_rubric_file_over_64_kb_is_refused(client, auth, team_setup, session):
    auth.login("rita")
    response = upload(client, auth, file_text=OWNERSHIP_ONLY + ("# " + "x" * 1000 + "\n") * 70)
    assert response.status_code == 422 and "at most 64 KB" in response.get_data(as_text=True)
    assert stored(session) == []


@pytest.mark.parametrize("path", ["/rubrics", "/rubrics/upload", "/rubrics/default@1.0", "/rubrics/default@1.0/download"])
def test_trainees_cannot_open_the_rubrics_pages(client, auth, team_setup, path):
    auth.login("ann")
    assert client.get(path).status_code == 403


def test_trainees_cannot_upload_or_assign(client, auth, team_setup, session):
    auth.login("ann")
    token = auth.csrf()
    assert client.post("/rubrics/upload", data={"csrf_token": token, "rubric_text": OWNERSHIP_ONLY}).status_code == 403
    team = team_setup["team"]
    assert client.post(f"/rubrics/teams/{team.id}", data={"csrf_token": token, "rubric": ""}).status_code == 403
    assert stored(session) == []


def test_a_trainer_sets_their_teams_rubric_and_goes_back_to_the_site_rubric(client, auth, team_setup, session, ownership_only):
    team = team_setup["team"]
    auth.login("tess")
    listing = client.get("/rubrics").get_data(as_text=True)
    assert f"/rubrics/teams/{team.id}" in listing and f"/rubrics/teams/{team_setup['other_team'].id}" not in listing
    fragment = assign(client, auth, team, "ownership-only@1", htmx=True)
    assert fragment.status_code == 200 and "Blue is now scored with ownership-only@1" in fragment.get_data(as_text=True)
    session.refresh(team)
    assert team.rubric_id == ownership_only.id
    back = assign(client, auth, team, "")
    assert back.status_code == 302
    session.refresh(team)
    assert team.rubric_id is None
    assert "Blue is now scored with default@1.0" in client.get("/rubrics").get_data(as_text=True)


def test_an_unknown_rubric_is_refused_with_a_message(client, auth, team_setup):
    auth.login("tess")
    response = assign(client, auth, team_setup["team"], "nothing@9", htmx=True)
    assert response.status_code == 422 and "There is no rubric nothing@9" in response.get_data(as_text=True)


def test_a_trainer_cannot_set_the_rubric_of_a_team_they_do_not_lead(client, auth, team_setup, session, ownership_only):
    auth.login("otto")
    blue = team_setup["team"]
    assert assign(client, auth, blue, "ownership-only@1").status_code == 403
    session.refresh(blue)
    assert blue.rubric_id is None
    assert client.post("/rubrics/teams/999", data={"rubric": "", "csrf_token": auth.csrf("/rubrics")}).status_code == 404


@pytest.mark.parametrize("username", ["rita", "root"])
def test_reviewers_and_admins_may_set_any_teams_rubric(client, auth, team_setup, session, ownership_only, username):
    auth.login(username)
    for team in (team_setup["team"], team_setup["other_team"]):
        assert assign(client, auth, team, "ownership-only@1").status_code == 302
    session.expire_all()
    assert all(team.rubric_id == ownership_only.id for team in session.exec(select(Team)))


def test_the_rubrics_link_is_in_the_staff_navigation_only(client, auth, team_setup):
    auth.login("tess")
    assert 'href="/rubrics"' in client.get("/dashboard").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login("ann")
    assert 'href="/rubrics"' not in client.get("/dashboard").get_data(as_text=True)


def test_assigning_needs_the_csrf_token(client, auth, team_setup, ownership_only):
    auth.login("tess")
    response = client.post(f"/rubrics/teams/{team_setup['team'].id}", data={"rubric": "ownership-only@1"})
    assert response.status_code == 400
