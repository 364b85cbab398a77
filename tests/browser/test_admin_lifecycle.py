"""An admin revokes an API token and deactivates a user in the browser; both are checked through the UI, the CLI
(`coach token list`, `coach user activate/deactivate`) and the API."""
import subprocess
import urllib.error
import urllib.request

import pytest

from .conftest import COACH

pytestmark = pytest.mark.browser


def _api_status(live_server, token: str) -> int:
    request = urllib.request.Request(f"{live_server}/api/v1/users/jordan/progress", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _cli(server_env, *args) -> str:
    return subprocess.run([COACH, *args], env=server_env, check=True, capture_output=True, text=True).stdout


def _new_token(page, live_server, label: str) -> str:
    page.goto(live_server + "/admin/tokens")
    page.select_option("select[name=user_id]", label="jordan (trainee)")
    page.fill("input[name=label]", label)
    page.click("button:has-text('Create token')")
    return page.locator("pre.token code").inner_text().strip()


def _signs_in(browser, live_server, username: str) -> bool:
    context = browser.new_context()
    other = context.new_page()
    other.goto(live_server + "/login")
    other.fill("#username", username)
    other.fill("#password", "coach-demo")
    other.click("button[type=submit]")
    other.wait_for_load_state()
    signed_in = other.url.endswith("/dashboard")
    context.close()
    return signed_in


def test_admin_revokes_a_token_and_deactivates_a_user_checked_in_ui_cli_and_api(page, browser, live_server, sign_in, server_env):
    sign_in(page, "admin")
    first = _new_token(page, live_server, "reporting")
    assert _api_status(live_server, first) == 200
    token_id = next(line.split()[0] for line in _cli(server_env, "token", "list", "jordan").splitlines() if "reporting" in line)
    page.goto(live_server + "/admin/tokens")
    page.click(f"button[aria-label='Revoke token {token_id} of jordan']")
    assert f"Token {token_id} is revoked" in page.content()
    assert _api_status(live_server, first) == 401
    listed = next(line for line in _cli(server_env, "token", "list", "jordan").splitlines() if line.split()[0] == token_id)
    assert listed.rstrip().endswith("yes")

    second = _new_token(page, live_server, "dashboard")
    assert _api_status(live_server, second) == 200 and _signs_in(browser, live_server, "jordan")
    page.goto(live_server + "/admin/users/jordan")
    page.click("button:has-text('Deactivate')")
    assert "jordan is deactivated" in page.content() and page.locator("button:has-text('Activate')").is_visible()
    assert _api_status(live_server, second) == 401 and not _signs_in(browser, live_server, "jordan")

    assert "jordan is active" in _cli(server_env, "user", "activate", "jordan")
    assert _signs_in(browser, live_server, "jordan")
    _cli(server_env, "user", "deactivate", "jordan")
    page.goto(live_server + "/admin/users/jordan")
    assert page.locator("button:has-text('Activate')").is_visible() and not _signs_in(browser, live_server, "jordan")
    _cli(server_env, "user", "activate", "jordan")  # the other browser tests sign jordan in
