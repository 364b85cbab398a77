"""A trainer uploads a rubric (a broken one first, fixed in place) and gives it to the team; the row updates in place."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
BROKEN = "name: browser-team\nversion: '1'\nweights: {ownership: 2, empathy: 1,\nband_thresholds: [20, 40, 60, 80]\n"
FIXED = "name: browser-team\nversion: '1'\nweights: {ownership: 2, empathy: 1}\nband_thresholds: [20, 40, 60, 80]\n"


def test_trainer_uploads_a_rubric_and_chooses_it_for_the_team(page, live_server, sign_in):
    sign_in(page, "tina")
    page.click("nav >> text=Rubrics")
    page.click("text=Upload a rubric")
    page.fill("#rubric_text", BROKEN)
    page.click("button:has-text('Check and add the rubric')")
    assert "not valid YAML at line 5" in page.locator(".flash-error").inner_text()
    assert page.input_value("#rubric_text").replace("\r\n", "\n") == BROKEN  # nothing typed is lost
    page.fill("#rubric_text", FIXED)
    page.click("button:has-text('Check and add the rubric')")
    page.locator("h1", has_text="Rubric browser-team@1").wait_for()
    assert "67 %" in page.locator("table", has_text="Share of the overall").inner_text()

    page.click("text=All rubrics")
    row = page.locator("tr[id^=team-rubric]", has_text="Support North")
    row.locator("select").select_option("browser-team@1")
    row.locator("button:has-text('Use it')").click()
    page.locator("text=Support North is now scored with browser-team@1").wait_for()
    assert page.url == live_server + "/rubrics"  # swapped in place by htmx, no reload

    row = page.locator("tr[id^=team-rubric]", has_text="Support North")
    row.locator("select").select_option("")
    row.locator("button:has-text('Use it')").click()
    page.locator("text=Support North is now scored with default@1.0").wait_for()  # back to the site rubric
