"""The demo's Datenschutz page leads a citizen to their rights (issue 15): a copy of their data,
deleting their account, the status link without an account, the data protection officer's
contact from the site settings, and what the portal processes, read from its declarations."""

import pytest
from bs4 import BeautifulSoup
from django.utils.text import capfirst
from wagtail.models import Site

from portal.cms.models import SiteSettings
from portal.core.privacy import declarations
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def page_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def main_links(soup: BeautifulSoup) -> dict[str, str]:
    return {a.get_text(" ", strip=True): a["href"] for a in soup.main.find_all("a", href=True)}


def test_the_privacy_page_links_the_citizens_rights(client, demo_site):
    soup = page_of(client.get("/datenschutz/"))
    links = main_links(soup)
    assert links["Meine Daten"] == "/konto/meine-daten/"
    assert links["Konto löschen"] == "/konto/loeschen/"
    text = soup.main.get_text(" ", strip=True)
    assert "Ohne Konto öffnen Sie den Link zur Statusseite aus Ihrer Eingangsbestätigung" in text
    # the footer's "Datenschutz" leads here
    assert page_of(client.get("/")).footer.find("a", string="Datenschutz")["href"] == (
        "/datenschutz/"
    )


def test_the_privacy_page_shows_the_data_protection_officer_of_the_site_settings(client, demo_site):
    soup = page_of(client.get("/datenschutz/"))
    contact = soup.main.select_one(".privacy-contact")
    assert contact is not None
    text = contact.get_text(" ", strip=True)
    assert "Datenschutzbeauftragte der Stadt Schwerte" in text
    assert "Rathausstraße 31" in contact.address.get_text()
    assert contact.find("a", href="mailto:datenschutz@schwerte.example") is not None
    assert contact.find("a", href="tel:02304104-0") is not None

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.dpo_name = "Behördlicher Datenschutz"
    settings.dpo_email = "dsb@schwerte.example"
    settings.dpo_phone = ""
    settings.save()
    contact = page_of(client.get("/datenschutz/")).main.select_one(".privacy-contact")
    assert "Behördlicher Datenschutz" in contact.get_text()
    assert contact.find("a", href="mailto:dsb@schwerte.example") is not None
    assert contact.find("a", href=lambda href: bool(href) and href.startswith("tel:")) is None

    settings.dpo_name = settings.dpo_address = settings.dpo_email = ""
    settings.save()
    assert page_of(client.get("/datenschutz/")).main.select_one(".privacy-contact") is None


def test_the_privacy_page_lists_every_declared_processing(client, demo_site):
    soup = page_of(client.get("/datenschutz/"))
    overview = soup.main.select_one(".processing-overview")
    summaries = [s.get_text(strip=True) for s in overview.find_all("summary")]
    assert summaries == sorted({d.category for d in declarations()})
    text = overview.get_text(" ", strip=True)
    for declaration in declarations():
        assert capfirst(declaration.purpose) in text, declaration.model
        assert capfirst(declaration.retention.rule) in text, declaration.model


def test_a_citizen_follows_the_links_to_the_account_pages(client, demo_site):
    citizen = UserFactory()
    client.post("/accounts/login/", {"login": citizen.email, "password": DEFAULT_PASSWORD})
    links = main_links(page_of(client.get("/datenschutz/")))
    assert "Kopie meiner Daten anfordern" in client.get(links["Meine Daten"]).content.decode()
    assert "Konto endgültig löschen" in client.get(links["Konto löschen"]).content.decode()


def test_the_site_settings_form_has_the_data_protection_officer(
    client, demo_site, login_with_second_factor
):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/cms/sitesettings/{site.pk}/"
    soup = page_of(client.get(url))
    for name, label in (
        ("dpo_name", "Datenschutzbeauftragte*r"),
        ("dpo_address", "Anschrift Datenschutz"),
        ("dpo_phone", "Telefon Datenschutz"),
        ("dpo_email", "E-Mail-Adresse Datenschutz"),
    ):
        field = soup.find(attrs={"name": name})
        assert field is not None, name
        assert soup.find("label", attrs={"for": field["id"]}).get_text(strip=True) == label
    assert soup.find("input", attrs={"name": "dpo_email"})["value"] == (
        "datenschutz@schwerte.example"
    )

    form = {
        field["name"]: field.get("value", "")
        for field in soup.select("form input[name]")
        if field.get("type") not in ("checkbox", "submit")
    }
    form |= {t["name"]: t.get_text() for t in soup.select("form textarea[name]")}
    form["dpo_email"] = "datenschutz-neu@schwerte.example"
    response = client.post(url, form)
    assert response.status_code == 302
    soup = page_of(client.get("/datenschutz/"))
    assert soup.main.find("a", href="mailto:datenschutz-neu@schwerte.example") is not None

    # the editors can change the page around the two blocks
    privacy_page = SiteSettings.for_site(site).privacy_page
    response = client.get(f"/admin/pages/{privacy_page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "privacy_contact" in html and "processing_overview" in html
