"""The transition map, the guarded transition and the properties callers rely on."""

import re
import threading

import pytest
import time_machine
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat

from portal.departments.models import Department
from services.payments.constants import (
    FINAL_STATES,
    PAYMENT_WORKFLOW,
    EventSource,
    FailureReason,
    PaymentState,
    format_euro,
)
from services.payments.models import DemoTransaction, Payment
from services.payments.services import payment_refresh, payments_reconcile
from services.payments.services.core import _apply
from services.payments.signals import payment_succeeded

from .helpers import press, return_to_portal, start


def test_the_map_names_every_state_and_final_states_have_no_way_out():
    assert set(PAYMENT_WORKFLOW.transitions) == set(PaymentState)
    for state in FINAL_STATES:
        assert PAYMENT_WORKFLOW.allowed(state) == frozenset()
    for state, targets in PAYMENT_WORKFLOW.transitions.items():
        assert state not in targets
        assert PaymentState.CREATED not in targets
    # no answer to our create call is the only way into UNKNOWN
    assert [
        s for s, targets in PAYMENT_WORKFLOW.transitions.items() if PaymentState.UNKNOWN in targets
    ] == [PaymentState.CREATED]


@pytest.mark.django_db
def test_a_disallowed_or_repeated_move_changes_nothing(order, released):
    payment = start(order)
    _apply(payment.pk, state=PaymentState.SUCCEEDED, source=EventSource.RECONCILE)
    events = payment.events.count()
    # a stale report of failure, and the same success again
    after = _apply(
        payment.pk,
        state=PaymentState.FAILED,
        source=EventSource.WEBHOOK,
        failure_reason=FailureReason.DECLINED,
    )
    again = _apply(payment.pk, state=PaymentState.SUCCEEDED, source=EventSource.RECONCILE)
    assert after.state == again.state == PaymentState.SUCCEEDED
    assert after.failure_reason == ""
    assert payment.events.count() == events
    assert released.payment_ids == [payment.pk]
    # no way back to "in progress" either
    back = _apply(payment.pk, state=PaymentState.IN_PROGRESS, source=EventSource.RECONCILE)
    assert back.state == PaymentState.SUCCEEDED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "reason", "final", "retry"),
    [
        (PaymentState.CREATED, "", False, False),
        (PaymentState.UNKNOWN, FailureReason.NO_ANSWER, False, False),
        (PaymentState.IN_PROGRESS, "", False, False),
        (PaymentState.AUTHORISED, "", False, False),
        (PaymentState.SUCCEEDED, "", True, False),
        (PaymentState.FAILED, FailureReason.DECLINED, True, True),
        (PaymentState.FAILED, FailureReason.EXPIRED, True, True),
        (PaymentState.CANCELLED, FailureReason.SERVICE_CANCELLED, True, True),
        (PaymentState.ERROR, FailureReason.PROVIDER_ERROR, True, True),
        (PaymentState.ERROR, FailureReason.AMOUNT_MISMATCH, True, False),
    ],
)
def test_is_final_and_can_retry(order, state, reason, final, retry):
    payment = start(order)
    Payment.objects.filter(pk=payment.pk).update(state=state, failure_reason=reason)
    payment.refresh_from_db()
    assert payment.is_final is final
    assert payment.can_retry is retry
    assert payment.status_message  # every state has something to tell the payer
    assert payment.refundable_minor == (payment.amount_minor if state == "succeeded" else 0)


@pytest.mark.django_db
def test_reference_is_short_and_derived_from_the_id(order):
    payment = start(order)
    assert re.fullmatch(r"ZB-[0-9A-F]{8}", payment.reference)
    assert payment.reference == "ZB-" + payment.pk.hex[:8].upper()
    assert str(payment) == payment.reference
    assert payment.amount_display == "30,50\u00a0€"


def test_euro_formatting():
    assert format_euro(0) == "0,00\u00a0€"
    assert format_euro(5) == "0,05\u00a0€"
    assert format_euro(123456789) == "1.234.567,89\u00a0€"
    assert format_euro(-1250) == "-12,50\u00a0€"


@pytest.mark.django_db
def test_an_amount_the_provider_changed_is_never_released(client, order, released):
    payment = start(order)
    DemoTransaction.objects.filter(provider_ref=payment.provider_ref).update(amount=1)
    press(client, payment, "pay")
    return_to_portal(client, payment)
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (
        PaymentState.ERROR,
        FailureReason.AMOUNT_MISMATCH,
    )
    assert not payment.can_retry
    assert "Bitte zahlen Sie nicht noch einmal" in payment.status_message
    assert len(released) == 0


@pytest.mark.django_db
def test_a_failing_receiver_rolls_the_transition_back_and_the_beat_job_tries_again(client, order):
    """The release runs in the transaction of the transition: both happen, or neither."""
    payment = start(order)
    press(client, payment, "pay")
    attempts = []

    def release(sender, payment, **kwargs):
        Department.objects.filter(pk=order.pk).update(name=Concat("name", Value(" freigegeben")))
        attempts.append(payment.pk)
        if len(attempts) == 1:
            raise RuntimeError("the department queue is down")

    payment_succeeded.connect(release, weak=False)
    try:
        with pytest.raises(RuntimeError):
            payment_refresh(payment_id=payment.pk)
        payment.refresh_from_db()
        assert payment.state == PaymentState.IN_PROGRESS
        assert not payment.events.filter(to_state=PaymentState.SUCCEEDED).exists()
        order.refresh_from_db()
        assert "freigegeben" not in order.name

        with time_machine.travel(payment.created_at.timestamp() + 600, tick=False):
            assert payments_reconcile() == {"checked": 1, "finished": 1, "failed": 0}
    finally:
        payment_succeeded.disconnect(release)
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert payment.events.filter(to_state=PaymentState.SUCCEEDED).count() == 1
    order.refresh_from_db()
    assert order.name.count("freigegeben") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_status_checks_release_once(client, order, released):
    payment = start(order)
    press(client, payment, "pay")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def check():
        try:
            barrier.wait(5)
            payment_refresh(payment_id=payment.pk, source=EventSource.WEBHOOK)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    assert released.payment_ids == [payment.pk]
    assert payment.events.filter(to_state=PaymentState.SUCCEEDED).count() == 1
