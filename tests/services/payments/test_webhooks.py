"""Webhooks: signature, duplicates, out of order, before the return, unknown payments, the demo
provider's delivery and retries, poll-only mode, and one run through a real Celery worker."""

import datetime
import json
import time

import pytest
import time_machine
from django.utils import timezone

from services.payments.constants import EventSource, FailureReason, PaymentState
from services.payments.models import DemoWebhookDelivery, Payment, WebhookMessage
from services.payments.providers import get_provider
from services.payments.providers.demo.webhooks import sign, webhook_deliver, webhooks_relay
from services.payments.tasks import payment_refresh_task

from .helpers import (
    CONTINUE_URL,
    WEBHOOK_URL,
    client_transport,
    deliveries,
    post_webhook,
    press,
    return_to_portal,
    start,
)

REFRESH = "payments.refresh"


def refreshes(rung) -> list:
    return [object_id for name, object_id in rung if name == REFRESH]


def run_rung_refreshes(rung) -> None:
    """What the Celery worker would do with the rung tasks."""
    for payment_id in refreshes(rung):
        payment_refresh_task.apply(args=[payment_id]).get()


@pytest.mark.django_db
class TestSignature:
    def test_a_good_signature_is_accepted_and_kept_once(
        self, client, order, rung, django_capture_on_commit_callbacks
    ):
        payment = start(order)
        press(client, payment, "pay")
        (delivery,) = deliveries(payment, "card_payment_succeeded")
        with django_capture_on_commit_callbacks(execute=True):
            response = post_webhook(client, delivery.body)
        assert response.status_code == 200
        message = WebhookMessage.objects.get()
        assert message.message_id == str(delivery.message_id)
        assert message.payment == payment and message.event_type == "card_payment_succeeded"
        assert refreshes(rung) == [str(payment.pk)]

    @pytest.mark.parametrize(
        "signature",
        ["", "0" * 64, "not-hex", None],
        ids=["missing", "wrong", "garbage", "other-secret"],
    )
    def test_a_bad_signature_is_refused_and_nothing_is_kept(
        self, client, order, rung, signature, django_capture_on_commit_callbacks
    ):
        payment = start(order)
        press(client, payment, "pay")
        (delivery,) = deliveries(payment, "card_payment_succeeded")
        if signature is None:
            signature = sign(delivery.body.encode(), secret="someone-elses-secret")
        with django_capture_on_commit_callbacks(execute=True):
            response = post_webhook(client, delivery.body, signature=signature)
        assert response.status_code == 400
        assert WebhookMessage.objects.count() == 0 and refreshes(rung) == []
        assert Payment.objects.get(pk=payment.pk).state == PaymentState.IN_PROGRESS

    def test_a_changed_body_no_longer_matches_its_signature(self, client, order):
        payment = start(order)
        press(client, payment, "pay")
        (delivery,) = deliveries(payment, "card_payment_succeeded")
        signature = sign(delivery.body.encode())
        forged = delivery.body.replace('"amount":3050', '"amount":1')
        assert forged != delivery.body
        assert post_webhook(client, forged, signature=signature).status_code == 400

    def test_a_signed_but_malformed_body_is_refused(self, client, db):
        assert post_webhook(client, b"{not json").status_code == 400
        assert post_webhook(client, json.dumps({"event_type": "x"})).status_code == 400
        assert WebhookMessage.objects.count() == 0

    def test_only_post_and_only_known_providers(self, client, db):
        assert client.get(WEBHOOK_URL).status_code == 405
        response = client.post(
            "/bezahlen/webhook/govuk/", data=b"{}", content_type="application/json"
        )
        assert response.status_code == 404


@pytest.mark.django_db
def test_duplicates_are_kept_once_and_ring_once(
    client, order, released, rung, django_capture_on_commit_callbacks
):
    payment = start(order)
    press(client, payment, "pay")
    (delivery,) = deliveries(payment, "card_payment_succeeded")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert post_webhook(client, delivery.body).status_code == 200
    assert WebhookMessage.objects.count() == 1
    assert refreshes(rung) == [str(payment.pk)]
    run_rung_refreshes(rung)
    run_rung_refreshes(rung)  # a message delivered twice by the broker, too
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert payment.events.get(to_state=PaymentState.SUCCEEDED).source == EventSource.WEBHOOK
    assert released.payment_ids == [payment.pk]


