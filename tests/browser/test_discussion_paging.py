"""The discussion of a Vorhaben in pages, in Debian's Chromium: "Weitere Beiträge" loads the next
page in place, the focus lands on the first new comment and a polite live region says how many
came; the last page takes the link away. axe on every state, no CSP errors."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participation.contributions.constants import DISCUSSION_PAGE_SIZE
from participation.contributions.models import Comment
from tests.participation.contributions.conftest import citizen, open_project
from tests.participation.factories import project_index

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOP = 2 * DISCUSSION_PAGE_SIZE + 5


def test_more_contributions_load_in_place_with_the_focus_on_the_first_new_one(
    page, live_server, axe, csp_errors
):
    project_index()
    vorhaben = open_project(title="Neuer Stadtpark", slug="stadtpark")
    author = citizen(display_name="Karla")
    start = timezone.now() - timedelta(days=1)
    rows = Comment.objects.bulk_create(
        Comment(
            target=vorhaben,
            author=author,
            text=f"Beitrag {n:03d}",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(TOP)
    )
    top_level = page.locator("#diskussion [data-discussion-list] > li.comment")

    page.goto(live_server.url + vorhaben.get_url())
    expect(top_level).to_have_count(DISCUSSION_PAGE_SIZE)
    axe(page)
    more = page.get_by_role("link", name="Weitere Beiträge")
    url = page.url

    more.click()
    expect(top_level).to_have_count(2 * DISCUSSION_PAGE_SIZE)
    first_new = page.locator(f"#kommentar-{rows[DISCUSSION_PAGE_SIZE].pk}")
    expect(first_new).to_be_focused()
    expect(page.locator("[data-discussion-status]")).to_have_text(
        f"{DISCUSSION_PAGE_SIZE} weitere Beiträge geladen."
    )
    assert page.url == url  # loaded in place, the page stayed
    axe(page)

    more.click()
    expect(top_level).to_have_count(TOP)
    expect(page.locator(f"#kommentar-{rows[2 * DISCUSSION_PAGE_SIZE].pk}")).to_be_focused()
    expect(page.locator("[data-discussion-status]")).to_have_text("5 weitere Beiträge geladen.")
    expect(page.get_by_role("link", name="Weitere Beiträge")).to_have_count(0)
    texts = top_level.locator(".contribution__text").all_inner_texts()
    assert texts == [f"Beitrag {n:03d}" for n in range(TOP)]  # in order, none twice
    axe(page)
    assert csp_errors == []


def test_without_javascript_the_link_opens_the_next_page(browser, live_server):
    project_index()
    vorhaben = open_project(title="Neuer Stadtpark", slug="stadtpark")
    start = timezone.now() - timedelta(days=1)
    Comment.objects.bulk_create(
        Comment(target=vorhaben, author=citizen(), text=f"Beitrag {n:03d}",
                created_at=start + timedelta(minutes=n))
        for n in range(TOP)
    )  # fmt: skip
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + vorhaben.get_url())
    page.get_by_role("link", name="Weitere Beiträge").click()
    page.wait_for_url(re.compile(r"\?beitraege=2#diskussion$"))
    items = page.locator("#diskussion [data-discussion-list] > li.comment .contribution__text")
    expect(items.first).to_have_text(f"Beitrag {DISCUSSION_PAGE_SIZE:03d}")
    expect(items).to_have_count(DISCUSSION_PAGE_SIZE)
    expect(page.get_by_role("link", name="Frühere Beiträge")).to_have_attribute(
        "href", "?#diskussion"
    )
    context.close()
