"""The beat job `payments.reconcile`: the payer who never returns, expiry after the provider's TTL,
our own time limit, lost answers, and a provider that is down or rate limited."""

import datetime

import pytest
import time_machine

from services.payments.constants import EventSource, FailureReason, PaymentState
from services.payments.models import DemoTransaction, Payment
from services.payments.providers.demo import psp
from services.payments.services import payments_reconcile
from services.payments.tasks import payments_reconcile_task

from .helpers import press, return_to_portal, start

pytestmark = pytest.mark.django_db


def later(payment: Payment, seconds: float):
    return time_machine.travel(payment.created_at + datetime.timedelta(seconds=seconds), tick=False)


def test_user_never_returns_and_the_beat_job_settles_it(client, order, released):
    payment = start(order)
    client.get(payment.redirect_url)
    press(client, payment, "pay")  # then the browser is closed: no return, no webhook read
    assert payments_reconcile()["checked"] == 0  # too fresh to bother the provider

    with later(payment, 121):
        assert payments_reconcile_task.apply().get() == {"checked": 1, "finished": 1, "failed": 0}
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert payment.events.get(to_state=PaymentState.SUCCEEDED).source == EventSource.RECONCILE
    assert released.payment_ids == [payment.pk]
    with later(payment, 600):
        assert payments_reconcile()["checked"] == 0  # final payments are left alone
    return_to_portal(client, payment)  # the payer comes back after all, a day later
    assert len(released) == 1


def test_an_open_payment_is_checked_again_only_after_a_pause(order):
    payment = start(order)
    with later(payment, 121):
        assert payments_reconcile()["checked"] == 1
        assert payments_reconcile()["checked"] == 0
    with later(payment, 250):
        assert payments_reconcile()["checked"] == 1
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.IN_PROGRESS


def test_expiry_after_the_provider_ttl(client, order, released, settings):
    settings.PAYMENTS_DEMO_TTL_SECONDS = 300
    payment = start(order)
    client.get(payment.redirect_url)
    with later(payment, 200):
        assert payments_reconcile()["checked"] == 1
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.IN_PROGRESS

    with later(payment, 330):
        payments_reconcile()
        page = client.get(payment.redirect_url)
        assert "Die Zeit für diese Zahlung ist abgelaufen" in page.content.decode()
        press(client, payment, "pay")  # too late: nothing is paid
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (
        PaymentState.FAILED,
        FailureReason.EXPIRED,
    )
    assert payment.raw_status == "failed P0020"
    assert "abgelaufen" in payment.status_message
    assert DemoTransaction.objects.get().status == "failed"
    assert payment.can_retry and len(released) == 0

    with later(payment, 400):
        retry = start(order)
        press(client, retry, "pay")
        return_to_portal(client, retry)
    assert released.payment_ids == [retry.pk]


def test_our_own_time_limit_cancels_at_a_provider_that_never_expires(order, settings):
    settings.PAYMENTS_DEMO_TTL_SECONDS = 30 * 24 * 3600
    settings.PAYMENTS_EXPIRE_AFTER_SECONDS = 3600
    payment = start(order)
    with later(payment, 3400):
        assert payments_reconcile()["checked"] == 1
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.IN_PROGRESS
    with later(payment, 3601):
        payments_reconcile()
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (
        PaymentState.FAILED,
        FailureReason.EXPIRED,
    )
    # and the provider knows: its pay page no longer takes money
    assert DemoTransaction.objects.get().code == "P0040"


def test_a_lost_answer_is_settled_by_the_beat_job(client, order, released):
    payment = start(order, scenario="lost_response")
    assert payment.state == PaymentState.UNKNOWN
    with later(payment, 121):
        payments_reconcile()
    payment.refresh_from_db()
    assert payment.state == PaymentState.IN_PROGRESS
    assert payment.provider_ref == DemoTransaction.objects.get().provider_ref
    # nobody pays (the payer had given up): the provider expires it, the beat job notices
    with later(payment, 90 * 60 + 1):
        payments_reconcile()
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (
        PaymentState.FAILED,
        FailureReason.EXPIRED,
    )
    assert DemoTransaction.objects.count() == 1 and len(released) == 0


def test_a_provider_that_never_answers_ends_as_error_after_our_time_limit(
    order, monkeypatch, settings
):
    settings.PAYMENTS_EXPIRE_AFTER_SECONDS = 3600
    payment = start(order, scenario="lost_response")

    def down(**kwargs):
        raise psp.DemoApiError(500, "P0999", "down")

    monkeypatch.setattr(psp, "api_create", down)
    with later(payment, 121):
        payments_reconcile()
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.UNKNOWN
    with later(payment, 3601):
        payments_reconcile()
    payment.refresh_from_db()
    # no pay page address ever reached the payer, so no money can have moved
    assert (payment.state, payment.failure_reason) == (
        PaymentState.ERROR,
        FailureReason.NO_ANSWER,
    )
    assert payment.can_retry


def test_a_rate_limit_ends_the_round_and_the_next_round_goes_on(client, order, released):
    limited = start(order, scenario="status_rate_limit")
    press(client, limited, "pay")
    with later(limited, 121):
        assert payments_reconcile()["checked"] == 0
    assert Payment.objects.get(pk=limited.pk).state == PaymentState.IN_PROGRESS
    with later(limited, 242):
        assert payments_reconcile()["checked"] == 0  # the second 429
    with later(limited, 363):
        assert payments_reconcile() == {"checked": 1, "finished": 1, "failed": 0}
    assert released.payment_ids == [limited.pk]
