"""Page numbers from the address: nonsense reads as the first page, and links keep the page's other arguments."""
import pytest

from coach.web.pagination import LAST_PAGE, paginate_with

ROWS = list(range(7))


def page_of(app, query: str, per_page: int = 3):
    with app.test_request_context(f"/curricula/?{query}"):
        app.preprocess_request()
        page = paginate_with(lambda offset, limit: ROWS[offset:offset + limit], per_page)
        return page, page.url(page.number + 1)


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-2", f"page={LAST_PAGE + 1}", ""])
def test_a_missing_or_nonsense_page_number_is_the_first_page(app, query):
    page, _ = page_of(app, query)
    assert (page.number, page.items, page.has_previous, page.has_next) == (1, [0, 1, 2], False, True)


def test_the_last_page_has_no_next_and_links_keep_other_arguments(app):
    page, next_url = page_of(app, "archived=1&page=3")
    assert (page.items, page.has_previous, page.has_next) == ([6], True, False)
    assert next_url == "/curricula/?archived=1&page=4"
    with app.test_request_context("/curricula/?archived=1&page=2"):
        assert page.url(1) == "/curricula/?archived=1"
