"""The demo catalogue of Schwerte: loaded once, loaded twice, nothing changes."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from demo.content import catalogue as demo
from portal.cms.models import HomePage
from portal.departments.models import Department
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category
from services.catalogue.models import ServiceIndexPage, ServicePage, Topic

pytestmark = pytest.mark.django_db


def counts():
    return (
        Page.objects.count(),
        ServicePage.objects.count(),
        Topic.objects.count(),
        Department.objects.count(),
        Category.objects.count(),
        Revision.objects.count(),
    )


def test_demo_catalogue_is_realistic_and_idempotent(client, demo_site):
    services = ServicePage.objects.live()
    total = services.count()
    online = services.filter(is_online=True).count()
    assert total >= 25
    assert 0.4 <= online / total <= 0.6  # about half of them online
    assert services.filter(has_epayment=True).exists()
    assert not services.filter(has_epayment=True, is_online=False).exists()
    assert services.exclude(external_url="").filter(external_portal_name="Servicekonto.NRW")
    assert services.filter(external_portal_name__contains="Wirtschafts-Service-Portal.NRW")
    assert Topic.objects.filter(name="Familie und Kinder").exists()
    assert not services.filter(topics__isnull=True, department__isnull=True).exists()
    # no invented LeiKa keys
    assert not services.exclude(leika_key="").exists()

    # the four code-defined forms, each with its application category and department
    expected = {
        demo.FORM_PERSONENSTANDSURKUNDE: ("Standesamt", True, True),
        demo.FORM_FLURKARTE: ("Vermessungs- und Katasteramt", True, True),
        demo.FORM_SPERRMUELL: ("Stadtreinigung (Technische Betriebe)", False, False),
        demo.FORM_BUECHEREIAUSWEIS: ("Stadtbücherei", True, True),
    }
    for key, (department, has_fee, has_epayment) in expected.items():
        service = services.get(form_key=key)
        assert service.is_online
        assert (service.department.name, service.has_fee, service.has_epayment) == (
            department,
            has_fee,
            has_epayment,
        )
        assert service.category.kind == CategoryKind.APPLICATION
        assert service.category.default_department == service.department
        assert 1 <= service.category.sla_days <= 15
    urkunde = services.get(form_key=demo.FORM_PERSONENSTANDSURKUNDE)
    assert str(urkunde.published_fee_amount) == "12.00"  # from the form's fee schedule

    # the home page leads to the catalogue, which renders
    index = ServiceIndexPage.objects.get()
    home = HomePage.objects.get()
    assert index.get_parent().pk == home.pk
    assert any(tile.value["page"].pk == index.pk for tile in home.tiles)
    home_html = client.get("/").content.decode()
    assert f'href="{index.url}"' in home_html
    html = client.get(index.url).content.decode()
    assert f"{total} Leistungen, davon {online} online" in html

    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before
