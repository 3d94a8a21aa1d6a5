"""The applications' personal data: what an applicant entered and uploaded (see
portal.core.privacy)."""

from portal.core.privacy import (
    PUBLIC_TASK,
    Erasure,
    Export,
    PersonalData,
    Retention,
    declare,
)
from portal.core.retention import RetentionRule, delete_with_files, register_rule

declare(
    PersonalData(
        model="eforms.Submission",
        category="Online-Anträge",
        purpose="einen Antrag nach dem jeweiligen Fachrecht bearbeiten und bescheiden",
        legal_basis=PUBLIC_TASK + " und das Fachrecht der Leistung",
        fields=("applicant", "data"),
        people=("applicant", "ticket__contact_email"),
        case="ticket",
        erasure=Erasure.DETACH,
        retention=Retention(
            "nach dem Fachrecht der Leistung. Nie eingereichte Anträge (Entwürfe, unbezahlte, "
            "zurückgezogene), die seit der Frist (voreingestellt 30 Tage) niemand geändert hat, "
            "werden mit ihren hochgeladenen Dateien gelöscht – nie einer mit einer erfolgreichen, "
            "laufenden oder ungeklärten Zahlung. Ihre gescheiterten Zahlungsversuche bleiben als "
            "Beleg gegenüber dem Zahlungsdienst, ohne Bezug zu einer Person",
            setting="PRIVACY_DRAFT_DAYS",
            enforced=True,
        ),
    ),
    PersonalData(
        model="eforms.SubmissionFile",
        category="Online-Anträge",
        purpose="Nachweise zu einem Antrag (nicht öffentlich gespeichert)",
        legal_basis=PUBLIC_TASK + " und das Fachrecht der Leistung",
        fields=("file", "original_name"),
        people=("submission__applicant", "submission__ticket__contact_email"),
        case="submission__ticket",
        erasure=Erasure.DELETE,
        retention=Retention(
            "die Nachweise eines bearbeiteten Antrags nach der Frist (voreingestellt 365 Tage) "
            "nach Abschluss seines Anliegens: der Bescheid ist ergangen, der Antrag selbst "
            "bleibt; die eines nie eingereichten Antrags mit ihm (PRIVACY_DRAFT_DAYS)",
            setting="PRIVACY_PROOFS_DAYS_AFTER_CLOSE",
            enforced=True,
        ),
        export=Export.FILES,
    ),
)


def _unsent_applications(cutoff) -> int:
    """Applications that never reached a department and that nobody changed since the cutoff,
    deleted with their uploads (the files after commit).

    Kept: any application with a payment that took money or may still take it (succeeded,
    under way, authorised, unknown, or failed with a differing amount), and any with a payment
    attempt within the period. The failed attempts of a deleted application stay: no money was
    taken and nothing was booked, but the provider knows them by their id, and reconciliation
    must still find them; they name no one (declared without personal fields), and once their
    application is gone nothing leads from them to a person."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import models
    from django.db.models import Exists, OuterRef, Q
    from django.db.models.functions import Cast

    from services.payments.models import FailureReason, Payment, PaymentState

    from .constants import SubmissionStatus
    from .models import Submission, SubmissionFile

    no_money = [PaymentState.FAILED, PaymentState.CANCELLED, PaymentState.ERROR]
    keeps_it = Payment.objects.filter(
        order_content_type=ContentType.objects.get_for_model(Submission),
        order_object_id=Cast(OuterRef("pk"), models.CharField(max_length=64)),
    ).filter(
        ~Q(state__in=no_money)
        | Q(failure_reason=FailureReason.AMOUNT_MISMATCH)
        | Q(created_at__gte=cutoff)
    )
    due = list(
        Submission.objects.filter(
            status__in=[
                SubmissionStatus.DRAFT,
                SubmissionStatus.AWAITING_PAYMENT,
                SubmissionStatus.WITHDRAWN,
            ],
            updated_at__lt=cutoff,
            released_at__isnull=True,
            ticket__isnull=True,
        )
        .exclude(Exists(keeps_it))
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    delete_with_files(SubmissionFile.objects.filter(submission__in=due))
    Submission.objects.filter(pk__in=due).delete()
    return len(due)


register_rule(
    RetentionRule(
        name="eforms.unsent_applications",
        label="Nie eingereichte Anträge (Entwürfe, unbezahlt, zurückgezogen) mit ihren Dateien",
        setting="PRIVACY_DRAFT_DAYS",
        erase=_unsent_applications,
    )
)


def _proofs_of_closed_cases(cutoff) -> int:
    """Uploaded proofs of applications whose Anliegen closed before the cutoff: the decision is
    made, the application stays with its answers, the copies of documents go."""
    from portal.tickets.constants import CLOSED_STATUSES

    from .models import SubmissionFile

    return delete_with_files(
        SubmissionFile.objects.filter(
            submission__ticket__status__in=CLOSED_STATUSES,
            submission__ticket__closed_at__lt=cutoff,
        )
    )


register_rule(
    RetentionRule(
        name="eforms.proofs_after_close",
        label="Nachweise abgeschlossener Anträge",
        setting="PRIVACY_PROOFS_DAYS_AFTER_CLOSE",
        erase=_proofs_of_closed_cases,
    )
)