@pytest.mark.django_db
def test_out_of_order_webhooks_do_no_harm(
    client, order, released, rung, django_capture_on_commit_callbacks
):
    payment = start(order)
    client.get(payment.redirect_url)  # "started"
    press(client, payment, "pay")  # "succeeded"
    started, succeeded = deliveries(payment)
    assert (started.event_type, succeeded.event_type) == (
        "card_payment_started",
        "card_payment_succeeded",
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(client, succeeded.body)
    run_rung_refreshes(rung)
    rung.clear()
    # the older event arrives last; it still says "started" in its body
    assert json.loads(started.body)["resource"]["state"]["status"] == "started"
    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(client, started.body).status_code == 200
    assert refreshes(rung) == []  # the payment is final: nothing to ask
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert WebhookMessage.objects.count() == 2
    assert released.payment_ids == [payment.pk]


@pytest.mark.django_db
def test_a_stale_webhook_only_makes_us_ask_and_the_provider_decides(
    client, order, released, rung, django_capture_on_commit_callbacks
):
    payment = start(order)
    client.get(payment.redirect_url)
    (started,) = deliveries(payment)
    press(client, payment, "decline")
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(client, started.body)  # says "started", arrives after the decline
    run_rung_refreshes(rung)
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (
        PaymentState.FAILED,
        FailureReason.DECLINED,
    )
    assert len(released) == 0


@pytest.mark.django_db
def test_webhook_before_the_return(
    client, order, released, rung, django_capture_on_commit_callbacks
):
    payment = start(order)
    press(client, payment, "pay")
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(client, deliveries(payment, "card_payment_succeeded")[0].body)
    run_rung_refreshes(rung)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    response = return_to_portal(client, payment)
    assert response.status_code == 302 and response["Location"] == CONTINUE_URL
    assert released.payment_ids == [payment.pk]


@pytest.mark.django_db
def test_a_webhook_for_an_unknown_payment_is_acknowledged_and_kept(
    client, db, rung, django_capture_on_commit_callbacks
):
    body = json.dumps(
        {
            "webhook_message_id": "msg-1",
            "api_version": 1,
            "created_date": "2026-01-01T10:00:00+00:00",
            "resource_id": "nobody-knows-this",
            "resource_type": "payment",
            "event_type": "card_payment_succeeded",
            "resource": {"state": {"status": "success"}, "metadata": {"payment_id": "nonsense"}},
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(client, body).status_code == 200
    message = WebhookMessage.objects.get()
    assert message.payment is None and message.provider_ref == "nobody-knows-this"
    assert refreshes(rung) == []


@pytest.mark.django_db
def test_a_webhook_finds_a_payment_whose_create_answer_was_lost(
    client, order, rung, django_capture_on_commit_callbacks, settings
):
    settings.PAYMENTS_DEMO_TTL_SECONDS = 60
    payment = start(order, scenario="lost_response")
    assert payment.state == PaymentState.UNKNOWN and payment.provider_ref == ""
    with time_machine.travel(payment.created_at + datetime.timedelta(seconds=61), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            result = webhooks_relay(transport=client_transport(client))
        assert result == {"expired": 1, "attempted": 1, "delivered": 1}
        assert refreshes(rung) == [str(payment.pk)]  # found by the metadata it carries
        run_rung_refreshes(rung)
    payment.refresh_from_db()
    assert payment.provider_ref != ""
    assert (payment.state, payment.failure_reason) == (
        PaymentState.FAILED,
        FailureReason.EXPIRED,
    )


# --- the demo provider's delivery ----------------------------------------------------------------
@pytest.mark.django_db
def test_delivery_through_the_portal_endpoint(client, order, released, rung):
    payment = start(order)
    press(client, payment, "pay")
    (delivery,) = deliveries(payment)
    delivered = webhook_deliver(delivery_id=delivery.pk, transport=client_transport(client))
    assert delivered.status == DemoWebhookDelivery.Status.SUCCESSFUL
    assert delivered.attempts == 1 and delivered.last_response_code == 200
    # sent once: the relay does not send it again
    assert webhooks_relay(transport=client_transport(client))["attempted"] == 0
    assert WebhookMessage.objects.get().message_id == str(delivery.message_id)


@pytest.mark.django_db
def test_an_unreachable_endpoint_is_retried_on_the_gov_uk_schedule_then_given_up(order, client):
    payment = start(order)
    press(client, payment, "pay")
    (delivery,) = deliveries(payment)
    attempts: list[datetime.datetime] = []

    def down(url, body, headers):
        attempts.append(timezone.now())
        raise ConnectionRefusedError("portal is down")

    start_at = timezone.now()
    expected = [0, 60, 60 + 300, 60 + 300 + 3600, 60 + 300 + 3600 + 86400]
    expected.append(expected[-1] + 172800)
    for offset in expected:
        with time_machine.travel(start_at + datetime.timedelta(seconds=offset + 1), tick=False):
            assert webhooks_relay(transport=down)["attempted"] == 1
            # not due again until the next step of the schedule
            assert webhooks_relay(transport=down)["attempted"] == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 6
    assert delivery.status == DemoWebhookDelivery.Status.FAILED
    assert len(attempts) == 6
    # a server error counts as a failure as well, and the schedule can be compressed
    assert [
        round((b - a).total_seconds()) for a, b in zip(attempts, attempts[1:], strict=False)
    ] == [
        60,
        300,
        3600,
        86400,
        172800,
    ]


@pytest.mark.django_db
def test_a_compressed_schedule_and_a_5xx_answer(order, client, settings):
    settings.PAYMENTS_DEMO_WEBHOOK_RETRY_DELAYS = [1, 2]
    payment = start(order)
    press(client, payment, "pay")
    (delivery,) = deliveries(payment)
    answers = iter([500, 503, 200])

    def flaky(url, body, headers):
        return next(answers)

    now = timezone.now()
    for offset in (0, 2, 5):
        with time_machine.travel(now + datetime.timedelta(seconds=offset), tick=False):
            webhooks_relay(transport=flaky)
    delivery.refresh_from_db()
    assert delivery.status == DemoWebhookDelivery.Status.SUCCESSFUL
    assert delivery.attempts == 3 and delivery.last_response_code == 200


@pytest.mark.django_db
def test_poll_only_mode_sends_no_webhooks_and_still_completes(client, order, released, settings):
    settings.PAYMENTS_DEMO_WEBHOOKS = False
    assert not get_provider().capabilities.webhooks
    payment = start(order)
    client.get(payment.redirect_url)
    press(client, payment, "pay")
    assert DemoWebhookDelivery.objects.count() == 0
    return_to_portal(client, payment)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    assert released.payment_ids == [payment.pk]


# --- the whole way, with a real Redis, a real Celery worker and HTTP ------------------------------
@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_webhook_over_http_and_a_real_worker_settle_the_payment(
    client, live_server, redis_server, start_celery_worker, settings
):
    from tests.factories import DepartmentFactory

    settings.BASE_URL = live_server.url
    start_celery_worker(redis_server, TEST_BASE_URL=live_server.url)
    payment = start(DepartmentFactory())
    # the payer pays and closes the window: only the provider's webhook can tell us
    press(client, payment, "pay")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        payment.refresh_from_db()
        if payment.state == PaymentState.SUCCEEDED:
            break
        time.sleep(0.2)
    assert payment.state == PaymentState.SUCCEEDED
    assert payment.events.get(to_state=PaymentState.SUCCEEDED).source == EventSource.WEBHOOK
    delivery = DemoWebhookDelivery.objects.get(event_type="card_payment_succeeded")
    assert delivery.status == DemoWebhookDelivery.Status.SUCCESSFUL
    assert WebhookMessage.objects.get().payment_id == payment.pk
