"""A trainer builds a curriculum and assigns it to the team; a trainee plays its step by typing; the heatmap moves."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
RUNS = Path(__file__).resolve().parents[1] / "scenarios" / "runs"
SKILLS = ("active_listening", "empathy", "clarity", "jargon", "ownership")
STEP_TITLE = "Wrong shoes, wedding on Saturday (chat)"


def heatmap_counts(page, trainee: str) -> dict[str, int]:
    """How many scores each of ``trainee``'s heatmap cells is built from (from the cell's title)."""
    row = page.locator("table.heatmap tbody tr", has=page.locator("th", has_text=trainee))
    counts = {}
    for skill in SKILLS:
        title = row.locator(f"td[data-skill={skill}]").get_attribute("title") or "from 0 scores"
        counts[skill] = int(re.search(r"from (\d+) score", title).group(1))
    return counts


def test_trainer_assigns_a_curriculum_the_trainee_plays_it_and_the_heatmap_changes(browser, live_server, sign_in):
    trainer = browser.new_context().new_page()
    sign_in(trainer, "tina")
    trainer.click("nav >> text=Curricula")
    trainer.click("text=New curriculum")
    trainer.fill("#name", "Chat week")
    trainer.fill("#attempts_allowed", "2")
    for skill in SKILLS:
        trainer.fill(f"#pass_{skill}", "30")
    trainer.select_option("#steps-0-what", value="chat-wrong-item")
    trainer.fill("#steps-0-due_days", "7")
    trainer.click("text=Save curriculum")
    trainer.locator("h1", has_text="Chat week").wait_for()
    curriculum_id = re.search(r"/curricula/(\d+)", trainer.url).group(1)
    trainer.click("a:has-text('Assign')")
    trainer.get_by_label(re.compile(r"^Support North")).check()
    trainer.click("button:has-text('Assign')")
    assert "Assigned Chat week to alex, jordan, sam" in trainer.locator(".flash").inner_text()

    trainer.click("nav >> text=Team progress")
    trainer.click("text=Support North")
    team_url = trainer.url.split("?")[0] + f"?curriculum={curriculum_id}"
    trainer.goto(team_url)
    before = heatmap_counts(trainer, "Sam Trainee")
    sam_row = trainer.locator("table.assignments tr", has_text="Sam Trainee")
    assert "0 / 1" in sam_row.inner_text()

    trainee = browser.new_context().new_page()
    trainee.set_default_timeout(30_000)
    sign_in(trainee, "sam")
    assigned = trainee.locator("section.panel", has=trainee.locator("h2", has_text="Assigned to you"))
    assigned.locator("text=Chat week").wait_for()
    assigned.get_by_role("link", name=STEP_TITLE).click()
    trainee.click("text=Start the role-play")
    trainee.wait_for_url(re.compile(r".*/practice/attempts/\d+$"))
    replies = [line.strip() for line in (RUNS / "chat-wrong-item.good.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    for number, reply in enumerate(replies, start=1):
        if trainee.locator("text=The role-play has ended").count():
            break
        trainee.fill("#reply", reply)
        trainee.click("text=Send reply")
        trainee.locator(f"#turn-{number}").wait_for()
    trainee.locator("text=The role-play has ended").wait_for()

    trainer.goto(team_url)
    after = heatmap_counts(trainer, "Sam Trainee")
    assert all(after[skill] == before[skill] + 1 for skill in SKILLS), (before, after)
    sam_row = trainer.locator("table.assignments tr", has_text="Sam Trainee")
    assert "1 / 1" in sam_row.inner_text() and "Complete" in sam_row.inner_text()
    trainee.goto(live_server + "/dashboard")
    assigned = trainee.locator("section.panel", has=trainee.locator("h2", has_text="Assigned to you"))
    assigned.get_by_role("link", name="Chat week (certificate)").click()
    assert "Certificate of completion" in trainee.content() and "Sam Trainee" in trainee.content()
