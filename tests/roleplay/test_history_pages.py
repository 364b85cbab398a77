"""The practice history shows one page of attempts at a time, newest first, with links to the others."""
import re

from coach.roleplay import practice
from coach.web import pagination


def test_the_practice_history_pages_through_every_attempt_once_newest_first(client, auth, session, scenarios, people,
                                                                            monkeypatch):
    monkeypatch.setattr(pagination, "PER_PAGE", 2)
    made = [practice.start_attempt(session, people["ann"], scenarios["parcel-call"]).id for _ in range(5)]
    auth.login("ann")
    pages = [client.get(f"/practice/history?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    shown = [[int(i) for i in re.findall(r'href="/practice/attempts/(\d+)"', page)] for page in pages]
    assert shown == [made[4:2:-1], made[2:0:-1], made[:1]]
    assert 'rel="next"' in pages[0] and 'rel="prev"' in pages[2] and 'rel="next"' not in pages[2]
