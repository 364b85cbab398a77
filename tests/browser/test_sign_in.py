import pytest

pytestmark = pytest.mark.browser


def test_demo_trainee_signs_in_and_sees_the_dashboard(page, live_server, sign_in):
    sign_in(page, "alex")
    assert page.locator("h1").inner_text() == "Hello, Alex Trainee"
    assert page.locator(".role").first.inner_text().lower() == "trainee"


def test_every_demo_role_can_sign_in(browser, live_server, sign_in):
    for username in ("admin", "tina", "rob", "sam"):
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, username)
        assert page.url.endswith("/dashboard")
        context.close()


def test_trainee_is_refused_the_admin_pages(page, live_server, sign_in):
    sign_in(page, "jordan")
    response = page.goto(live_server + "/admin/users")
    assert response.status == 403
    assert "Not allowed" in page.content()
