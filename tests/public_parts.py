"""Helpers for tests of pages kept as public parts (portal.core.pagecache, `{% public_part %}`)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def second_viewer_reads(first, second, url: str) -> tuple[str, str, list[str]]:
    """The page as a first viewer gets it (rendered and kept), then as a second one: both pages
    and the SQL of the second one's queries (what a kept part spared them)."""
    first_page = first.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second_page = second.get(url).content.decode()
    return first_page, second_page, [query["sql"] for query in queries]


def form_token(html: str, action: str) -> str:
    """The CSRF token in the form of `html` that posts to `action`."""
    form = re.search(rf'<form[^>]* action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, f"no form for {action}"
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group()).group(1)
