"""The scenario table of reference/payments.md §4.7, row by row, through the demo provider. In every
case the order is released (payment_succeeded) at most once. Expiry and "user never returns" are in
test_reconcile.py, the webhook variants in test_webhooks.py, refunds in test_refunds.py."""

import pytest

from portal.core.errors import ApplicationError
from services.payments.constants import EventSource, FailureReason, PaymentState
from services.payments.models import DemoTransaction, Payment
from services.payments.providers.demo.models import DemoStatus
from services.payments.services import payment_cancel, payment_refresh, payments_reconcile

from .helpers import CONTINUE_URL, deliveries, post_webhook, press, return_to_portal, start

pytestmark = pytest.mark.django_db


def test_success_releases_the_order_once(client, order, released, finished):
    payment = start(order)
    assert payment.state == PaymentState.IN_PROGRESS
    assert payment.redirect_url == f"/bezahlen/demo/{payment.provider_ref}/"
    assert client.get(payment.redirect_url).status_code == 200

    response = press(client, payment, "pay")
    assert response.status_code == 302
    assert response["Location"] == f"/bezahlen/zurueck/{payment.return_token}/"
    payment.refresh_from_db()
    assert payment.state == PaymentState.IN_PROGRESS  # nothing moves before we ask

    back = return_to_portal(client, payment)
    assert back.status_code == 302 and back["Location"] == CONTINUE_URL
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert payment.finished_at is not None
    assert payment.status_message == "Vielen Dank, Ihre Zahlung ist eingegangen."
    assert released.payment_ids == [payment.pk]
    assert finished.payment_ids == [payment.pk]

    # a reload of the return page, the beat job and every webhook: nothing happens twice
    return_to_portal(client, payment)
    payments_reconcile()
    for delivery in deliveries(payment):
        assert post_webhook(client, delivery.body).status_code == 200
    assert len(released) == 1 and len(finished) == 1
    history = list(payment.events.values_list("from_state", "to_state", "source"))
    assert history == [
        ("", PaymentState.CREATED, EventSource.CREATE),
        (PaymentState.CREATED, PaymentState.IN_PROGRESS, EventSource.CREATE),
        (PaymentState.IN_PROGRESS, PaymentState.SUCCEEDED, EventSource.RETURN),
    ]


@pytest.mark.parametrize(
    ("how", "kwargs", "button"),
    [
        ("scenario", {"scenario": "decline"}, "pay"),
        ("magic amount", {"amount_minor": 6601}, "pay"),
        ("button", {}, "decline"),
    ],
)
def test_decline_offers_a_retry_with_a_new_payment(client, order, released, how, kwargs, button):
    declined = start(order, **kwargs)
    press(client, declined, button)
    return_to_portal(client, declined)
    declined.refresh_from_db()
    assert (declined.state, declined.failure_reason) == (
        PaymentState.FAILED,
        FailureReason.DECLINED,
    )
    assert declined.can_retry
    assert "abgelehnt" in declined.status_message
    assert "kein Geld abgebucht" in declined.status_message
    assert len(released) == 0

    retry = start(order)
    assert retry.pk != declined.pk and retry.provider_ref != declined.provider_ref
    press(client, retry, "pay")
    return_to_portal(client, retry)
    retry.refresh_from_db()
    assert retry.state == PaymentState.SUCCEEDED
    assert released.payment_ids == [retry.pk]


def test_payer_cancels_on_the_pay_page(client, order, released):
    payment = start(order)
    press(client, payment, "cancel")
    return_to_portal(client, payment)
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (
        PaymentState.FAILED,
        FailureReason.USER_CANCELLED,
    )
    assert payment.can_retry
    assert payment.status_message.startswith("Sie haben die Zahlung abgebrochen.")
    assert len(released) == 0


def test_technical_error_on_the_pay_page(client, order, released):
    payment = start(order)
    press(client, payment, "error")
    return_to_portal(client, payment)
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (
        PaymentState.ERROR,
        FailureReason.PROVIDER_ERROR,
    )
    assert payment.can_retry
    assert "technischer Fehler" in payment.status_message
    assert len(released) == 0


def test_service_cancels_only_while_unfinished(client, order, released, finished):
    payment = start(order)
    cancelled = payment_cancel(payment_id=payment.pk)
    assert (cancelled.state, cancelled.failure_reason) == (
        PaymentState.CANCELLED,
        FailureReason.SERVICE_CANCELLED,
    )
    assert DemoTransaction.objects.get(provider_ref=payment.provider_ref).code == "P0040"
    # the payer, still on the pay page, presses "Bezahlen": too late, nothing is paid
    press(client, payment, "pay")
    assert DemoTransaction.objects.get(provider_ref=payment.provider_ref).status == "cancelled"
    return_to_portal(client, payment)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.CANCELLED
    with pytest.raises(ApplicationError, match="bereits abgeschlossen"):
        payment_cancel(payment_id=payment.pk)
    assert len(released) == 0 and finished.payment_ids == [payment.pk]


def test_cancel_of_a_payment_the_payer_just_paid_reports_the_success(client, order, released):
    payment = start(order)
    press(client, payment, "pay")  # nobody has asked the provider yet
    with pytest.raises(ApplicationError, match="bereits abgeschlossen"):
        payment_cancel(payment_id=payment.pk)
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert released.payment_ids == [payment.pk]


