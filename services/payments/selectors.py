"""Reads of the payments app."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .constants import COUNTED_REFUND_STATES, NON_FINAL_STATES, REFERENCE_PREFIX
from .models import Payment, PaymentEvent, Refund


def payment_list_for_order(order) -> QuerySet[Payment]:
    """The payments of one order (e.g. an application), newest first."""
    content_type = ContentType.objects.get_for_model(order)
    return Payment.objects.filter(
        order_content_type=content_type, order_object_id=str(order.pk)
    ).order_by("-created_at")


def with_refunded_total(payments: QuerySet[Payment]) -> QuerySet[Payment]:
    return payments.annotate(
        refunded_total=Coalesce(
            Sum("refunds__amount_minor", filter=Q(refunds__state__in=COUNTED_REFUND_STATES)),
            Value(0),
            output_field=IntegerField(),
        )
    )


def payment_admin_list(*, state: str = "", query: str = "") -> QuerySet[Payment]:
    """The back office list: filter by state, search by reference ("ZB-7F3A9C21", or part of
    it) or the provider's id."""
    payments = Payment.objects.select_related("order_content_type").order_by("-created_at")
    if state:
        payments = payments.filter(state=state)
    query = query.strip()
    if query:
        hex_part = query.upper().removeprefix(REFERENCE_PREFIX).replace("-", "").lower()
        condition = Q(provider_ref=query)
        if hex_part and all(c in "0123456789abcdef" for c in hex_part):
            condition |= Q(id__istartswith=hex_part[:32])
        payments = payments.filter(condition)
    return with_refunded_total(payments)


def payment_detail(payment_id) -> Payment:
    return with_refunded_total(
        Payment.objects.select_related("order_content_type").filter(pk=payment_id)
    ).get()


def payment_events(payment: Payment) -> QuerySet[PaymentEvent]:
    return payment.events.select_related("actor").order_by("created_at", "pk")


def payment_refunds(payment: Payment) -> QuerySet[Refund]:
    return payment.refunds.select_related("actor").order_by("created_at", "pk")


def payment_ids_due_for_reconcile(*, older_than: datetime.timedelta, limit: int) -> list:
    """Unfinished payments nobody has looked at for a while, least recently checked first."""
    cutoff = timezone.now() - older_than
    return list(
        Payment.objects.filter(state__in=NON_FINAL_STATES, created_at__lte=cutoff)
        .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=cutoff))
        .order_by(F("last_checked_at").asc(nulls_first=True), "created_at")
        .values_list("pk", flat=True)[:limit]
    )
