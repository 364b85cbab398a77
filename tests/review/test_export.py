"""The scorecard CSV: unique documented columns, final scores after overrides with reason and reviewer, streamed."""
import csv
import io
from datetime import date

import pytest

from coach.review.export import COLUMNS, ExportError, check_range, iter_csv, scorecard_rows
from scoring import DIMENSIONS


def _finalise(client, auth, call, override=None):
    client.get(f"/calls/{call.id}")
    token = auth.csrf(f"/calls/{call.id}")
    for dimension in DIMENSIONS:
        data = ({"score": override[1], "reason": override[2]} if override and override[0] == dimension
                else {"action": "accept"})
        assert client.post(f"/calls/{call.id}/scores/{dimension}", data=data,
                           headers={"X-CSRFToken": token}).status_code == 200
    client.post(f"/calls/{call.id}/finalise", data={"csrf_token": token})


def _rows(client, query=""):
    response = client.get("/calls/export?format=csv" + query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_columns_are_unique_and_name_score_and_checklist_apart():
    assert len(COLUMNS) == len(set(COLUMNS))
    assert "score_ownership" in COLUMNS and "check_ownership" in COLUMNS and "ownership" not in COLUMNS


def test_an_override_appears_as_the_final_score_with_its_reason_and_reviewer(client, auth, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    _finalise(client, auth, call, override=("ownership", 10, "Promised nothing the customer could hold us to."))
    row = _rows(client)[0]
    assert row["score_ownership"] == "10"
    assert row["first_pass_ownership"] == str(call.result["scores"]["ownership"])
    assert row["override_reason_ownership"] == "Promised nothing the customer could hold us to."
    assert row["overridden"] == "ownership" and row["reviewer"] == team_setup["rita"].name
    assert row["check_greeted"] in ("yes", "no")


def test_a_reversed_date_range_is_refused_with_the_reason(client, auth, team_setup):
    auth.login("rita")
    response = client.get("/calls/export?format=csv&from=2024-06-01&to=2024-05-01")
    assert response.status_code == 400
    assert "after the end date" in response.get_data(as_text=True)


def test_rows_stream_in_batches_and_the_csv_comes_line_by_line(session, team_setup, make_call, monkeypatch):
    from coach.review import export
    from coach.models import Review, ReviewStatus, utcnow

    monkeypatch.setattr(export, "BATCH", 2)
    for _ in range(5):
        call = make_call(team_setup["ann"])
        marks = {d: {"score": 50, "auto": 50, "overridden": False, "reason": ""} for d in DIMENSIONS}
        session.add(Review(call_id=call.id, reviewer_id=team_setup["rita"].id, status=ReviewStatus.final,
                           scores=marks, overall=50, finalised_at=utcnow()))
    session.commit()
    chunks = list(iter_csv(scorecard_rows(session)))
    assert len(chunks) == 5 and chunks[0].startswith("call_id,")
    assert sum(chunk.count("\n") for chunk in chunks) == 6


def test_check_range_accepts_open_ends():
    check_range(None, date(2024, 1, 1))
    with pytest.raises(ExportError, match="2024-02-01"):
        check_range(date(2024, 2, 1), date(2024, 1, 1))
