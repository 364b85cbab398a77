"""Disputes: the agent acknowledges or disputes a finalised scorecard; a lead who may see the agent resolves it."""
from datetime import timedelta

from sqlmodel import select

from coach.models import DisputeStatus, Review, ScorecardResponse, User
from coach.permissions import can_resolve_dispute, disputes_visible_to

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")


def _switch(client, auth, username):
    client.post("/logout", data={"csrf_token": auth.csrf()})
    auth.login(username)


def _finalised(client, auth, session, call):
    auth.login("rita")
    token = auth.csrf(f"/calls/{call.id}")
    for d in DIMENSIONS:
        client.post(f"/calls/{call.id}/scores/{d}", data={"action": "accept"}, headers={"X-CSRFToken": token})
    client.post(f"/calls/{call.id}/finalise", data={"csrf_token": token})
    return session.exec(select(Review).where(Review.call_id == call.id)).one()


def test_agent_disputes_with_a_reason_and_a_trainer_of_their_team_changes_a_score(client, auth, session, team_setup, make_call):
    call = make_call(team_setup["ann"])
    review = _finalised(client, auth, session, call)
    url = f"/calls/{call.id}/scorecards/{review.id}"
    _switch(client, auth, "ann")
    refused = client.post(url + "/response", data={"csrf_token": auth.csrf(url), "kind": "disputed"}, follow_redirects=True)
    assert "Say what you dispute" in refused.get_data(as_text=True) and session.exec(select(ScorecardResponse)).first() is None
    client.post(url + "/response", data={"csrf_token": auth.csrf(url), "kind": "disputed", "reason": "I did own the fix"})
    response = session.exec(select(ScorecardResponse)).one()
    assert response.status == DisputeStatus.open and "I did own the fix" in client.get(url).get_data(as_text=True)
    again = client.post(url + "/response", data={"csrf_token": auth.csrf(url), "kind": "acknowledged"}, follow_redirects=True)
    assert "already answered" in again.get_data(as_text=True)
    assert client.post(f"/calls/disputes/{response.id}/resolve", data={"csrf_token": auth.csrf(url), "outcome": "uphold",
                                                                        "reason": "mine"}).status_code == 403
    _switch(client, auth, "otto")  # leads another team
    assert client.get("/calls/disputes").get_data(as_text=True).count("I did own the fix") == 0
    assert client.post(f"/calls/disputes/{response.id}/resolve", data={"csrf_token": auth.csrf(), "outcome": "uphold",
                                                                        "reason": "x"}).status_code == 403
    _switch(client, auth, "tess")
    assert "I did own the fix" in client.get("/calls/disputes").get_data(as_text=True)
    old_overall = review.overall
    client.post(f"/calls/disputes/{response.id}/resolve", data={"csrf_token": auth.csrf(url), "outcome": "change",
                                                                 "dimension": "ownership", "score": "100", "reason": "she booked the replacement"})
    session.refresh(response)
    session.refresh(review)
    assert response.status == DisputeStatus.changed and response.new_score == 100 and review.scores["ownership"]["score"] == 100
    assert response.old_score == call.result["scores"]["ownership"] < 100 and review.overall > old_overall  # reweighted
    _switch(client, auth, "ann")
    page = client.get(url).get_data(as_text=True)
    assert "Score changed" in page and "she booked the replacement" in page


