"""The demo city offers the four code-defined forms and one editor-built form; every one of them
starts, counts its steps alike everywhere and names the fee its service page publishes."""

import html as html_lib
import io
import re

import pytest
from django.core.management import call_command

from portal.accounts.models import User
from services.catalogue.models import ServicePage
from services.eforms.models import ServiceFormPage
from services.eforms.registry import form_choices
from services.eforms.selectors import service_for_form

pytestmark = pytest.mark.django_db

CITIZEN = "buerger@schwerte.example"


def text_of(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def stage_list(html: str) -> list[str]:
    """The steps the start page announces."""
    found = re.search(r'<ol class="start-steps">(.*?)</ol>', html, re.S)
    assert found, "the start page lists no steps"
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def progress(html: str) -> list[str]:
    """The steps of the progress indicator, without the screen-reader "(erledigt)"."""
    items = re.findall(r'<li class="progress-steps__item[^"]*"[^>]*>(.*?)</li>', html, re.S)
    return [
        text_of(re.sub(r'<span class="(progress-steps__number|visually-hidden)".*?</span>', "", i))
        for i in items
    ]


def heading(html: str) -> str:
    return text_of(re.search(r'<h1 class="page-title">(.*?)</h1>', html, re.S).group(1))


def fee_line(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return text_of(found.group(1))


def test_every_form_is_offered_by_a_service_and_the_demo_loads_twice(demo_site, client):
    call_command("load_demo", stdout=io.StringIO())  # a second time changes nothing
    for key, _title in form_choices():
        service = service_for_form(key)
        assert service is not None, key
        assert service.category.default_department_id == service.department_id
    form_page = ServiceFormPage.objects.get()
    service = service_for_form(form_page.form_key)
    assert service.apply_url() == form_page.url
    assert "Antrag beginnen" in client.get(form_page.url).content.decode()


def test_every_live_form_starts_and_counts_its_steps_alike(demo_site, client):
    """Start page ("in N Schritten"), progress indicator and "Schritt x von N" agree, for the
    code-defined forms and for the editor-built one, whose service has no category."""
    client.force_login(User.objects.get(email=CITIZEN))
    forms = [
        (service, f"/antraege/{service.form_key}/", service.form_key)
        for service in ServicePage.objects.live().exclude(form_key="")
    ]
    for form_page in ServiceFormPage.objects.live():
        forms.append((form_page.get_parent().specific, form_page.url, form_page.form_key))
    assert len(forms) == 5
    assert any(service.category is None for service, _url, _key in forms)

    for service, start_url, key in forms:
        start = client.get(start_url)
        assert start.status_code == 200, start_url
        html = start.content.decode()
        stages = stage_list(html)
        total = int(re.search(r"Ihr Antrag in (\d+) Schritten", html).group(1))
        assert len(stages) == total, start_url
        # the start page names the fee the service page publishes
        published = fee_line(
            client.get(service.url).content.decode(), r'<dd class="catalogue-fee">(.*?)</dd>'
        )
        assert fee_line(html, r'<p class="start-fee">(.*?)</p>') == f"Gebühr: {published}"

        started = client.post(f"/antraege/{key}/")
        assert started.status_code == 302, key
        first = client.get(started["Location"])
        assert first.status_code == 200, key
        html = first.content.decode()
        assert heading(html) == f"Schritt 1 von {total}: {stages[0]}"
        assert progress(html) == stages

        review = client.get(started["Location"].replace("schritt/1/", "pruefen/"))
        html = review.content.decode()
        assert heading(html) == f"Schritt {total} von {total}: {stages[-1]}"
        assert progress(html) == stages
