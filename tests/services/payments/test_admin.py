"""The "Zahlungen" pages of the Wagtail admin: who may see and refund, the list (filter, search,
query count), the detail page with state history and refund ledger, the refund form."""

import pytest
from django.contrib.auth.models import Group, Permission

from services.payments.constants import EventSource, PaymentState, RefundState
from services.payments.forms import parse_euro
from services.payments.models import Payment, Refund
from services.payments.services import payment_refresh, refund_create
from tests.factories import DepartmentFactory, StaffUserFactory, UserFactory

from .helpers import press, return_to_portal, start

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/zahlungen/"


def group_with(name: str, *codenames: str) -> Group:
    group = Group.objects.create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="payments", codename__in=codenames),
    )
    return group


@pytest.fixture
def cashier(client, login_with_second_factor):
    user = StaffUserFactory(first_name="Karl", last_name="Kasse")
    user.groups.add(group_with("Stadtkasse", "add_refund", "view_payment"))
    login_with_second_factor(client, user)
    client.user = user
    return client


@pytest.fixture
def viewer(client, login_with_second_factor):
    user = StaffUserFactory()
    user.groups.add(group_with("Buchhaltung", "view_payment"))
    login_with_second_factor(client, user)
    return client


@pytest.fixture
def clerk(client, login_with_second_factor):
    login_with_second_factor(client, StaffUserFactory())  # Sachbearbeitung, no payments right
    return client


def paid(order) -> Payment:
    from django.test import Client

    payer = Client()
    payment = start(order)
    press(payer, payment, "pay")
    return_to_portal(payer, payment)
    payment.refresh_from_db()
    return payment


def detail_url(payment) -> str:
    return f"{LIST_URL}{payment.pk}/"


