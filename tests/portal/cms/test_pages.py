import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from wagtail.models import Page

from portal.accounts.models import User
from portal.cms.models import HomePage, NewsPage, SiteSettings, StandardPage
from portal.departments.models import Department, District

pytestmark = pytest.mark.django_db


def test_home_page_shows_entry_tiles_and_news(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for tile in ("Mängel melden", "Online-Dienste", "Ideen einreichen", "Mitmachen"):
        assert tile in html
    assert "Laubsammlung im November" in html
    assert '<html lang="de"' in html


def test_home_page_renders_in_at_most_ten_queries(client, demo_site, django_assert_max_num_queries):
    cache.clear()  # cold: Wagtail's site paths are not cached yet
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_every_page_links_the_legal_pages_in_the_footer(client, demo_site):
    for url in ("/", "/impressum/", "/aktuelles/", "/suche/?q=Schwerte", "/accounts/login/"):
        html = client.get(url).content.decode()
        for label, href in (
            ("Impressum", "/impressum/"),
            ("Datenschutz", "/datenschutz/"),
            ("Barrierefreiheit", "/barrierefreiheit/"),
            ("Leichte Sprache", "/leichte-sprache/"),
        ):
            assert label in html and f'href="{href}"' in html, (url, label)


def test_standard_page_renders_stream_blocks(client, demo_site):
    response = client.get("/barrierefreiheit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2" in html and "Barriere melden" in html
    assert "Schlichtungsverfahren" in html


def test_search_finds_pages(client, demo_site):
    response = client.get("/suche/", {"q": "Laubsammlung"})
    assert response.status_code == 200
    assert "Laubsammlung im November" in response.content.decode()
    empty = client.get("/suche/", {"q": "Xylophonorchester"})
    assert empty.status_code == 200
    assert "Laubsammlung" not in empty.content.decode()


@pytest.mark.parametrize("query", ['Laub"sammlung', '"Laubsammlung', '""'])
def test_search_with_quotation_marks_answers(client, demo_site, query):
    # SQLite's full-text syntax refused an odd number of quotation marks (a 500)
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    catalogue = client.get("/leistungen/", {"q": query})
    assert catalogue.status_code == 200


def test_search_with_overlong_query_is_cut(client, demo_site):
    response = client.get("/suche/", {"q": "a" * 5000})
    assert response.status_code == 200


def test_news_index_lists_news_newest_first(client, demo_site):
    html = client.get("/aktuelles/").content.decode()
    assert (
        html.index("Ruhrufer Westhofen")
        < html.index("Laubsammlung")
        < html.index("Das neue Bürgerportal ist online")
    )


def test_unknown_page_gets_designed_404(client, demo_site):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert 'href="/impressum/"' in html  # the site's footer, not a bare error


def test_500_page_is_designed_and_self_contained(client, demo_site):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert '<html lang="de"' in html
    assert "portal.css" in html


def test_load_demo_twice_changes_nothing(demo_site):
    def counts():
        return (
            Page.objects.count(),
            User.objects.count(),
            Department.objects.count(),
            District.objects.count(),
            NewsPage.objects.count(),
            SiteSettings.objects.count(),
        )

    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before
    assert Department.objects.count() >= 12
    assert HomePage.objects.count() == 1
    assert StandardPage.objects.filter(slug="barrierefreiheit").exists()


def test_demo_site_has_schwerte_districts(demo_site):
    names = set(District.objects.values_list("name", flat=True))
    assert {"Schwerte-Mitte", "Ergste", "Westhofen", "Villigst", "Geisecke"} <= names
