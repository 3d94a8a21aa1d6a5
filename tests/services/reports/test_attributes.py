"""Zusatzfragen (category attributes): the model and its admin, the answers' checks, the report
form with its review step, and where the answers are shown (staff) and not shown (public)."""

import html
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.tickets.constants import PublishMode
from portal.tickets.models import AttributeDatatype, CategoryAttribute
from portal.tickets.services import ticket_route
from services.reports.attributes import attribute_answer_clean, report_attributes_clean
from services.reports.models import Report
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, UserFactory, square
from tests.services.reports.conftest import DAMAGE_VALUES, add_questions
from tests.services.reports.test_views import (
    CREATE,
    assert_nothing_stored,
    report_data,
    review,
    submit_review,
)

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "SW-4711 hinter Haus Geheimweg"


@pytest.fixture
def city():
    return DistrictFactory(name="Schwerte-Mitte", area=square(7.48, 51.39, 0.2))


@pytest.fixture
def lights(city):
    category = CategoryFactory(
        name="Straßenbeleuchtung defekt", slug="beleuchtung",
        default_department=DepartmentFactory(), publish_mode=PublishMode.IMMEDIATE,
    )  # fmt: skip
    add_questions(category)
    return category


def question(category, code) -> CategoryAttribute:
    return category.attributes.get(code=code)


def submit_with_answers(category, **answers) -> Report:
    return report_submit(
        category=category,
        description="Die Laterne ist dunkel.",
        latitude=Decimal("51.445"),
        longitude=Decimal("7.565"),
        attributes=answers,
    )


# --- the model ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "datatype, values, message",
    [
        (AttributeDatatype.SINGLEVALUELIST, [], "mindestens eine Antwortmöglichkeit"),
        (AttributeDatatype.MULTIVALUELIST, [], "mindestens eine Antwortmöglichkeit"),
        (AttributeDatatype.STRING, DAMAGE_VALUES, "nur bei Auswahlfragen"),
        (
            AttributeDatatype.SINGLEVALUELIST,
            [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}],
            "nur einmal vorkommen",
        ),
    ],
)
def test_a_question_must_fit_its_datatype(datatype, values, message):
    attribute = CategoryAttribute(
        category=CategoryFactory(), code="frage", description="Frage?", datatype=datatype,
        values=values,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        attribute.full_clean()
    assert message in str(error.value.message_dict["values"])


def test_a_code_is_unique_within_its_category_only():
    lamps, bins = CategoryFactory(), CategoryFactory()
    CategoryAttribute.objects.create(category=lamps, code="nummer", description="Nummer?")
    CategoryAttribute.objects.create(category=bins, code="nummer", description="Nummer?")
    twice = CategoryAttribute(category=lamps, code="nummer", description="Noch einmal?")
    with pytest.raises(ValidationError):
        twice.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twice.save()


def test_answers_are_edited_as_lines_of_text():
    field = CategoryAttribute._meta.get_field("values").formfield()
    assert field.clean("dunkel = Leuchte dunkel\n\nLeuchte brennt tagsüber\n") == [
        {"key": "dunkel", "name": "Leuchte dunkel"},
        {"key": "leuchte-brennt-tagsueber", "name": "Leuchte brennt tagsüber"},
    ]
    assert field.prepare_value(DAMAGE_VALUES).splitlines()[0] == "dunkel = Leuchte dunkel"
    with pytest.raises(ValidationError) as error:
        field.clean("mit leerzeichen = Name")
    assert "Schlüssel = Bezeichnung" in str(error.value)


def test_editors_add_questions_in_the_category_admin(client, login_with_second_factor):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    category = CategoryFactory(name="Laternen", slug="laternen")
    url = f"/admin/snippets/tickets/category/edit/{category.pk}/"
    page = client.get(url).content.decode()
    assert "Zusatzfragen" in page and "Antwortmöglichkeiten" in page

    def post(answers: str):
        return client.post(
            url,
            nested_form_data(
                {
                    "name": "Laternen", "slug": "laternen", "description": "", "icon": "",
                    "sort_order": 10, "kind": "meldung", "is_active": "on",
                    "default_department": "", "sla_days": 5, "publish_mode": "sofort",
                    "duplicate_radius_m": 250,
                    "reply_templates": inline_formset([]),
                    "attributes": inline_formset([
                        {"description": "Art des Schadens", "code": "schaden",
                         "datatype": "singlevaluelist", "required": "on",
                         "datatype_description": "", "values": answers},
                    ]),
                }
            ),
        )  # fmt: skip

    response = post("")
    assert response.status_code == 200
    assert "mindestens eine Antwortmöglichkeit" in html.unescape(response.content.decode())
    assert not CategoryAttribute.objects.exists()
    response = post("dunkel = Leuchte dunkel\nLeuchte flackert")
    assert response.status_code == 302, response.content.decode()[:3000]
    attribute = CategoryAttribute.objects.get()
    assert attribute.category == category and attribute.required
    assert attribute.values == [
        {"key": "dunkel", "name": "Leuchte dunkel"},
        {"key": "leuchte-flackert", "name": "Leuchte flackert"},
    ]


# --- checking answers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "code, raw, stored",
    [
        ("anzahl", "3,5", "3.5"),
        ("anzahl", " 12 ", "12"),
        ("anzahl", "-0", "0"),
        ("seit", "2026-11-20T18:30", "2026-11-20T18:30:00+01:00"),
        ("seit", "20.11.2026 18:30", "2026-11-20T18:30:00+01:00"),
        ("seit", "2026-07-01T08:00:00Z", "2026-07-01T10:00:00+02:00"),
        ("schaden", ["flackert"], "flackert"),
        ("abfall", ["elektro", "sperrmuell", "elektro"], ["sperrmuell", "elektro"]),
        ("abfall", "bauschutt", ["bauschutt"]),
        ("leuchtennummer", "", None),
        ("leuchtennummer", ["  "], None),
    ],
)
def test_answers_are_stored_in_one_form(lights, code, raw, stored):
    attribute = question(lights, code)
    assert attribute_answer_clean(attribute, raw) == stored
    if stored is not None:  # checking a stored answer again changes nothing
        assert attribute_answer_clean(attribute, stored) == stored