# --- permissions ------------------------------------------------------------------------------
def test_anonymous_and_citizens_are_sent_to_the_login(client, order):
    payment = paid(order)
    for url in (LIST_URL, detail_url(payment)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(UserFactory())
    for url in (LIST_URL, detail_url(payment)):
        response = client.get(url)
        assert response.status_code == 302
        assert payment.reference not in response.content.decode()


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_a_clerk_without_the_permission_is_refused_and_sees_no_menu_item(clerk, order):
    payment = paid(order)
    assert refused(clerk.get(LIST_URL))
    assert refused(clerk.get(detail_url(payment)))
    response = clerk.post(
        f"{detail_url(payment)}erstatten/", {"amount": "30,50", "reason": "Versuch"}
    )
    assert refused(response)
    assert refused(clerk.post(f"{detail_url(payment)}abbrechen/"))
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    assert Refund.objects.count() == 0
    assert LIST_URL not in clerk.get("/admin/").content.decode()


def test_a_viewer_sees_payments_but_cannot_refund(viewer, order):
    payment = paid(order)
    assert viewer.get(LIST_URL).status_code == 200
    html = viewer.get(detail_url(payment)).content.decode()
    assert payment.reference in html
    assert "Erstattung veranlassen" not in html
    response = viewer.post(
        f"{detail_url(payment)}erstatten/", {"amount": "30,50", "reason": "Versuch"}
    )
    assert refused(response)
    assert Refund.objects.count() == 0


def test_the_menu_item_is_shown_to_permitted_staff(cashier):
    assert LIST_URL in cashier.get("/admin/").content.decode()


# --- list ---------------------------------------------------------------------------------------
def test_list_filters_by_state_and_searches_by_reference(cashier):
    succeeded = paid(DepartmentFactory())
    open_payment = start(DepartmentFactory())
    html = cashier.get(LIST_URL).content.decode()
    assert succeeded.reference in html and open_payment.reference in html
    assert "2 Zahlungen gefunden" in html

    html = cashier.get(LIST_URL, {"state": PaymentState.SUCCEEDED}).content.decode()
    assert succeeded.reference in html and open_payment.reference not in html

    for query in (open_payment.reference, open_payment.reference.lower()[3:8]):
        html = cashier.get(LIST_URL, {"q": query}).content.decode()
        assert open_payment.reference in html and succeeded.reference not in html
    html = cashier.get(LIST_URL, {"q": "ZB-ZZZZ"}).content.decode()
    assert "Keine Zahlungen für diese Auswahl." in html


def test_list_query_count_does_not_grow_with_rows(cashier):
    """The same number of queries for 5 and for 65 payments (the admin menu of other apps adds
    a constant few, so the test compares instead of pinning a number)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.core.admin_views import PAGE_SIZE  # the back-office list page size

    staff = cashier.user
    for _ in range(5):
        start(DepartmentFactory())
    cashier.get(LIST_URL)  # warm up: site settings and the like are created on first use
    with CaptureQueriesContext(connection) as few:
        cashier.get(LIST_URL)
    for _ in range(60):
        payment = paid(DepartmentFactory())
        refund_create(payment_id=payment.pk, amount_minor=50, reason="Kulanz", actor=staff)
    with CaptureQueriesContext(connection) as many:
        response = cashier.get(LIST_URL)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(many) <= 25
    html = response.content.decode()
    assert "65 Zahlungen gefunden" in html
    # newest first: the first page holds only the 60 newer, partly refunded payments
    assert html.count('">0,50\u00a0€</td>') == PAGE_SIZE


# --- detail and refund ---------------------------------------------------------------------------
def test_detail_shows_history_and_ledger(cashier, order):
    payment = paid(order)
    refund_create(
        payment_id=payment.pk, amount_minor=1000, reason="Teil zurück", actor=cashier.user
    )
    html = cashier.get(detail_url(payment)).content.decode()
    assert f"Zahlung {payment.reference}" in html
    assert "angelegt → in Bearbeitung" in html
    assert "in Bearbeitung → bezahlt" in html
    assert "Rückkehr vom Zahlungsdienst" in html and "success" in html
    assert "Teil zurück" in html and "10,00\u00a0€" in html and "Karl Kasse" in html
    assert "Noch erstattbar:" in html and "20,50\u00a0€" in html
    assert cashier.get(f"{LIST_URL}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_partial_and_full_refund_through_the_form(cashier, order):
    payment = paid(order)
    url = f"{detail_url(payment)}erstatten/"
    response = cashier.post(url, {"amount": "10,50", "reason": "Gebühr zu hoch"})
    assert response.status_code == 302 and response["Location"] == detail_url(payment)
    refund = Refund.objects.get()
    assert (refund.amount_minor, refund.state, refund.actor) == (
        1050,
        RefundState.SUCCEEDED,
        cashier.user,
    )
    page = cashier.get(detail_url(payment)).content.decode()
    assert "10,50\u00a0€ wurden erstattet." in page
    assert 'value="20,00"' in page  # the rest is offered

    cashier.post(url, {"amount": "20,00", "reason": "Antrag zurückgenommen"})
    assert Payment.objects.get(pk=payment.pk).refundable_minor == 0
    assert "Erstattung veranlassen" not in cashier.get(detail_url(payment)).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"amount": "31,00", "reason": "zu viel"},
            "Es können höchstens 30,50\u00a0€ erstattet werden.",
        ),
        (
            {"amount": "zwölf", "reason": "Tippfehler"},
            "Bitte geben Sie einen Betrag wie 12,50 ein.",
        ),
        ({"amount": "0", "reason": "nichts"}, "Der Betrag muss größer als 0 € sein."),
        ({"amount": "5,00", "reason": ""}, "Dieses Feld muss ausgefüllt werden."),
    ],
)
def test_a_refused_refund_shows_a_german_error(cashier, order, data, message):
    payment = paid(order)
    response = cashier.post(f"{detail_url(payment)}erstatten/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Refund.objects.count() == 0


def test_staff_can_ask_the_provider_and_cancel_an_open_payment(cashier, order):
    payment = start(order)
    html = cashier.get(detail_url(payment)).content.decode()
    assert "Status jetzt abfragen" in html and "Zahlung abbrechen" in html
    response = cashier.post(f"{detail_url(payment)}abfragen/", follow=True)
    assert "Status beim Zahlungsdienst abgefragt: in Bearbeitung" in response.content.decode()
    response = cashier.post(f"{detail_url(payment)}abbrechen/", follow=True)
    assert "Die Zahlung ist jetzt: abgebrochen" in response.content.decode()
    event = Payment.objects.get(pk=payment.pk).events.get(to_state=PaymentState.CANCELLED)
    assert (event.source, event.actor) == (EventSource.ADMIN, cashier.user)
    response = cashier.post(f"{detail_url(payment)}abbrechen/", follow=True)
    assert "bereits abgeschlossen" in response.content.decode()
    assert payment_refresh(payment_id=payment.pk).state == PaymentState.CANCELLED


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("12,5", 1250),
        ("12", 1200),
        ("1.234,50", 123450),
        ("1.234", 123400),
        (" 30,50 € ", 3050),
        ("abc", None),
        ("-5", None),
        ("12,505", None),
        ("", None),
    ],
)
def test_parse_euro(text, cents):
    assert parse_euro(text) == cents


def test_the_payment_permissions_are_offered_in_the_group_editor(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/groups/new/")
    assert response.status_code == 200
    html = response.content.decode()
    for codename in ("view_payment", "add_refund"):
        permission = Permission.objects.get(content_type__app_label="payments", codename=codename)
        assert f'value="{permission.pk}"' in html