def test_agent_acknowledges_and_a_reviewer_upholds_a_dispute(client, auth, session, team_setup, make_call):
    first, second = make_call(team_setup["ann"]), make_call(team_setup["ann"])
    reviews = [_finalised(client, auth, session, first)]
    token = auth.csrf(f"/calls/{second.id}")
    for d in DIMENSIONS:
        client.post(f"/calls/{second.id}/scores/{d}", data={"action": "accept"}, headers={"X-CSRFToken": token})
    client.post(f"/calls/{second.id}/finalise", data={"csrf_token": token})
    reviews.append(session.exec(select(Review).where(Review.call_id == second.id)).one())
    _switch(client, auth, "ann")
    client.post(f"/calls/{first.id}/scorecards/{reviews[0].id}/response", data={"csrf_token": auth.csrf(), "kind": "acknowledged"})
    client.post(f"/calls/{second.id}/scorecards/{reviews[1].id}/response",
                data={"csrf_token": auth.csrf(), "kind": "disputed", "reason": "too harsh"})
    _switch(client, auth, "ben")  # another agent cannot answer ann's scorecard
    assert client.post(f"/calls/{first.id}/scorecards/{reviews[0].id}/response",
                       data={"csrf_token": auth.csrf(), "kind": "disputed", "reason": "x"}).status_code == 403
    _switch(client, auth, "rita")
    listed = client.get("/calls/disputes").get_data(as_text=True)
    assert "too harsh" in listed and f"Call #{first.id}<" not in listed  # an acknowledgement is not a dispute
    dispute = session.exec(select(ScorecardResponse).where(ScorecardResponse.review_id == reviews[1].id)).one()
    empty = client.post(f"/calls/disputes/{dispute.id}/resolve", data={"csrf_token": auth.csrf(), "outcome": "uphold"}, follow_redirects=True)
    assert "Say why" in empty.get_data(as_text=True)
    client.post(f"/calls/disputes/{dispute.id}/resolve", data={"csrf_token": auth.csrf(), "outcome": "uphold", "reason": "the apology came late"})
    session.refresh(dispute)
    assert dispute.status == DisputeStatus.upheld and dispute.resolution == "the apology came late"
    assert "Acknowledged on" in client.get(f"/calls/{first.id}/scorecards/{reviews[0].id}").get_data(as_text=True)


def _disputes(session, make_call, agents, reviewer):
    """One open dispute of a finalised review per agent, oldest first."""
    rows = []
    for minutes, agent in enumerate(agents):
        call = make_call(agent)
        review = Review(call_id=call.id, reviewer_id=reviewer.id, status="final", scores={}, finalised_at=call.created_at)
        session.add(review)
        session.flush()
        rows.append(ScorecardResponse(review_id=review.id, agent_id=agent.id, kind="disputed", reason=f"dispute {minutes}",
                                      status=DisputeStatus.open, created_at=call.created_at + timedelta(minutes=minutes)))
        session.add(rows[-1])
    session.commit()
    return rows


def test_the_disputes_a_lead_sees_are_those_they_may_resolve_a_page_at_a_time(session, team_setup, make_call):
    people = [team_setup[name] for name in ("ann", "ben", "cy", "ann", "rita")]
    rows = _disputes(session, make_call, people, team_setup["rita"])
    for lead in (team_setup["trainer"], team_setup["other_trainer"], team_setup["rita"], team_setup["admin"], team_setup["ann"]):
        allowed = [r.id for r in reversed(rows)
                   if can_resolve_dispute(lead, r, session.get(User, r.agent_id), session)]
        assert [r.id for r in disputes_visible_to(session, lead)] == allowed
        assert [r.id for r in disputes_visible_to(session, lead, 1, 2)] == allowed[1:3]
    assert len(disputes_visible_to(session, team_setup["trainer"])) == 3  # ann twice and ben, not cy of the other team


def test_the_disputes_page_pages(client, auth, session, team_setup, make_call, monkeypatch):
    monkeypatch.setattr("coach.web.pagination.PER_PAGE", 2)
    _disputes(session, make_call, [team_setup["ann"]] * 3, team_setup["rita"])
    auth.login("tess")
    first = client.get("/calls/disputes").get_data(as_text=True)
    assert first.count("<tr data-status") == 2 and "dispute 2" in first and "?page=2" in first
    second = client.get("/calls/disputes?page=2").get_data(as_text=True)
    assert second.count("<tr data-status") == 1 and "dispute 0" in second
