"""The provider interface as the demo provider implements it, and the registry behind it."""

import uuid

import pytest

from services.payments.checks import payments_demo_in_deployment, payments_provider_known
from services.payments.constants import FailureReason, PaymentState, RefundState
from services.payments.providers import get_provider
from services.payments.providers.base import (
    CreateRequest,
    InvalidWebhook,
    ProviderConflict,
    ProviderError,
    RefundRefused,
)
from services.payments.providers.demo import psp
from services.payments.providers.demo.models import DemoTransaction
from services.payments.providers.demo.provider import DemoProvider


def request(**kwargs) -> CreateRequest:
    values = {
        "idempotency_key": str(uuid.uuid4()),
        "amount_minor": 2000,
        "currency": "EUR",
        "purpose": "Hundesteuer 2026",
        "description": "Hundesteuer für Bello",
        "return_url": "http://testserver/bezahlen/zurueck/abc/",
    }
    values.update(kwargs)
    return CreateRequest(**values)


def test_the_registry_follows_the_setting(settings):
    assert isinstance(get_provider(), DemoProvider)
    assert get_provider("demo").key == "demo"
    with pytest.raises(LookupError):
        get_provider("govuk")
    settings.PAYMENTS_PROVIDER_CLASSES = {
        "zweiter": "services.payments.providers.demo.provider.DemoProvider"
    }
    assert isinstance(get_provider("zweiter"), DemoProvider)
    assert payments_provider_known(None) == []
    settings.PAYMENTS_PROVIDER = "gibt-es-nicht"
    assert [message.id for message in payments_provider_known(None)] == ["payments.E001"]


def test_deploy_check_names_the_demo_provider_and_its_dev_secret(settings):
    assert [m.id for m in payments_demo_in_deployment(None)] == ["payments.W001", "payments.W002"]
    settings.PAYMENTS_DEMO_WEBHOOK_SECRET = "a-real-secret"
    assert [m.id for m in payments_demo_in_deployment(None)] == ["payments.W001"]


def test_capabilities():
    capabilities = get_provider().capabilities
    assert capabilities.refunds and capabilities.partial_refunds and capabilities.cancel
    assert capabilities.webhooks and not capabilities.delayed_capture
    assert capabilities.expiry_seconds == 90 * 60
    assert (capabilities.min_amount_minor, capabilities.max_amount_minor) == (50, 10_000_000)


@pytest.mark.django_db
def test_same_key_and_body_returns_the_original_different_body_is_a_conflict():
    provider = get_provider()
    first = request()
    created = provider.create(first)
    assert created.status.state == PaymentState.IN_PROGRESS
    assert created.redirect_url == f"/bezahlen/demo/{created.provider_ref}/"
    assert provider.create(first).provider_ref == created.provider_ref
    with pytest.raises(ProviderConflict) as conflict:
        provider.create(request(idempotency_key=first.idempotency_key, amount_minor=2500))
    assert (conflict.value.status, conflict.value.code) == (409, "P0191")
    assert DemoTransaction.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [
        {"idempotency_key": "kein gültiger Schlüssel!"},
        {"currency": "USD"},
        {"amount_minor": 49},
        {"purpose": ""},
    ],
)
def test_the_provider_validates_too(kwargs):
    with pytest.raises(ProviderError) as refused:
        get_provider().create(request(**kwargs))
    assert refused.value.status == 422
    assert DemoTransaction.objects.count() == 0


@pytest.mark.django_db
def test_status_cancel_and_refund_errors():
    provider = get_provider()
    with pytest.raises(ProviderError) as missing:
        provider.get_status("gibt-es-nicht")
    assert missing.value.status == 404
    created = provider.create(request())
    provider.cancel(created.provider_ref)
    status = provider.get_status(created.provider_ref)
    assert (status.state, status.failure_reason, status.raw_status) == (
        PaymentState.CANCELLED,
        FailureReason.SERVICE_CANCELLED,
        "cancelled P0040",
    )
    with pytest.raises(ProviderError) as finished:
        provider.cancel(created.provider_ref)
    assert finished.value.status == 400
    with pytest.raises(RefundRefused):
        provider.refund(
            created.provider_ref, amount_minor=100, expected_available_minor=0, idempotency_key="r"
        )


@pytest.mark.django_db
def test_refund_guard_and_idempotency():
    provider = get_provider()
    created = provider.create(request())
    tx = DemoTransaction.objects.get()
    psp.payer_acted(tx, "pay")
    assert provider.get_status(created.provider_ref).refund_available_minor == 2000
    with pytest.raises(RefundRefused) as stale:
        provider.refund(
            created.provider_ref,
            amount_minor=500,
            expected_available_minor=1500,
            idempotency_key="a",
        )
    assert (stale.value.status, stale.value.code) == (412, "P0604")
    with pytest.raises(RefundRefused) as too_much:
        provider.refund(
            created.provider_ref,
            amount_minor=2001,
            expected_available_minor=2000,
            idempotency_key="b",
        )
    assert too_much.value.code == "P0603"
    done = provider.refund(
        created.provider_ref, amount_minor=500, expected_available_minor=2000, idempotency_key="c"
    )
    again = provider.refund(
        created.provider_ref, amount_minor=500, expected_available_minor=1500, idempotency_key="c"
    )
    assert (
        done.state == RefundState.SUCCEEDED
        and again.provider_refund_ref == done.provider_refund_ref
    )
    assert provider.get_status(created.provider_ref).refund_available_minor == 1500


def test_parse_webhook_checks_the_signature():
    provider = get_provider()
    body = (
        b'{"webhook_message_id":"m1","event_type":"card_payment_succeeded","resource_id":"r1",'
        b'"resource":{"state":{"status":"success"},"metadata":{"payment_id":"p1"}}}'
    )
    from services.payments.providers.demo.webhooks import sign

    (event,) = provider.parse_webhook(headers={"Pay-Signature": sign(body)}, body=body)
    assert (event.message_id, event.provider_ref, event.raw_status, event.payment_hint) == (
        "m1",
        "r1",
        "success",
        "p1",
    )
    with pytest.raises(InvalidWebhook):
        provider.parse_webhook(headers={"Pay-Signature": sign(body + b" ")}, body=body)
    with pytest.raises(InvalidWebhook):
        provider.parse_webhook(headers={}, body=body)
