"""Payments hold no name or address of the payer (the provider does); they belong to the person
whose order they pay, and who in the city acted on a payment is personal (see
portal.core.privacy)."""

from portal.core.privacy import LEGAL_DUTY, STAFF, Erasure, Export, PersonalData, Retention, declare


def _payments_of(person, found):
    """The payments of whatever the person ordered (an application): an order is any model,
    named by its content type, so the payments follow the rows found for the person."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from .models import Payment

    condition = Q()
    for label, queryset in found.items():
        if label == "payments.Payment":
            continue
        content_type = ContentType.objects.get_for_model(apps.get_model(label))
        if not Payment.objects.filter(order_content_type=content_type).exists():
            continue
        pks = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        if pks:
            condition |= Q(order_content_type=content_type, order_object_id__in=pks)
    if not condition:
        return None
    return Payment.objects.filter(condition)


declare(
    PersonalData(
        model="payments.Payment",
        category="Zahlungen",
        purpose="Gebühren eines Antrags einnehmen und verbuchen",
        legal_basis=LEGAL_DUTY,
        fields=(),
        people=(),
        rows_of=_payments_of,
        erasure=Erasure.DETACH,
        retention=Retention("10 Jahre nach Ablauf des Haushaltsjahres (§ 147 AO)"),
    ),
    PersonalData(
        model="payments.PaymentEvent",
        category="Zahlungen",
        purpose="lückenloser Verlauf einer Zahlung (Buchungsbeleg)",
        legal_basis=LEGAL_DUTY,
        fields=("actor",),
        people=("actor",),
        erasure=Erasure.DETACH,
        retention=Retention("10 Jahre nach Ablauf des Haushaltsjahres (§ 147 AO)"),
        export=Export.ON_REQUEST,
    ),
    PersonalData(
        model="payments.Refund",
        category="Zahlungen",
        purpose="Erstattungen und wer sie veranlasst hat",
        legal_basis=STAFF + "; " + LEGAL_DUTY,
        fields=("actor",),
        people=("actor",),
        erasure=Erasure.DETACH,
        retention=Retention("10 Jahre nach Ablauf des Haushaltsjahres (§ 147 AO)"),
        export=Export.ON_REQUEST,
    ),
)
