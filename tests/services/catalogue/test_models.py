"""Service pages: the KPI flag rules, the LeiKa key, and where "Online beantragen" leads."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.cms.models import HomePage, StandardPage
from services.catalogue.models import ServiceIndexPage, ServicePage
from services.catalogue.selectors import service_attach_apply_pages
from services.eforms.models import ServiceFormPage

from .conftest import build_service

pytestmark = pytest.mark.django_db


def errors_of(page: ServicePage) -> dict:
    """The errors of publishing the page in the catalogue."""
    catalogue = ServiceIndexPage.objects.get()
    with pytest.raises(ValidationError) as excinfo:
        catalogue.add_child(instance=page)
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    "flags",
    [
        {"is_online": False, "has_fee": True, "has_epayment": True},
        {"is_online": True, "has_fee": False, "has_epayment": True},
        {"is_online": False, "has_fee": False, "has_epayment": True},
    ],
    ids=["not-online", "no-fee", "neither"],
)
def test_epayment_needs_an_online_service_with_a_fee(catalogue, flags):
    errors = errors_of(build_service(**flags))
    assert "has_epayment" in errors
    assert "online möglich und gebührenpflichtig" in errors["has_epayment"][0]


def test_epayment_of_an_online_service_with_a_fee_is_valid(catalogue):
    page = build_service(is_online=True, has_fee=True, has_epayment=True, fee_amount="12.00")
    catalogue.add_child(instance=page)
    assert ServicePage.objects.get(pk=page.pk).has_epayment


def test_fee_amount_needs_the_fee_flag(catalogue):
    errors = errors_of(build_service(has_fee=False, fee_amount="15.00"))
    assert "fee_amount" in errors
    # a fee of zero on a free service is fine (Sperrmüll: "0 €, in der Abfallgebühr enthalten")
    catalogue.add_child(instance=build_service(has_fee=False, fee_amount="0.00"))


def test_a_form_with_a_fee_schedule_leaves_no_room_for_a_second_fee(catalogue):
    """The code-defined form charges by its schedule; the page publishes that one, so the
    editor is told so instead of typing a second fee that would differ."""
    errors = errors_of(
        build_service(
            form_key="personenstandsurkunde",
            is_online=True,
            has_fee=True,
            fee_amount="12.00",
            fee_text="je Urkunde",
        )
    )
    assert errors["fee_amount"] == errors["fee_text"]
    assert "Die Gebühren legt das Online-Formular fest" in errors["fee_amount"][0]
    assert "6,00 € für jede weitere Ausfertigung derselben Urkunde" in errors["fee_amount"][0]
    errors = errors_of(build_service(form_key="personenstandsurkunde", has_fee=False))
    assert "erhebt eine Gebühr" in errors["has_fee"][0]
    errors = errors_of(build_service(form_key="sperrmuell", has_fee=True))
    assert "erhebt keine Gebühr" in errors["has_fee"][0]
    page = build_service(form_key="personenstandsurkunde", is_online=True, has_fee=True)
    catalogue.add_child(instance=page)
    assert page.published_fee_amount == Decimal("12.00")


def test_external_portal_needs_its_name_for_the_button(catalogue):
    errors = errors_of(build_service(external_url="https://servicekonto.nrw/"))
    assert "external_portal_name" in errors


@pytest.mark.parametrize("key", ["1234", "9910201300100", "991020130010001", "9910 2013001000",
                                 "99102O13001000"])  # fmt: skip
def test_leika_key_must_be_fourteen_digits(catalogue, key):
    page = build_service(leika_key=key)
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean(exclude=["path", "depth"])
    assert "14 Ziffern" in excinfo.value.message_dict["leika_key"][0]


def test_valid_and_empty_leika_keys_are_accepted(catalogue, service_factory):
    assert service_factory(leika_key="99123456789012").leika_key == "99123456789012"
    assert service_factory(leika_key="").leika_key == ""


def test_publishing_an_invalid_service_is_refused(catalogue):
    page = build_service(is_online=False, has_fee=True, has_epayment=True)
    with pytest.raises(ValidationError):
        catalogue.add_child(instance=page)
    assert not ServicePage.objects.exists()


def test_published_service_needs_a_department_but_a_draft_does_not(catalogue):
    draft = build_service(department=None)
    draft.live = False
    catalogue.add_child(instance=draft)
    assert ServicePage.objects.get(pk=draft.pk).department is None
    with pytest.raises(ValidationError) as excinfo:
        catalogue.add_child(instance=build_service(department=None))
    assert "department" in excinfo.value.message_dict


def test_page_tree_rules(home, catalogue):
    assert "catalogue.ServiceIndexPage" in [
        f"{m._meta.app_label}.{m.__name__}" for m in HomePage.creatable_subpage_models()
    ]
    assert ServicePage.can_create_at(catalogue)
    assert not ServicePage.can_create_at(home)
    assert not ServiceIndexPage.can_create_at(home)  # there is one already (max_count = 1)
    assert ServicePage.allowed_subpage_models() == [ServiceFormPage]  # editor-built forms


# --- apply_url -----------------------------------------------------------------------------------
def test_apply_url_prefers_external_portal_then_form_then_first_live_child(service_factory):
    both = service_factory(
        external_url="https://servicekonto.nrw/",
        external_portal_name="Servicekonto.NRW",
        form_key="flurkarte",
        has_fee=True,
    )
    assert both.apply_url() == "https://servicekonto.nrw/"

    with_form = service_factory(form_key="flurkarte", has_fee=True)
    assert with_form.apply_url() == "/antraege/flurkarte/"

    with_children = service_factory(slug="mit-formular")
    # editor-built forms will live below the service; any page type stands in for one here
    with_children.add_child(instance=StandardPage(title="Entwurf", slug="a-entwurf", live=False))
    with_children.add_child(instance=StandardPage(title="Antrag", slug="b-antrag"))
    with_children.add_child(instance=StandardPage(title="Zweiter", slug="c-zweiter"))
    with_children.refresh_from_db()
    assert with_children.apply_url() == "/leistungen/mit-formular/b-antrag/"

    assert service_factory().apply_url() is None


def test_apply_urls_of_a_list_need_one_query(service_factory):
    services = [service_factory(slug=f"s{i}") for i in range(5)]
    services[2].add_child(instance=StandardPage(title="Antrag", slug="antrag"))
    services = list(ServicePage.objects.filter(pk__in=[s.pk for s in services]).order_by("path"))
    assert (
        services[0].url is not None
    )  # Wagtail caches the site's root paths; a request does this once anyway
    with CaptureQueriesContext(connection) as queries:
        service_attach_apply_pages(services)
        urls = [service.apply_url() for service in services]
    assert len(queries) == 1
    assert urls == [None, None, "/leistungen/s2/antrag/", None, None]
