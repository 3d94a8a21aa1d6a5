"""The public catalogue: KPI summary, search, Lebenslagen, filters, paging, constant queries."""

import re

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from services.catalogue.views import PER_PAGE

from .conftest import make_service, make_topic

# query counts measure the rendering of what is asked for twice
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_parts_off")]


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> list[str]:
    """The service titles the result list shows, in order."""
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def services(service_factory, department):
    family = make_topic("Familie und Kinder", "familie-und-kinder", icon="family", sort_order=10)
    papers = make_topic("Ausweise und Dokumente", "ausweise-und-dokumente", sort_order=20)
    return {
        "urkunde": service_factory(
            title="Personenstandsurkunde beantragen",
            teaser="Geburtsurkunde, Eheurkunde oder Sterbeurkunde bestellen.",
            topics=[family, papers],
            department=department,
            is_online=True,
            has_fee=True,
            has_epayment=True,
            form_key="personenstandsurkunde",
        ),
        "ausweis": service_factory(
            title="Personalausweis beantragen",
            teaser="Persönlich im Bürgerbüro.",
            body="<p>Bringen Sie ein biometrisches Lichtbild mit.</p>",
            topics=[papers],
            has_fee=True,
            fee_amount="37.00",
            leika_key="99123456789012",
        ),
        "sperrmuell": service_factory(
            title="Sperrmüll anmelden",
            teaser="Abholtermin vereinbaren.",
            is_online=True,
        ),
        "entwurf": service_factory(
            title="Geheimer Entwurf", teaser="Noch nicht fertig.", live=False
        ),
    }


def test_index_lists_services_a_to_z_with_kpi_summary(client, services):
    html = html_of(client.get("/leistungen/"))
    assert "3 Leistungen, davon 2 online, 1 online bezahlbar" in html
    assert listed(html) == [
        "Personalausweis beantragen",
        "Personenstandsurkunde beantragen",
        "Sperrmüll anmelden",
    ]
    assert "Geheimer Entwurf" not in html
    # letters as headings, KPI flags in words
    assert re.search(r'catalogue-letter__title"[^>]*>P</h3>', html)
    assert "online bezahlbar</li>" in html and "gebührenfrei</li>" in html
    assert "Gebühr: 12,00 €" in html
    # Lebenslagen as entry points, with their number of services
    assert 'href="?thema=ausweise-und-dokumente"' in html
    assert "2 Leistungen" in html


def test_search_finds_words_inside_german_compounds(client, services):
    html = html_of(client.get("/leistungen/", {"q": "ausweis"}))
    assert listed(html) == ["Personalausweis beantragen"]
    assert "1 Leistung gefunden für „ausweis“" in html


def test_search_finds_words_of_the_description_and_the_leika_key(client, services):
    assert listed(html_of(client.get("/leistungen/", {"q": "Lichtbild"}))) == [
        "Personalausweis beantragen"
    ]
    assert listed(html_of(client.get("/leistungen/", {"q": "99123456789012"}))) == [
        "Personalausweis beantragen"
    ]
    # every word must match
    assert listed(html_of(client.get("/leistungen/", {"q": "Urkunde Sperrmüll"}))) == []


def test_search_without_hits_gives_advice(client, services):
    html = html_of(client.get("/leistungen/", {"q": "Xylophonorchester"}))
    assert listed(html) == []
    assert "Keine Leistungen gefunden" in html
    assert "Alle Filter zurücksetzen" in html


def test_search_never_shows_drafts(client, services):
    assert listed(html_of(client.get("/leistungen/", {"q": "Geheimer"}))) == []


def test_topic_and_flag_filters(client, services):
    html = html_of(client.get("/leistungen/", {"thema": "familie-und-kinder"}))
    assert listed(html) == ["Personenstandsurkunde beantragen"]
    assert "in „Familie und Kinder“" in html
    assert '<option value="familie-und-kinder" selected>' in html

    html = html_of(client.get("/leistungen/", {"online": "on"}))
    assert listed(html) == ["Personenstandsurkunde beantragen", "Sperrmüll anmelden"]
    assert "2 Leistungen gefunden" in html
    assert 'name="online" id="id_online" checked' in html

    html = html_of(client.get("/leistungen/", {"bezahlbar": "on"}))
    assert listed(html) == ["Personenstandsurkunde beantragen"]

    html = html_of(client.get("/leistungen/", {"thema": "ausweise-und-dokumente", "q": "Ausweis"}))
    assert listed(html) == ["Personalausweis beantragen"]
    # the KPI summary always counts the whole catalogue
    assert "3 Leistungen, davon 2 online, 1 online bezahlbar" in html


