"""Payments hold no name or address of the payer (the provider does); only who in the city acted
on a payment is personal (see portal.core.privacy)."""

from portal.core.privacy import LEGAL_DUTY, STAFF, Erasure, Export, PersonalData, Retention, declare

declare(
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
