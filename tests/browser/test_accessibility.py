"""Every main page of every role, on a phone (390 px) and a desktop: no serious or critical axe-core violation,
and nothing wider than the window (wide tables scroll inside their own box)."""
from __future__ import annotations

import pytest

AXE = "/static/vendor/axe-core/axe.min.js"  # served by Coach itself, so the Content-Security-Policy lets it run
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
ROLES = ("admin", "tina", "rob", "alex")  # the demo admin, trainer, reviewer and trainee
EXTRA_PAGES = {  # pages reached from the ones in the menu
    "admin": ["/admin/users/alex"],
    "tina": ["/curricula/teams/1", "/curricula/teams/1/trainees/alex", "/curricula/1", "/progress/people/alex"],
    "alex": ["/practice/history", "/practice/scenarios/late-delivery", "/practice/attempts/1/debrief"],
}
SLACK_PX = 2


def _axe_problems(page, base: str) -> list[str]:
    page.add_script_tag(url=base + AXE)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
    }""")
    return result


def _too_wide(page, width: int) -> str | None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return None if scroll_width <= width + SLACK_PX else f"document is {scroll_width} px wide in a {width} px window"


def _main_pages(page, base: str, role: str) -> list[str]:
    links = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(["/dashboard", *links, "/account/password", *EXTRA_PAGES.get(role, [])]))


def _check(page, base: str, path: str, width: int) -> list[str]:
    response = page.goto(base + path)
    page.wait_for_load_state("networkidle")
    problems = [] if response and response.ok else [f"{path}: answered {response.status if response else 'nothing'}"]
    problems += [f"{path}: {p}" for p in _axe_problems(page, base)]
    if wide := _too_wide(page, width):
        problems.append(f"{path}: {wide}")
    return problems


@pytest.mark.parametrize("size", WIDTHS)
def test_sign_in_page_is_accessible_and_fits(browser, live_server, size):
    width, height = WIDTHS[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        assert _check(page, live_server, "/login", width) == []
    finally:
        context.close()


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_of_each_role_is_accessible_and_fits(browser, live_server, sign_in, role, size):
    width, height = WIDTHS[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    try:
        sign_in(page, role)
        problems = []
        for path in _main_pages(page, live_server, role):
            problems += _check(page, live_server, path, width)
        assert problems == [], "\n".join(problems)
        assert missing == [], f"404s while loading: {missing}"
    finally:
        context.close()


def test_the_header_menu_folds_on_a_phone_and_opens_with_its_button(browser, live_server, sign_in):
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS["phone"])))
    page = context.new_page()
    try:
        sign_in(page, "admin")
        toggle = page.locator("[data-menu-toggle]")
        assert toggle.is_visible() and not page.locator("#site-menu").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("header nav a", has_text="Users").is_visible()
        page.locator("header nav a", has_text="Users").click()
        page.wait_for_url(live_server + "/admin/users")
    finally:
        context.close()


def test_the_header_menu_is_always_open_on_a_desktop(page, live_server, sign_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "admin")
    assert not page.locator("[data-menu-toggle]").is_visible()
    assert page.locator("header nav a", has_text="Users").is_visible()
