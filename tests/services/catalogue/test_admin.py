"""Editing the catalogue in the Wagtail admin: Lebenslagen, the service form, the KPI report."""

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.tickets.constants import CategoryKind
from services.catalogue.forms import form_key_choices
from services.catalogue.models import ServicePage, Topic
from tests.factories import CategoryFactory, UserFactory

from .conftest import make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def service_form(department, **overrides) -> dict:
    data = {
        "title": "Flurkarte bestellen",
        "slug": "flurkarte",
        "teaser": "Auszug aus dem Liegenschaftskataster.",
        "body": rich_text("<p>Die Flurkarte zeigt Grenzen.</p>"),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "fee_amount": "15.00",
        "fee_text": "je Auszug",
        "form_key": "",
        "external_url": "",
        "external_portal_name": "",
        "category": "",
        "required_documents": streamfield(
            [("document", {"name": "Angaben zum Grundstück", "note": ""})]
        ),
        "processing_time": "1 bis 2 Werktage",
        "leika_key": "",
        "legal_basis": "VermKatG NRW",
        "department": department.pk,
        "contact": "",
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_publishes_a_service(editor, catalogue, department):
    topic = make_topic("Wohnen und Bauen", "wohnen-und-bauen")
    response = editor.post(
        f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/",
        {**service_form(department), "topics": [topic.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    service = ServicePage.objects.get(slug="flurkarte")
    assert service.live and service.has_epayment
    assert list(service.topics.all()) == [topic]
    assert [block.value["name"] for block in service.required_documents] == [
        "Angaben zum Grundstück"
    ]


def test_kpi_rule_is_shown_to_the_editor(editor, catalogue, department):
    response = editor.post(
        f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/",
        service_form(department, is_online=False),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Online bezahlen kann man nur Leistungen, die online möglich und" in html
    assert not ServicePage.objects.exists()


def test_form_key_offers_the_registered_forms_and_rejects_others(
    editor, catalogue, department, monkeypatch
):
    monkeypatch.setattr(
        "services.catalogue.forms.online_form_choices",
        lambda: [("flurkarte", "Flurkarte bestellen"), ("sperrmuell", "Sperrmüll anmelden")],
    )
    html = editor.get(f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/").content.decode()
    assert '<option value="flurkarte">Flurkarte bestellen</option>' in html
    assert '<option value="sperrmuell">Sperrmüll anmelden</option>' in html

    response = editor.post(
        f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/",
        service_form(department, form_key="gibt-es-nicht"),
    )
    assert response.status_code == 200
    assert not ServicePage.objects.exists()

    # the form charges by its own fee schedule: a second fee on the page is refused, in German
    response = editor.post(
        f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/",
        service_form(department, form_key="flurkarte"),
    )
    assert response.status_code == 200
    assert "Die Gebühren legt das Online-Formular fest" in response.content.decode()
    assert not ServicePage.objects.exists()

    response = editor.post(
        f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/",
        service_form(department, form_key="flurkarte", fee_amount="", fee_text=""),
    )
    assert response.status_code == 302
    assert ServicePage.objects.get().form_key == "flurkarte"


def test_form_choices_are_asked_for_when_a_form_is_built(monkeypatch):
    monkeypatch.setattr(
        "services.catalogue.forms.online_form_choices", lambda: [("neu", "Neues Formular")]
    )
    assert ("neu", "Neues Formular") in form_key_choices()
    # a page's key whose form is not registered stays selectable, so saving keeps it
    keys = [key for key, _label in form_key_choices("alt")]
    assert keys == ["", "neu", "alt"]


def test_category_choice_offers_application_categories_only(editor, catalogue):
    CategoryFactory(name="Straßenschäden", kind=CategoryKind.REPORT)
    CategoryFactory(name="Antrag: Flurkarte", kind=CategoryKind.APPLICATION)
    html = editor.get(f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/").content.decode()
    assert "Antrag: Flurkarte" in html
    assert "Straßenschäden" not in html
    assert "ihr Fachbereich erhält sie" in html


def test_topics_are_snippets(editor):
    response = editor.post(
        "/admin/snippets/catalogue/topic/add/",
        {
            "name": "Gewerbe",
            "slug": "gewerbe",
            "description": "",
            "icon": "briefcase",
            "sort_order": 70,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Topic.objects.get().name == "Gewerbe"
    assert "Gewerbe" in editor.get("/admin/snippets/catalogue/topic/").content.decode()


def test_report_category_cannot_be_chosen(editor, catalogue, department):
    report_category = CategoryFactory(kind=CategoryKind.REPORT)
    response = editor.post(
        f"/admin/pages/add/catalogue/servicepage/{catalogue.pk}/",
        service_form(department, category=report_category.pk),
    )
    assert response.status_code == 200
    assert not ServicePage.objects.exists()


def test_kpi_figures_report(editor, service_factory):
    family = make_topic("Familie und Kinder", "familie")
    service_factory(topics=[family], is_online=True, has_fee=True, has_epayment=True)
    service_factory(topics=[family], has_fee=True)
    service_factory(is_online=True)
    service_factory(topics=[family], is_online=True, live=False)
    response = editor.get("/admin/leistungskatalog/kennzahlen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leistungskatalog – Kennzahlen" in html
    assert "<dd>3</dd>" in html  # drafts do not count
    assert "2 (67 %)" in html  # online
    assert "1 (50 % der gebührenpflichtigen)" in html  # online payable
    row = html[html.index("Familie und Kinder</th>") :]
    assert row.split("</tr>")[0].count("<td>") == 4
    assert "<td>2</td>" in row.split("</tr>")[0]
    assert "/admin/leistungskatalog/kennzahlen/" in editor.get("/admin/").content.decode()


def test_kpi_figures_need_the_admin(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory())
    assert client.get("/admin/leistungskatalog/kennzahlen/").status_code in (302, 403)


def test_kpi_figures_are_open_to_every_editor(client, login_with_second_factor):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Redaktion"))
    login_with_second_factor(client, editor)
    assert client.get("/admin/leistungskatalog/kennzahlen/").status_code == 200
