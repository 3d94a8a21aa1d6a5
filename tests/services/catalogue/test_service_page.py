"""The page of one service: flags in words, fee, documents, contact and the apply button."""

import pytest

from tests.factories import DepartmentFactory

from .conftest import make_topic

pytestmark = pytest.mark.django_db


def html_of(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_service_page_shows_everything_a_citizen_needs(client, service_factory, department):
    service = service_factory(
        title="Personenstandsurkunde beantragen",
        teaser="Geburtsurkunde bestellen.",
        body="<p>Das Standesamt stellt Urkunden aus.</p>",
        topics=[make_topic("Familie und Kinder", "familie")],
        department=department,
        is_online=True,
        has_fee=True,
        has_epayment=True,
        documents=[("Personalausweis", "bei Abholung"), ("Vollmacht", "")],
        processing_time="3 bis 5 Werktage",
        legal_basis="§ 55 Personenstandsgesetz (PStG)",
        leika_key="99123456789012",
        form_key="personenstandsurkunde",
    )
    html = html_of(client, service)
    assert "<h1" in html and "Personenstandsurkunde beantragen" in html
    assert "Familie und Kinder" in html
    # the KPI flags as words, not colours
    for flag in ("online möglich", "Gebühr: 12,00 €", "online bezahlbar"):
        assert f"{flag}</li>" in html
    # the fee schedule the online form charges by, never a second text
    assert (
        "12,00 € für die erste Urkunde; 6,00 € für jede weitere Ausfertigung derselben Urkunde"
        in html
    )
    assert "Personalausweis <span" in html and "(bei Abholung)" in html and "Vollmacht</li>" in html
    assert "3 bis 5 Werktage" in html
    assert "§ 55 Personenstandsgesetz (PStG)" in html
    assert "99123456789012" in html
    assert "Das Standesamt stellt Urkunden aus." in html
    # the department's address stands in for a missing contact text
    assert 'href="mailto:standesamt@stadt.example"' in html
    # the prominent button leads to the portal's own form
    assert 'href="/antraege/personenstandsurkunde/" itemprop="url">Online beantragen</a>' in html
    assert "Die Gebühr bezahlen Sie am Ende des Antrags online." in html
    assert 'itemtype="https://schema.org/GovernmentService"' in html
    assert 'href="/leistungen/">Alle Leistungen</a>' in html


def test_external_portal_gets_its_own_button(client, service_factory):
    service = service_factory(
        is_online=True,
        external_url="https://service.wirtschaft.nrw/",
        external_portal_name="Wirtschafts-Service-Portal.NRW",
    )
    html = html_of(client, service)
    assert (
        'href="https://service.wirtschaft.nrw/" itemprop="url">Zum Wirtschafts-Service-Portal.NRW'
        in html
    )
    assert "Sie verlassen dafür das Bürgerportal." in html


def test_service_without_online_way_has_no_button_and_says_so(client, service_factory):
    service = service_factory(contact="Bürgerbüro, Rathausstraße 31\nTelefon 02304 104-0")
    html = html_of(client, service)
    assert "Online beantragen" not in html
    assert "noch nicht online</li>" in html and "gebührenfrei</li>" in html
    assert "nein, bitte persönlich oder schriftlich" in html
    # the page's own contact text wins over the department
    assert "Rathausstraße 31<br>Telefon 02304 104-0" in html
    assert "mailto:" not in html


def test_a_service_without_a_form_publishes_its_own_fee(client, service_factory):
    html = html_of(client, service_factory(has_fee=True, fee_amount="30.00", fee_text="je Jahr"))
    assert '<dd class="catalogue-fee">30,00 € – je Jahr</dd>' in html
    free = html_of(client, service_factory(has_fee=False, fee_text="für Anwohner"))
    assert '<dd class="catalogue-fee">gebührenfrei – für Anwohner</dd>' in free


def test_fee_without_amount_reads_as_text(client, service_factory):
    html = html_of(client, service_factory(has_fee=True, fee_text="nach Aufwand"))
    assert "gebührenpflichtig</li>" in html
    assert "nach Aufwand" in html


def test_draft_service_is_not_public(client, service_factory):
    draft = service_factory(live=False, department=DepartmentFactory())
    assert client.get("/leistungen/" + draft.slug + "/").status_code == 404
