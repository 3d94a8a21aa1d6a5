"""In the browser: a citizen without an account answers a poll on the project page (a failed
attempt first), sees the results at once (the phase's setting), and cannot answer twice;
axe-core checks every page on the way."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from participation.polls.models import Response
from participation.projects.constants import Module, ResultsVisibility
from tests.participation.factories import phase, project

from .conftest import make_poll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_citizen_answers_a_poll_without_an_account(page, live_server, axe, csp_errors):
    vorhaben = project(title="Neuer Marktplatz", participation_planned=True)
    now = timezone.now()
    phase(
        vorhaben, modules=[Module.POLLS], poll_results=ResultsVisibility.IMMEDIATELY,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=20),
    )  # fmt: skip
    poll = make_poll(vorhaben)

    page.goto(live_server.url + vorhaben.url)
    poll_box = page.locator(f"#umfrage-{poll.pk}")
    assert poll_box.get_by_role("heading", name="Wie soll der Platz aussehen?").is_visible()
    axe(page)

    # sent without the required answer: the poll's page with the error summary in focus
    poll_box.get_by_label("morgens").check()
    poll_box.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url(re.compile(rf"/umfragen/{poll.pk}/antworten/"))
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "Bitte beantworten Sie diese Frage." in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("morgens").is_checked()  # what was entered stays
    axe(page)

    # the link in the summary leads to the question; "Sonstiges" with a text
    summary.get_by_role("link").first.click()
    page.get_by_label("Sonstiges, und zwar:").fill("Ein Trinkbrunnen")
    page.get_by_label("Was möchten Sie uns noch sagen?").fill("Mehr Schatten bitte.")
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url(re.compile(rf"{re.escape(vorhaben.url)}#umfrage-{poll.pk}$"))
    assert "Vielen Dank! Ihre Antworten sind gespeichert." in page.content()
    results = page.locator(f"#umfrage-{poll.pk}")
    assert "1 Person hat teilgenommen" in results.inner_text()
    table = results.get_by_role("table", name=re.compile("Was fehlt am meisten"))
    assert table.get_by_role("row", name=re.compile("Sonstiges 1 100")).is_visible()
    assert results.get_by_role("button", name="Antworten absenden").count() == 0
    axe(page)

    # the same browser once more, by the poll's own page: no form, no second row
    page.goto(live_server.url + f"/umfragen/{poll.pk}/")
    assert "Vielen Dank: Sie haben an dieser Umfrage teilgenommen." in page.content()
    axe(page)
    assert Response.objects.count() == 1
    assert csp_errors == []