@pytest.mark.parametrize(
    "code, raw, message",
    [
        ("schaden", "", "Bitte beantworten Sie die Frage „Art des Schadens“."),
        ("schaden", "kaputt", "„kaputt“ ist keine der möglichen Antworten."),
        ("schaden", ["dunkel", "flackert"], "Bitte geben Sie hier nur eine Antwort."),
        ("abfall", ["elektro", "atommuell"], "„atommuell“ ist keine der möglichen Antworten."),
        ("anzahl", "drei", "Bitte geben Sie eine Zahl an"),
        ("anzahl", "NaN", "Bitte geben Sie eine Zahl an"),
        ("anzahl", "1" * 20, "Bitte geben Sie eine Zahl an"),
        ("seit", "gestern", "Bitte geben Sie Datum und Uhrzeit an"),
        ("leuchtennummer", "x" * 201, "auf 200 Zeichen"),
        ("hinweis", "x" * 2001, "auf 2000 Zeichen"),
    ],
)
def test_wrong_answers_are_refused_in_german(lights, code, raw, message):
    with pytest.raises(Exception) as error:
        attribute_answer_clean(question(lights, code), raw)
    assert message in error.value.message


def test_answers_to_questions_not_asked_are_dropped(lights):
    cleaned = report_attributes_clean(
        attributes=lights.attributes.all(),
        answers={"schaden": "dunkel", "fixmystreet_id": "123"},
    )
    assert cleaned == {"schaden": "dunkel"}


def test_the_service_refuses_a_missing_required_answer(lights):
    with pytest.raises(Exception) as error:
        submit_with_answers(lights, leuchtennummer="SW-1")
    assert error.value.errors == {"schaden": "Bitte beantworten Sie die Frage „Art des Schadens“."}
    assert not Report.objects.exists()
    report = submit_with_answers(lights, schaden="dunkel", anzahl="2")
    assert report.attributes == {"schaden": "dunkel", "anzahl": "2"}


