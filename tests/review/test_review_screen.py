"""The review screen: an empty comment says why it was refused; Finalise asks first; segments carry their times
so review.js can follow playback."""
import re


def test_an_empty_comment_is_refused_with_the_reason(client, auth, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    token = auth.csrf(f"/calls/{call.id}")
    answer = client.post(f"/calls/{call.id}/comments", data={"text": "   ", "at": "3"}, headers={"X-CSRFToken": token})
    assert answer.status_code == 422 and "The comment is empty, so it was not added" in answer.get_data(as_text=True)
    assert 'role="alert"' in answer.get_data(as_text=True)


def test_finalise_asks_for_confirmation_and_segments_carry_their_times(client, auth, team_setup, make_call):
    call = make_call(team_setup["ann"])
    auth.login("rita")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert re.search(r'<form[^>]+finalise[^>]+data-confirm="Finalise this scorecard\?', page)
    starts = re.findall(r'class="segment[^"]*" data-start="([\d.]+)" data-end="([\d.]+)"', page)
    assert [float(s) for s, _ in starts] == [s["start"] for s in call.result["segments"]]
