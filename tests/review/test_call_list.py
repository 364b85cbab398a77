"""The calls list: filters by agent, team, date, score band, needs review and text; pages; the live status cell."""
import re
from datetime import date

from coach.models import Call, CallStatus, Job, JobStatus
from coach.review.call_list import MAX_PAGE_SIZE, CallFilter, find_calls


def _ids(page):
    return sorted(c.id for c in page.calls)


def test_filters_narrow_the_calls_by_agent_team_date_band_review_flag_and_text(session, team_setup, make_call, first_pass_result):
    ann = make_call(team_setup["ann"], call_date=date(2024, 5, 6))
    ben = make_call(team_setup["ben"], call_date=date(2024, 6, 1))
    cy = make_call(team_setup["cy"], call_date=date(2024, 6, 2))
    cy.result = {**first_pass_result, "overall": 15, "needs_human_review": True}
    cy.external_id = "TEL-991"
    session.add(cy)
    session.commit()
    everyone = find_calls(session, CallFilter())
    assert everyone.total == 3
    assert _ids(find_calls(session, CallFilter(agent_id=team_setup["ann"].id))) == [ann.id]
    assert _ids(find_calls(session, CallFilter(team_id=team_setup["team"].id))) == sorted([ann.id, ben.id])
    assert _ids(find_calls(session, CallFilter(date_from=date(2024, 6, 1), date_to=date(2024, 6, 1)))) == [ben.id]
    assert _ids(find_calls(session, CallFilter(band=1))) == [cy.id]
    band = first_pass_result["overall"] // 20 + 1
    assert _ids(find_calls(session, CallFilter(band=band))) == sorted([ann.id, ben.id])
    assert _ids(find_calls(session, CallFilter(needs_review=True))) == [cy.id]
    assert _ids(find_calls(session, CallFilter(text="tel-991"))) == [cy.id]
    assert find_calls(session, CallFilter(text="parcel is late")).total == 3  # words said on the call
    assert find_calls(session, CallFilter(text="nobody said this")).total == 0


def test_pages_are_bounded_and_stay_in_range(session, team_setup, make_call):
    for _ in range(5):
        make_call(team_setup["ann"])
    first, last = find_calls(session, CallFilter(), page=1, page_size=2), find_calls(session, CallFilter(), page=99, page_size=2)
    assert (first.pages, len(first.calls), last.page, len(last.calls)) == (3, 2, 3, 1)
    assert find_calls(session, CallFilter(), page_size=10_000).page_size == MAX_PAGE_SIZE


def test_calls_page_links_pages_keeping_the_filters_and_explains_a_reversed_range(client, auth, team_setup, make_call):
    for _ in range(3):
        make_call(team_setup["ann"])
    auth.login("rita")
    page = client.get(f"/calls?per_page=2&agent={team_setup['ann'].id}").get_data(as_text=True)
    link = re.search(r'<a href="(/calls\?[^"]*page=2[^"]*)"', page)
    assert "3 calls · page 1 of 2" in page and link and f"agent={team_setup['ann'].id}" in link.group(1) and "per_page=2" in link.group(1)
    reversed_range = client.get("/calls?from=2024-06-01&to=2024-05-01").get_data(as_text=True)
    assert "ends before it starts" in reversed_range


def test_status_cell_shows_one_progress_figure_while_running_and_the_score_when_ready(client, auth, session, team_setup, make_call):
    call = make_call(team_setup["ann"])
    job = Job(kind="call_first_pass", status=JobStatus.running, stage="transcribing", progress=0.9)
    session.add(job)
    session.commit()
    call.status, call.job_id = CallStatus.processing, job.id
    session.add(call)
    session.commit()
    auth.login("rita")
    cell = client.get(f"/calls/{call.id}/status-cell").get_data(as_text=True)
    assert "Transcribing · 90%" in cell and "100%" not in cell and 'hx-trigger="every 2s"' in cell
    call.status = CallStatus.ready
    session.add(call)
    session.commit()
    cell = client.get(f"/calls/{call.id}/status-cell").get_data(as_text=True)
    assert f">{call.result['overall']}<" in cell and "hx-trigger" not in cell and "Review" in cell
    assert session.get(Call, call.id).status == CallStatus.ready
