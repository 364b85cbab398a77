"""A reviewer uploads a call, watches the first pass finish, overrides a score with a reason and finalises;
the agent then sees the finalised scorecard."""
import shutil
import subprocess

import numpy as np
import pytest
import soundfile

from coach.speech.audio import decode_audio

pytestmark = pytest.mark.browser

AGENT_LINE = "Thank you for calling Acme, my name is Rob. I am sorry about the delay, I will sort it out today."
CUSTOMER_LINE = "My order is late."


@pytest.fixture(scope="module")
def call_file(tmp_path_factory):
    """A short stereo call: the agent on the left, the customer on the right."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    folder = tmp_path_factory.mktemp("browser-call")
    rows = []
    for name, text, voice in (("agent", AGENT_LINE, "en-us"), ("customer", CUSTOMER_LINE, "en-gb+f3")):
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(folder / f"{name}.wav"), text], check=True)
        rows.append(decode_audio(folder / f"{name}.wav").mono())
    agent, customer = rows
    agent_start = len(customer) + 4000  # the agent answers a quarter of a second after the customer
    channels = np.zeros((2, agent_start + len(agent) + 8000), dtype=np.float32)
    channels[1, : len(customer)] = customer
    channels[0, agent_start: agent_start + len(agent)] = agent
    path = folder / "call.wav"
    soundfile.write(path, channels.T, 16000, subtype="PCM_16")
    return path


def test_reviewer_uploads_overrides_a_score_with_a_reason_and_finalises(page, browser, live_server, sign_in, call_file):
    sign_in(page, "rob")
    page.click("nav >> text=Calls")
    page.click("text=Upload recordings")
    page.set_input_files("input[name=recordings]", str(call_file))
    page.select_option("select[name=agent_id]", label="Alex Trainee (alex)")
    page.fill("input[name=call_type]", "complaint")
    page.click("button[type=submit]:has-text('Upload')")
    page.wait_for_url(live_server + "/calls")
    review_link = page.locator("table.calls tbody tr").first.locator("a:has-text('Review')")  # the newest call
    review_link.wait_for(timeout=120_000)  # the progress fragment polls until the first pass is done
    review_link.click()

    assert page.locator(".transcript .word").count() > 5
    assert page.locator("canvas.waveform").is_visible()
    page.locator("#score-empathy button[value=override]").click()
    page.locator("#score-empathy .field-error:has-text('Say why')").wait_for()  # no reason: refused
    page.fill("#score-empathy-value", "35")
    page.fill("#score-empathy-reason", "apologised but never acknowledged the customer's feeling")
    page.locator("#score-empathy button[value=override]").click()
    page.locator("#score-empathy:has-text('overridden')").wait_for()
    for dimension in ("active_listening", "clarity", "jargon", "ownership"):
        page.locator(f"#score-{dimension} button[value=accept]").click()
        page.locator(f"#score-{dimension}:has-text('accepted')").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())  # Finalise asks first
    page.click("#finalise")
    page.wait_for_url("**/scorecards/**")
    assert "apologised but never acknowledged" in page.content()
    scorecard_url = page.url

    agent = browser.new_context().new_page()
    sign_in(agent, "alex")
    agent.goto(live_server + "/calls/mine")
    agent.click(f"a[href='{scorecard_url.removeprefix(live_server)}']")
    assert agent.url == scorecard_url and "35" in agent.locator("table").first.inner_text()