def test_unknown_filter_values_are_ignored(client, services):
    html = html_of(client.get("/leistungen/", {"thema": "gibt-es-nicht", "ansicht": "x"}))
    assert len(listed(html)) == 3


def test_view_by_topic_groups_services(client, services):
    html = html_of(client.get("/leistungen/", {"ansicht": "lebenslagen"}))
    groups = re.findall(r'<h3 class="catalogue-group__title" id="([^"]+)"', html)
    assert groups == ["thema-familie-und-kinder", "thema-ausweise-und-dokumente", "thema-ohne"]
    family = html[html.index('id="thema-familie-und-kinder"') : html.index('id="thema-ausweise')]
    assert listed(family) == ["Personenstandsurkunde beantragen"]
    rest = html[html.index('id="thema-ohne"') :]
    assert "Weitere Leistungen" in rest and listed(rest) == ["Sperrmüll anmelden"]
    assert 'value="lebenslagen" id="id_ansicht_1" checked' in html


def test_private_services_and_catalogues_stay_hidden(client, services, catalogue):
    PageViewRestriction.objects.create(
        page=services["ausweis"], restriction_type=PageViewRestriction.LOGIN
    )
    html = html_of(client.get("/leistungen/"))
    assert "Personalausweis beantragen" not in html
    assert "2 Leistungen, davon 2 online" in html


def test_paging_keeps_the_filters(client, service_factory, department):
    for number in range(PER_PAGE + 3):
        service_factory(
            title=f"Online-Leistung {number:02d}", is_online=True, department=department
        )
    service_factory(title="Vor Ort", department=department)
    html = html_of(client.get("/leistungen/", {"online": "on"}))
    assert len(listed(html)) == PER_PAGE
    assert f"{PER_PAGE + 3} Leistungen gefunden" in html
    assert 'href="?online=on&amp;ansicht=az&amp;seite=2"' in html or (
        'href="?online=on&amp;seite=2"' in html
    )
    page_two = html_of(client.get("/leistungen/", {"online": "on", "seite": "2"}))
    assert listed(page_two) == ["Online-Leistung 20", "Online-Leistung 21", "Online-Leistung 22"]
    assert "Vor Ort" not in page_two


def test_index_works_for_an_empty_catalogue(client, catalogue):
    html = html_of(client.get("/leistungen/"))
    assert "0 Leistungen, davon 0 online, 0 online bezahlbar" in html
    assert "Keine Leistungen gefunden" in html


# --- the acceptance criterion: a constant number of queries --------------------------------------
def _fill(catalogue, department, topics, count):
    for number in range(count):
        make_service(
            catalogue,
            title=f"Leistung {number:03d}",
            slug=f"leistung-{number:03d}",
            department=department,
            topics=[topics[number % len(topics)]],
            is_online=number % 2 == 0,
            has_fee=number % 3 == 0,
            has_epayment=number % 6 == 0,
        )


def _queries(client, django_assert_max_num_queries, url, params, limit):
    cache.clear()
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


VIEWS = {
    "a-z": {},
    "by-topic": {"ansicht": "lebenslagen"},
    "search": {"q": "Leistung", "online": "on"},
    "topic": {"thema": "t1"},
    "page-2": {"seite": "2"},
}


@pytest.mark.slow
def test_index_with_500_services_renders_in_constant_queries(
    client, catalogue, department, django_assert_max_num_queries
):
    topics = [make_topic(f"Thema {n}", f"t{n}") for n in range(8)]
    _fill(catalogue, department, topics, 5)
    client.get("/leistungen/")  # warm Django's per-process caches (content types)
    few = {
        name: _queries(client, django_assert_max_num_queries, "/leistungen/", params, 25)
        for name, params in VIEWS.items()
    }
    for number in range(495):
        make_service(
            catalogue,
            title=f"Weitere {number:03d}",
            slug=f"weitere-{number:03d}",
            department=department,
            topics=topics[: 1 + number % 3],
            is_online=number % 2 == 0,
        )
    many = {
        name: _queries(client, django_assert_max_num_queries, "/leistungen/", params, 25)
        for name, params in VIEWS.items()
    }
    assert many == few