# --- the report form ----------------------------------------------------------------------------
def test_the_questions_come_with_the_chosen_category_and_required_ones_are_checked(client, lights):
    # without JavaScript: the form comes back with the category's questions
    response = review(client, report_data(lights))
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Zusatzfragen zu „Straßenbeleuchtung defekt“" in text
    assert 'id="error-summary"' in text
    assert 'href="#id_attr_schaden_0"' in text
    assert "Art des Schadens: Bitte beantworten Sie die Frage „Art des Schadens“." in text
    # a list question is a group of radio buttons or check boxes with a legend
    assert re.search(r"<legend[^>]*>Art des Schadens <span[^>]*>\(Pflichtfeld\)", text)
    assert re.search(r"<legend[^>]*>Was liegt dort\?</legend>", text)
    assert 'type="radio" name="attr_schaden" value="flackert"' in text
    assert 'type="checkbox" name="attr_abfall" value="elektro"' in text
    assert 'type="datetime-local" name="attr_seit"' in text
    assert "Am Mast" in text  # the hint
    assert_nothing_stored()


def test_a_wrong_number_comes_back_in_german(client, lights):
    data = report_data(lights, attr_schaden="dunkel", attr_anzahl="viele")
    text = html.unescape(review(client, data).content.decode())
    assert "Wie viele Leuchten?: Bitte geben Sie eine Zahl an, zum Beispiel 12 oder 3,5." in text
    assert_nothing_stored()


def test_answers_are_reviewed_carried_and_stored(
    client, lights, django_capture_on_commit_callbacks
):
    data = report_data(
        lights, attr_leuchtennummer=SECRET_ANSWER, attr_schaden="flackert",
        attr_abfall=["elektro", "bauschutt"], attr_anzahl="2,5", attr_seit="2026-11-20T18:30",
    )  # fmt: skip
    response = review(client, data)
    text = html.unescape(response.content.decode())
    assert "Angaben prüfen" in text
    for shown in (SECRET_ANSWER, "Leuchte flackert", "Bauschutt, Elektrogeräte", "2,5",
                  "20.11.2026, 18:30 Uhr", "Was sollen wir noch wissen?"):  # fmt: skip
        assert shown in text
    assert "nie Ihre Antworten auf die Zusatzfragen" in text
    carried = re.findall(r'<input type="hidden" name="attr_abfall" value="(\w+)">', text)
    assert sorted(carried) == ["bauschutt", "elektro"]  # both boxes travel with the review page

    # "Ändern": the form again, with the answers
    changed = client.post(CREATE, {**_hidden_pairs(response), "schritt": "aendern"})
    changed_text = changed.content.decode()
    assert re.search(r'value="elektro"[^>]*checked', changed_text)
    assert re.search(r'value="flackert"[^>]*checked', changed_text)

    response = review(client, data)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, {**_hidden_pairs(response), "schritt": "absenden"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.attributes == {
        "leuchtennummer": SECRET_ANSWER,
        "schaden": "flackert",
        "abfall": ["bauschutt", "elektro"],
        "anzahl": "2.5",
        "seit": "2026-11-20T18:30:00+01:00",
    }


def _hidden_pairs(response) -> dict:
    """The review page's hidden inputs; a name given twice becomes a list."""
    pairs = re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()
    )
    data: dict = {}
    for name, value in pairs:
        value = html.unescape(value)
        if name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), value]
        else:
            data[name] = value
    return data


def test_a_category_change_drops_the_answers_of_the_other(
    client, lights, django_capture_on_commit_callbacks
):
    plain = CategoryFactory(name="Graffiti", slug="graffiti", publish_mode=PublishMode.IMMEDIATE)
    response = review(client, report_data(plain, attr_schaden="dunkel"))
    assert "Zusatzfragen" not in response.content.decode()
    submit_review(client, response, django_capture_on_commit_callbacks)
    assert Report.objects.get().attributes == {}


