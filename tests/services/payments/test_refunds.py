"""Refunds are a ledger: full, partial, several partials, over-refund refused by us, a ledger out of
date refused by the provider's refund_amount_available guard (412), and a refund error."""

import threading

import pytest
from django.db import connection

from portal.core.errors import ApplicationError
from services.payments.constants import PaymentState, RefundState
from services.payments.models import DemoRefund, DemoTransaction, Payment, Refund
from services.payments.services import refund_create
from tests.factories import StaffUserFactory

from .helpers import deliveries, post_webhook, press, return_to_portal, start


@pytest.fixture
def staff(db):
    return StaffUserFactory()


def paid(client, order, **kwargs) -> Payment:
    payment = start(order, **kwargs)
    press(client, payment, "pay")
    return_to_portal(client, payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    return payment


def refund(payment, amount, staff, reason="Antrag zurückgenommen"):
    return refund_create(payment_id=payment.pk, amount_minor=amount, reason=reason, actor=staff)


@pytest.mark.django_db
def test_full_refund(client, order, staff):
    payment = paid(client, order)
    done = refund(payment, 3050, staff)
    assert done.state == RefundState.SUCCEEDED and done.finished_at is not None
    assert done.actor == staff and done.reason == "Antrag zurückgenommen"
    assert done.provider_refund_ref == DemoRefund.objects.get().refund_id
    payment = Payment.objects.get(pk=payment.pk)
    assert (payment.refunded_minor, payment.refundable_minor) == (3050, 0)
    assert payment.state == PaymentState.SUCCEEDED  # a refund is not a state of the payment
    with pytest.raises(ApplicationError, match="höchstens 0,00\u00a0€"):
        refund(payment, 1, staff)


@pytest.mark.django_db
def test_several_partial_refunds_add_up_to_the_amount(client, order, staff):
    payment = paid(client, order)
    for amount in (1000, 1000, 1050):
        assert refund(payment, amount, staff).state == RefundState.SUCCEEDED
    assert Payment.objects.get(pk=payment.pk).refundable_minor == 0
    assert sorted(DemoRefund.objects.values_list("amount", flat=True)) == [1000, 1000, 1050]
    with pytest.raises(ApplicationError):
        refund(payment, 1, staff)
    assert Refund.objects.count() == 3


@pytest.mark.django_db
def test_over_refund_is_refused_before_the_provider_is_asked(client, order, staff):
    payment = paid(client, order)
    refund(payment, 1000, staff)
    with pytest.raises(ApplicationError) as refused:
        refund(payment, 2051, staff)
    assert refused.value.message == "Es können höchstens 20,50\u00a0€ erstattet werden."
    assert refused.value.field == "amount"
    assert Refund.objects.count() == 1 and DemoRefund.objects.count() == 1


@pytest.mark.django_db
def test_a_ledger_out_of_date_is_caught_by_the_provider_guard(client, order, staff):
    payment = paid(client, order)
    # someone refunded 10 € directly at the provider; our ledger does not know
    DemoRefund.objects.create(
        refund_id="direkt",
        transaction=DemoTransaction.objects.get(),
        amount=1000,
        status=DemoRefund.Status.SUCCESS,
    )
    with pytest.raises(ApplicationError, match="stimmt nicht mit unseren Unterlagen überein"):
        refund(payment, 3050, staff)
    attempt = Refund.objects.get()
    assert attempt.state == RefundState.FAILED
    assert attempt.provider_message == "412 P0604"
    assert DemoRefund.objects.count() == 1  # nothing was refunded twice
    assert Payment.objects.get(pk=payment.pk).refunded_minor == 0  # failed attempts do not count


@pytest.mark.django_db
def test_a_refund_error_is_recorded_and_reported(client, order, staff):
    payment = paid(client, order, scenario="refund_error")
    with pytest.raises(ApplicationError, match="Es wurde nichts erstattet"):
        refund(payment, 500, staff)
    attempt = Refund.objects.get()
    assert attempt.state == RefundState.FAILED and attempt.provider_message == "error"
    assert Payment.objects.get(pk=payment.pk).refundable_minor == 3050


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [(0, "Grund", "größer als 0"), (-5, "Grund", "größer als 0"), (100, "  ", "begründen")],
)
def test_invalid_refunds(client, order, staff, amount, reason, message):
    payment = paid(client, order)
    with pytest.raises(ApplicationError, match=message):
        refund(payment, amount, staff, reason=reason)
    assert Refund.objects.count() == 0


@pytest.mark.django_db
def test_only_a_paid_payment_can_be_refunded(order, staff):
    payment = start(order)
    with pytest.raises(ApplicationError, match="Nur bezahlte Zahlungen"):
        refund(payment, 100, staff)
    assert Refund.objects.count() == 0


@pytest.mark.django_db
def test_the_refund_event_is_acknowledged_and_changes_nothing(client, order, staff, released):
    payment = paid(client, order)
    refund(payment, 3050, staff)
    (event,) = deliveries(payment, "card_payment_refunded")
    assert post_webhook(client, event.body).status_code == 200
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    assert released.payment_ids == [payment.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_refunds_at_once_cannot_both_spend_the_full_amount(client, order, staff):
    payment = paid(client, order)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def refund_all():
        try:
            barrier.wait(5)
            refund(payment, 3050, staff)
            outcomes.append("refunded")
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=refund_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["Es können höchstens 0,00\u00a0€ erstattet werden.", "refunded"]
    assert DemoRefund.objects.count() == 1
    assert Payment.objects.get(pk=payment.pk).refunded_minor == 3050
