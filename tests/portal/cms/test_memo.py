"""What every CMS page looks up (the site, the route to the page, its view restrictions, the main
menu and the site settings) is kept per process while nothing public changes (portal.cms.memo,
portal.core.pagecache.remembered): a signed-in person's page costs only the session and the user,
and every change an editor makes is there on the next page all the same."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from portal.cms.models import SiteSettings, StandardPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

KEPT_TABLES = (
    "wagtailcore_site",
    "wagtailcore_page",
    "wagtailcore_pageviewrestriction",
    "cms_sitesettings",
    "auth_permission",
)


@pytest.fixture
def signed_in(client, demo_site):
    client.force_login(UserFactory())
    return client


def page_html(client, url="/impressum/") -> str:
    """The page, without the CSRF token (masked anew for every page)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF_TOKEN.sub("", response.content.decode())


def test_a_signed_in_page_reads_only_the_session_and_the_user_again(signed_in):
    first = page_html(signed_in)
    with CaptureQueriesContext(connection) as queries:
        again = page_html(signed_in)
    assert again == first
    tables = [query["sql"] for query in queries if any(t in query["sql"] for t in KEPT_TABLES)]
    assert tables == []
    assert len(queries) <= 2  # the session and the user


def test_an_editors_changes_are_on_the_next_page(signed_in):
    page_html(signed_in)
    impressum = StandardPage.objects.get(url_path__endswith="/impressum/")

    # a new title, published
    impressum.title = "Impressum der Stadt"
    impressum.save_revision().publish()
    assert "Impressum der Stadt" in page_html(signed_in)

    # a new page in the main menu
    home = Page.objects.get(depth=2)
    home.add_child(
        instance=StandardPage(title="Bürgerhaushalt", slug="haushalt", show_in_menus=True)
    )
    assert 'href="/haushalt/"' in page_html(signed_in)
    assert "Bürgerhaushalt" in page_html(signed_in, "/haushalt/")

    # the footer's telephone number
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_phone = "02304 104-999"
    settings.save()
    assert "02304 104-999" in page_html(signed_in)

    # a page only for a group the person is not in
    restriction = PageViewRestriction.objects.create(
        page=impressum, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([1])
    assert signed_in.get("/impressum/").status_code != 200
    restriction.delete()
    assert signed_in.get("/impressum/").status_code == 200

    # unpublished: gone
    impressum.unpublish()
    assert signed_in.get("/impressum/").status_code == 404


def test_a_changed_address_leads_to_the_page(signed_in):
    page_html(signed_in)
    impressum = StandardPage.objects.get(url_path__endswith="/impressum/")
    impressum.slug = "anbieterkennzeichnung"
    impressum.save_revision().publish()
    assert signed_in.get("/impressum/").status_code in (301, 302, 404)
    assert "Impressum" in page_html(signed_in, "/anbieterkennzeichnung/")


def test_pages_render_while_redis_is_unreachable(signed_in, settings):
    page_html(signed_in)
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    impressum = StandardPage.objects.get(url_path__endswith="/impressum/")
    impressum.title = "Impressum (neu)"
    impressum.save_revision().publish()
    assert "Impressum (neu)" in page_html(signed_in)