def test_the_questions_of_a_category_as_a_piece_of_the_form(client, lights):
    url = "/maengel/melden/zusatzfragen/"
    response = client.get(url, {"category": lights.pk})
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Zusatzfragen zu „Straßenbeleuchtung defekt“" in text
    assert 'data-count="6"' in text
    assert "field__error" not in text  # asked, not yet answered
    assert "<html" not in text
    other = CategoryFactory(publish_mode=PublishMode.IMMEDIATE)
    for params in ({"category": other.pk}, {"category": "x"}, {}):
        response = client.get(url, params)
        assert response.status_code == 200 and response.content.strip() == b""
    # the form links to it and loads the script catalog before its script
    form = client.get(CREATE).content.decode()
    assert f'data-url="{url}"' in form
    assert form.index('src="/jsi18n/"') < form.index("js/reports.js")
    catalog = client.get("/jsi18n/")
    assert (
        catalog.status_code == 200
        and "globals.gettext = django.gettext" in catalog.content.decode()
    )


# --- who sees the answers -------------------------------------------------------------------
@pytest.fixture
def answered(lights, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_with_answers(lights, leuchtennummer=SECRET_ANSWER, schaden="tagsueber")
    ticket_route(ticket_id=report.ticket_id)
    return Report.objects.select_related("ticket").get(pk=report.pk)


def test_staff_see_the_answers_in_the_ticket(answered, client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    # a question removed since: its answer stays readable under its code
    answered.attributes["alt"] = "früher gefragt"
    answered.save(update_fields=["attributes"])
    text = html.unescape(client.get(f"/admin/anliegen/{answered.ticket_id}/").content.decode())
    assert "Zusatzangaben (nur intern)" in text
    assert re.search(rf"<dt>Leuchtennummer</dt><dd>{SECRET_ANSWER}</dd>", text)
    assert re.search(r"<dt>Art des Schadens</dt><dd>Leuchte brennt tagsüber</dd>", text)
    assert re.search(r"<dt>alt</dt><dd>früher gefragt</dd>", text)


def test_the_answers_appear_on_no_public_page_feed_or_api(client, answered):
    number = answered.ticket.number
    public = [
        "/maengel/",
        f"/maengel/{number}/",
        "/maengel/feed/",
        f"/maengel/feed/kategorie/{answered.category.slug}/",
        "/maengel/karte.json?bbox=7.0,51.0,8.0,52.0&zoom=18",
        "/api/v1/reports/",
        f"/api/v1/reports/{number}/",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{number}.json",
        f"/open311/v2/requests/{number}.xml",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert number in text, url  # the report is there …
        for hidden in (SECRET_ANSWER, "SW-4711", "tagsueber", "brennt tagsüber"):
            assert hidden not in text and hidden not in json.dumps(text), url  # … its answers not


def test_services_and_form_need_the_same_queries_for_many_categories_with_questions(client, city):
    def queries(url) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    add_questions(CategoryFactory(slug="erste", name="Erste Kategorie"))
    queries(CREATE)  # the first visit makes the session and the site settings
    few = {url: queries(url) for url in ("/open311/v2/services.json", CREATE)}
    for n in range(40):
        add_questions(CategoryFactory(slug=f"kategorie-{n}", name=f"Kategorie {n}"))
    many = {url: queries(url) for url in ("/open311/v2/services.json", CREATE)}
    assert many == few
    assert few["/open311/v2/services.json"] <= 2
    services = json.loads(client.get("/open311/v2/services.json").content)
    assert len(services) == 41 and all(service["metadata"] is True for service in services)


def test_the_demo_asks_about_street_lights_and_loads_again_unchanged(demo_site):
    from io import StringIO

    from django.core.management import call_command

    lights = CategoryAttribute.objects.filter(category__slug="beleuchtung")
    assert [(a.code, a.datatype, a.required) for a in lights] == [
        ("leuchtennummer", "string", False),
        ("schaden", "singlevaluelist", True),
    ]
    assert [v["name"] for v in lights.get(code="schaden").values] == [
        "Leuchte dunkel", "Leuchte flackert", "Leuchte brennt tagsüber"
    ]  # fmt: skip
    demo_report = Report.objects.get(category__slug="beleuchtung")
    assert demo_report.attributes == {"schaden": "dunkel"}
    before = (CategoryAttribute.objects.count(), Report.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (CategoryAttribute.objects.count(), Report.objects.count()) == before
