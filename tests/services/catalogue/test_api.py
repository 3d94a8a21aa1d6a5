"""`/api/v1/services/`: the public, read-only catalogue API."""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from services.catalogue.models import ServiceIndexPage

from .conftest import make_service, make_topic

# query counts measure the rendering of what is asked for twice
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_parts_off")]


@pytest.fixture
def services(service_factory, department):
    family = make_topic("Familie und Kinder", "familie-und-kinder")
    return {
        "urkunde": service_factory(
            title="Personenstandsurkunde beantragen",
            slug="personenstandsurkunde",
            teaser="Geburtsurkunde bestellen.",
            body='<p>Urkunden aus dem <a href="https://example.org/">Register</a>.</p>',
            topics=[family],
            department=department,
            is_online=True,
            has_fee=True,
            has_epayment=True,
            documents=[("Personalausweis", "bei Abholung")],
            form_key="personenstandsurkunde",
            leika_key="99123456789012",
        ),
        "gewerbe": service_factory(
            title="Gewerbe anmelden",
            slug="gewerbe-anmelden",
            is_online=True,
            has_fee=True,
            fee_amount="26.00",
            external_url="https://service.wirtschaft.nrw/",
            external_portal_name="Wirtschafts-Service-Portal.NRW",
        ),
        "ausweis": service_factory(title="Personalausweis beantragen", slug="personalausweis"),
        "entwurf": service_factory(title="Entwurf", slug="entwurf", live=False),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_list_shows_published_services_a_to_z(client, services):
    response = client.get("/api/v1/services/")
    body = response.json()
    assert titles(response) == [
        "Gewerbe anmelden",
        "Personalausweis beantragen",
        "Personenstandsurkunde beantragen",
    ]
    assert body["count"] == 3 and body["next"] is None
    urkunde = body["results"][2]
    assert urkunde["slug"] == "personenstandsurkunde"
    assert urkunde["url"] == "http://testserver/leistungen/personenstandsurkunde/"
    assert urkunde["topics"] == [{"slug": "familie-und-kinder", "name": "Familie und Kinder"}]
    assert urkunde["department"]["name"] == "Standesamt"
    assert (urkunde["is_online"], urkunde["has_fee"], urkunde["has_epayment"]) == (True,) * 3
    # the fee the online form charges by, as the page publishes it
    assert urkunde["fee_amount"] == "12.00"
    assert urkunde["fee_text"] == (
        "12,00 € für die erste Urkunde; 6,00 € für jede weitere Ausfertigung derselben Urkunde"
    )
    assert body["results"][0]["fee_amount"] == "26.00"  # without a form: the page's own
    assert urkunde["leika_key"] == "99123456789012"
    assert urkunde["required_documents"] == [{"name": "Personalausweis", "note": "bei Abholung"}]
    assert urkunde["apply_url"] == "http://testserver/antraege/personenstandsurkunde/"
    assert body["results"][0]["apply_url"] == "https://service.wirtschaft.nrw/"
    assert body["results"][1]["apply_url"] is None
    # no external portal: null, not "" (which the schema's `format: uri` does not allow)
    assert body["results"][0]["external_url"] == "https://service.wirtschaft.nrw/"
    assert urkunde["external_url"] is None
    assert "description" not in urkunde  # the list stays light


def test_hidden_services_never_appear(client, services, catalogue):
    PageViewRestriction.objects.create(
        page=services["ausweis"], restriction_type=PageViewRestriction.LOGIN
    )
    assert "Personalausweis beantragen" not in titles(client.get("/api/v1/services/"))
    assert client.get("/api/v1/services/personalausweis/").status_code == 404
    assert client.get("/api/v1/services/entwurf/").status_code == 404
    assert client.get(f"/api/v1/services/{services['entwurf'].pk}/").status_code == 404

    # an unpublished catalogue takes its services with it
    ServiceIndexPage.objects.get().unpublish()
    assert titles(client.get("/api/v1/services/")) == []


def test_filters_and_search(client, services):
    get = client.get
    assert titles(get("/api/v1/services/", {"topic": "familie-und-kinder"})) == [
        "Personenstandsurkunde beantragen"
    ]
    assert titles(get("/api/v1/services/", {"online": "true"})) == [
        "Gewerbe anmelden",
        "Personenstandsurkunde beantragen",
    ]
    assert titles(get("/api/v1/services/", {"online": "false"})) == ["Personalausweis beantragen"]
    assert titles(get("/api/v1/services/", {"epayment": "true"})) == [
        "Personenstandsurkunde beantragen"
    ]
    assert titles(get("/api/v1/services/", {"q": "ausweis"})) == ["Personalausweis beantragen"]
    assert titles(get("/api/v1/services/", {"q": "Entwurf"})) == []
    assert titles(get("/api/v1/services/", {"topic": "gibt-es-nicht"})) == []


def test_wrong_parameters_are_a_400_naming_the_field(client, services):
    response = client.get("/api/v1/services/", {"online": "vielleicht"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["online"]
    assert client.get("/api/v1/services/", {"q": "x" * 201}).status_code == 400


def test_single_service_by_slug_or_id(client, services):
    urkunde = services["urkunde"]
    by_slug = client.get("/api/v1/services/personenstandsurkunde/")
    assert by_slug.status_code == 200
    body = by_slug.json()
    assert body["id"] == urkunde.pk
    assert '<a href="https://example.org/">Register</a>' in body["description"]
    assert body["contact"] == ""
    assert client.get(f"/api/v1/services/{urkunde.pk}/").json()["slug"] == "personenstandsurkunde"
    assert client.get("/api/v1/services/gibt-es-nicht/").status_code == 404


def test_api_is_public_and_read_only(client, services):
    assert client.post("/api/v1/services/", {}).status_code in (401, 403, 405)
    assert client.delete("/api/v1/services/personenstandsurkunde/").status_code in (401, 403, 405)


@pytest.mark.slow
def test_list_with_500_services_needs_constant_queries(
    client, catalogue, department, django_assert_max_num_queries
):
    topics = [make_topic(f"Thema {n}", f"t{n}") for n in range(5)]

    def fill(start, count):
        for number in range(start, start + count):
            make_service(
                catalogue,
                title=f"Leistung {number:03d}",
                slug=f"leistung-{number:03d}",
                department=department,
                topics=topics[: 1 + number % 3],
                is_online=number % 2 == 0,
                documents=[("Ausweis", "")],
            )

    def count_queries(params) -> int:
        cache.clear()
        with django_assert_max_num_queries(12) as captured:
            assert client.get("/api/v1/services/", params).status_code == 200
        return len(captured)

    fill(0, 5)
    client.get("/api/v1/services/")  # warm Django's per-process caches
    few = [count_queries({"limit": 200}), count_queries({"q": "Leistung", "online": "true"})]
    fill(5, 495)
    response = client.get("/api/v1/services/", {"limit": 200})
    assert response.json()["count"] == 500 and len(response.json()["results"]) == 200
    many = [count_queries({"limit": 200}), count_queries({"q": "Leistung", "online": "true"})]
    assert many == few


def test_schema_documents_the_endpoint(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    assert "/api/v1/services/:" in schema
    assert "/api/v1/services/{id_or_slug}/:" in schema
    assert "Leistungskatalog" in schema
    assert "epayment" in schema
