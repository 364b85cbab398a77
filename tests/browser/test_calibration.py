"""The QA workflow end to end, in Chromium: a reviewer uploads a call; two reviewers and the AI calibrate it blind;
the agreement page; a CSV export with an override; an agent disputes a scorecard and a lead resolves it."""
import csv
import io
import re
import shutil
import subprocess

import numpy as np
import pytest
import soundfile

from coach.speech.audio import decode_audio

pytestmark = pytest.mark.browser

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")
LINES = (("customer", "My internet has been down since this morning and nobody called me back.", "en-gb+f3"),
         ("agent", "I am sorry, that is frustrating. I will book an engineer for tomorrow and text you the time.", "en-us"))


@pytest.fixture(scope="module")
def call_file(tmp_path_factory):
    """A stereo call spoken by espeak-ng: the agent on the left, the customer on the right."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    folder = tmp_path_factory.mktemp("calibration-call")
    voices = {}
    for speaker, text, voice in LINES:
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(folder / f"{speaker}.wav"), text], check=True)
        voices[speaker] = decode_audio(folder / f"{speaker}.wav").mono()
    start = len(voices["customer"]) + 4000
    channels = np.zeros((2, start + len(voices["agent"]) + 8000), dtype=np.float32)
    channels[1, : len(voices["customer"])] = voices["customer"]
    channels[0, start: start + len(voices["agent"])] = voices["agent"]
    path = folder / "outage.wav"
    soundfile.write(path, channels.T, 16000, subtype="PCM_16")
    return path


def _switch(page, sign_in, username):
    page.context.clear_cookies()
    sign_in(page, username)


def _score_blind(page, scores):
    assert page.locator("#scores-title").inner_text().strip() == "Scores"  # no first-pass overall to anchor on
    assert page.locator("button[value=accept]").count() == 0 and page.locator(".marker-evidence").count() == 0
    for dimension, score in zip(DIMENSIONS, scores):
        page.fill(f"#score-{dimension}-value", str(score))
        page.locator(f"#score-{dimension} button[value=override]").click()
        page.locator(f"#score-{dimension}:has-text('your score')").wait_for()
    page.once("dialog", lambda dialog: dialog.dismiss())  # Finalise asks first; saying no keeps the draft
    page.click("#finalise")
    assert page.locator("#finalise").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#finalise")
    page.wait_for_url("**/calibrations/**")


def test_upload_blind_calibration_agreement_export_and_a_resolved_dispute(page, live_server, sign_in, call_file):
    sign_in(page, "rob")
    page.click("nav >> text=Calls")
    page.click("text=Upload recordings")
    page.set_input_files("input[name=recordings]", str(call_file))
    page.select_option("select[name=agent_id]", label="Alex Trainee (alex)")
    page.click("button[type=submit]:has-text('Upload')")
    page.wait_for_url(live_server + "/calls")
    row = page.locator("table.calls tbody tr:has-text('outage.wav')")
    status = row.locator("td.call-status")
    if status.get_attribute("data-status") == "processing":  # one progress figure, not "Transcribing 100% · 90%"
        assert re.fullmatch(r"\s*[A-Z][a-z ]+ · \d+%\s*", status.inner_text()), status.inner_text()
    row.locator("a.calibrate-link").wait_for(timeout=180_000)  # the status cell polls until the first pass is done
    call_id = int(re.search(r"/calls/(\d+)", row.locator("a.calibrate-link").get_attribute("href")).group(1))

    # blind calibration: Rob and Ada score it on their own; the AI's first pass is the third rater
    row.locator("a.calibrate-link").click()
    page.check("label:has-text('Rob Reviewer') input")
    page.check("label:has-text('Ada Admin') input")
    page.click("button:has-text('Start calibration')")
    page.wait_for_url("**/calibrations/*")
    calibration_url = page.url
    page.click("text=Open the call")
    _score_blind(page, (60, 70, 55, 65, 50))
    assert "once every reviewer has finalised" in page.content()

    _switch(page, sign_in, "admin")
    page.goto(f"{live_server}/calls/{call_id}")
    assert "Score this call on your own" in page.content()
    _score_blind(page, (70, 75, 60, 70, 40))
    agreement = page.locator("table.agreement")
    assert "AI first pass" in agreement.text_content() and "Rob Reviewer" in agreement.text_content()
    assert {"50", "40"} <= set(page.locator("table.agreement tr:has-text('Ownership') td").all_inner_texts())

    page.click("text=Agreement over all calibrations")
    overview = page.locator("#agreement")
    assert overview.locator("tbody tr").count() == 5 and "Reviewer to reviewer" in overview.text_content()
    assert re.search(r"-?\d\.\d\d", overview.locator("tbody").text_content())  # an ICC for the demo's and this calibration
    assert page.locator(f"a[href='{calibration_url.removeprefix(live_server)}']").count() == 1

    # the agent sees neither calibration scorecard
    _switch(page, sign_in, "alex")
    page.goto(live_server + "/calls/mine")
    assert f"Call #{call_id}<" not in page.content()

    # a routine scorecard with an override, exported
    _switch(page, sign_in, "rob")
    page.goto(live_server + "/calls")
    page.select_option("#agent", label="Sam Trainee")
    page.click("button:has-text('Search')")
    page.locator("table.calls tbody tr a:has-text('Review')").first.click()
    page.fill("#score-ownership-value", "10")
    page.fill("#score-ownership-reason", "never offered to refund the second charge")
    page.locator("#score-ownership button[value=override]").click()
    page.locator("#score-ownership:has-text('overridden')").wait_for()
    for dimension in DIMENSIONS[:-1]:
        entry = page.locator(f"#score-{dimension}")
        if "first pass, not yet accepted" in entry.inner_text():
            entry.locator("button[value=accept]").click()
            page.locator(f"#score-{dimension}:not(:has-text('not yet accepted'))").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#finalise")
    page.wait_for_url("**/scorecards/**")
    scorecard_path = page.url.removeprefix(live_server)
    sam_call = scorecard_path.split("/")[2]

    page.goto(live_server + "/calls/export")
    with page.expect_download() as download:
        page.click("button:has-text('Download CSV')")
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    header = rows[0]
    assert len(header) == len(set(header)) and {"score_ownership", "first_pass_ownership", "override_reason_ownership"} <= set(header)
    mine = [dict(zip(header, r)) for r in rows[1:] if r[0] == sam_call]
    assert mine and mine[0]["score_ownership"] == "10" and "refund the second charge" in mine[0]["override_reason_ownership"]
    assert mine[0]["first_pass_ownership"] != "10"

    # the agent disputes; the team's trainer changes the score
    _switch(page, sign_in, "sam")
    page.goto(live_server + scorecard_path)
    page.fill("#response-reason", "I did offer the refund at the end of the call")
    page.click("button:has-text('Dispute')")
    page.locator(".dispute-status[data-status=open]").wait_for()

    _switch(page, sign_in, "tina")
    page.click("nav >> text=Disputes")
    page.locator("#disputes tr:has-text('I did offer the refund')").locator("a").click()
    page.check("input[name=outcome][value=change]")
    page.select_option("#resolve-dimension", "ownership")
    page.fill("#resolve-score", "40")
    page.fill("#resolve-reason", "the refund was offered, late")
    page.click("button:has-text('Resolve')")
    page.locator(".dispute-status[data-status=changed]").wait_for()

    _switch(page, sign_in, "sam")
    page.goto(live_server + scorecard_path)
    assert "Score changed" in page.content() and "10 → 40" in page.content()
