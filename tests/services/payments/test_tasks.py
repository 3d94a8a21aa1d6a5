"""The Celery tasks: ids in, early return when the work is done, back-off on a rate limit."""

import pytest

from services.payments.constants import PaymentState
from services.payments.models import DemoTransaction
from services.payments.providers.base import ProviderBusy
from services.payments.tasks import payment_refresh_task

from .helpers import press, start

pytestmark = pytest.mark.django_db


def test_refresh_task_backs_off_on_429_and_then_settles(client, order, released):
    payment = start(order, scenario="status_rate_limit")
    press(client, payment, "pay")
    assert ProviderBusy in payment_refresh_task.autoretry_for
    assert payment_refresh_task.retry_backoff and payment_refresh_task.retry_jitter
    # eagerly, Celery runs the retries at once: two 429s, then the answer
    assert payment_refresh_task.apply(args=[str(payment.pk)]).get() == PaymentState.SUCCEEDED
    assert DemoTransaction.objects.get().refuse_status_calls == 0
    assert released.payment_ids == [payment.pk]


def test_refresh_task_gives_up_after_its_retries(client, order, settings, monkeypatch):
    from services.payments.providers.demo import psp

    payment = start(order)
    calls = []

    def always_busy(provider_ref):
        calls.append(provider_ref)
        raise psp.DemoApiError(429, "P0900", "Too many requests")

    monkeypatch.setattr(psp, "api_get", always_busy)
    result = payment_refresh_task.apply(args=[str(payment.pk)])
    with pytest.raises(ProviderBusy):
        result.get()
    assert len(calls) == payment_refresh_task.max_retries + 1


def test_refresh_task_returns_early(client, order, monkeypatch):
    from services.payments.providers.demo import psp

    payment = start(order)
    press(client, payment, "cancel")
    assert payment_refresh_task.apply(args=[str(payment.pk)]).get() == PaymentState.FAILED
    monkeypatch.setattr(psp, "api_get", lambda ref: pytest.fail("asked about a final payment"))
    assert payment_refresh_task.apply(args=[str(payment.pk)]).get() == PaymentState.FAILED
    missing = "00000000-0000-0000-0000-000000000000"
    assert payment_refresh_task.apply(args=[missing]).get() == ""