def test_provider_error_on_create_takes_no_money_and_a_new_payment_is_charged_once(
    client, order, released
):
    failed = start(order, scenario="create_error")
    assert (failed.state, failed.failure_reason) == (
        PaymentState.ERROR,
        FailureReason.PROVIDER_ERROR,
    )
    assert failed.redirect_url == "" and failed.provider_ref == ""
    assert failed.can_retry
    assert "kein Geld abgebucht" in failed.status_message
    assert DemoTransaction.objects.count() == 0
    # asking again changes nothing: the payment is over, nothing is created a second time
    assert payment_refresh(payment_id=failed.pk).state == PaymentState.ERROR
    assert DemoTransaction.objects.count() == 0

    retry = start(order)
    press(client, retry, "pay")
    return_to_portal(client, retry)
    assert DemoTransaction.objects.get().status == DemoStatus.SUCCESS
    assert released.payment_ids == [retry.pk]


def test_rate_limited_create_is_an_error_the_payer_may_retry(order):
    payment = start(order, scenario="rate_limit")
    assert (payment.state, payment.failure_reason) == (
        PaymentState.ERROR,
        FailureReason.PROVIDER_BUSY,
    )
    assert "überlastet" in payment.status_message
    assert DemoTransaction.objects.count() == 0


def test_lost_response_is_found_again_by_replaying_the_same_key(client, order, released):
    payment = start(order, scenario="lost_response")
    assert (payment.state, payment.failure_reason) == (
        PaymentState.UNKNOWN,
        FailureReason.NO_ANSWER,
    )
    assert payment.provider_ref == "" and payment.redirect_url == ""
    assert not payment.is_final and not payment.can_retry
    assert "warten noch" in payment.status_message
    original = DemoTransaction.objects.get()
    assert original.idempotency_key == str(payment.pk)

    # the page the payer waits on asks again: the replay finds the original transaction
    payment = payment_refresh(payment_id=payment.pk)
    assert payment.state == PaymentState.IN_PROGRESS
    assert payment.provider_ref == original.provider_ref
    assert payment.redirect_url == f"/bezahlen/demo/{original.provider_ref}/"
    assert DemoTransaction.objects.count() == 1

    press(client, payment, "pay")
    return_to_portal(client, payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert released.payment_ids == [payment.pk]
    assert DemoTransaction.objects.count() == 1


def test_a_new_payment_cancels_the_open_one_so_the_payer_cannot_pay_twice(client, order, released):
    first = start(order)
    client.get(first.redirect_url)  # the payer opened the pay page, then came back
    second = start(order)
    first.refresh_from_db()
    assert (first.state, first.failure_reason) == (
        PaymentState.CANCELLED,
        FailureReason.SERVICE_CANCELLED,
    )
    press(client, first, "pay")  # the old tab: refused by the provider
    press(client, second, "pay")
    payments_reconcile()
    return_to_portal(client, second)
    assert released.payment_ids == [second.pk]
    assert DemoTransaction.objects.filter(status=DemoStatus.SUCCESS).count() == 1


def test_an_order_that_is_paid_cannot_be_paid_again(client, order, released):
    paid = start(order)
    press(client, paid, "pay")
    with pytest.raises(ApplicationError, match="bereits eine Zahlung eingegangen"):
        start(order)  # finds out on the way that the open payment has succeeded
    assert Payment.objects.count() == 1
    assert released.payment_ids == [paid.pk]
    with pytest.raises(ApplicationError, match="bereits eine Zahlung eingegangen"):
        start(order)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount_minor": 0}, "größer als 0"),
        ({"amount_minor": -100}, "größer als 0"),
        ({"amount_minor": 12.5}, "größer als 0"),
        ({"amount_minor": True}, "größer als 0"),
        ({"amount_minor": 49}, "mindestens 0,50\u00a0€"),
        ({"amount_minor": 10_000_001}, "höchstens 100.000,00\u00a0€"),
        ({"purpose": ""}, "Verwendungszweck fehlt"),
        ({"purpose": "x" * 28}, "höchstens 27 Zeichen"),
        ({"description": "x" * 251}, "höchstens 250 Zeichen"),
        ({"continue_url": "https://example.org/"}, "Seite dieses Portals"),
        ({"continue_url": "//example.org/"}, "Seite dieses Portals"),
        (
            {"line_items": [{"description": "Gebühr", "unit_amount_minor": 1000, "quantity": 2}]},
            "Summe der Positionen (20,00\u00a0€) stimmt nicht mit dem Betrag (30,50\u00a0€)",
        ),
        ({"line_items": [{"quantity": 1}]}, "Position ist unvollständig"),
    ],
)
def test_invalid_input_is_refused_in_german_before_anything_is_stored(order, kwargs, message):
    with pytest.raises(ApplicationError) as raised:
        start(order, **kwargs)
    assert message in raised.value.message
    assert Payment.objects.count() == 0 and DemoTransaction.objects.count() == 0


def test_line_items_that_add_up_are_kept(order):
    items = [
        {"description": "Ausweis", "unit_amount_minor": 1500, "quantity": 2, "tax_rate": "0"},
        {"description": "Porto", "amount_minor": 50, "booking_data": {"Kostenstelle": "4711"}},
    ]
    payment = start(order, line_items=items)
    assert payment.state == PaymentState.IN_PROGRESS
    assert [item["amount_minor"] for item in payment.line_items] == [3000, 50]
    assert payment.line_items[1]["booking_data"] == {"Kostenstelle": "4711"}
