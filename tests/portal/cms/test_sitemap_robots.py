"""Search engines find the public pages through /sitemap.xml and keep out of personal ones."""

from xml.etree import ElementTree

import pytest
from django.test import override_settings
from wagtail.models import Page, PageViewRestriction, Site

from portal.cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db

PUBLIC = "https://buergerportal.schwerte.example"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def public_address():
    with override_settings(BASE_URL=PUBLIC):
        yield


@pytest.fixture
def site(db):
    """A home page with two public pages, the default site's root (as the demo's: "localhost")."""
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Bürgerportal", slug="startseite")
    )
    Site.objects.update(root_page=home, hostname="localhost", port=80)
    for title, slug in (("Impressum", "impressum"), ("Barrierefreiheit", "barrierefreiheit")):
        home.add_child(instance=StandardPage(title=title, slug=slug))
    return home


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def test_sitemap_lists_the_public_pages_with_the_portals_address(client, site, public_address):
    locations = sitemap_locations(client)
    assert sorted(locations) == [
        PUBLIC + "/",
        PUBLIC + "/barrierefreiheit/",
        PUBLIC + "/impressum/",
    ]
    # not the demo Site's hostname ("localhost") nor a relative path


def test_sitemap_leaves_out_private_and_unpublished_pages(client, site, public_address):
    private = site.add_child(instance=StandardPage(title="Nur für Personal", slug="intern"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    site.add_child(instance=StandardPage(title="Entwurf", slug="entwurf", live=False))
    assert client.get("/intern/").status_code == 302  # the page itself asks for a login

    locations = sitemap_locations(client)
    assert PUBLIC + "/impressum/" in locations
    assert PUBLIC + "/intern/" not in locations
    assert PUBLIC + "/entwurf/" not in locations


def test_robots_txt_keeps_crawlers_out_of_personal_pages_and_names_the_sitemap(
    client, site, public_address
):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/accounts/", "/konto/", "/antraege/", "/bezahlen/", "/_util/"):
        assert f"Disallow: {path}" in lines, path
    assert "Disallow: /" not in lines  # the public pages stay open
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines
    # the sitemap named there is served
    assert client.get("/sitemap.xml").status_code == 200
