"""The Mängelmelder's personal data: who reported what, their photos and supports, the contact
person of an API client (see portal.core.privacy)."""

from portal.core.privacy import (
    PUBLIC_TASK,
    Erasure,
    Export,
    PersonalData,
    Retention,
    declare,
)
from portal.core.retention import RetentionRule, register_rule

declare(
    PersonalData(
        model="reports.Report",
        category="Mängelmeldungen",
        purpose="einen Mangel beheben, die meldende Person informieren, den Stand veröffentlichen",
        legal_basis=PUBLIC_TASK,
        fields=(
            "description",
            "public_description",
            "address",
            "attributes",
            "reporter_name",
            "reporter_email",
            "reporter",
        ),
        people=("reporter", "reporter_email"),
        identity=("reporter_name",),
        case="ticket",
        erasure=Erasure.DETACH,
        retention=Retention(
            "Name und E-Mail-Adresse der meldenden Person: geleert, wenn ihr Anliegen seit der "
            "Frist (voreingestellt 90 Tage) abgeschlossen ist; die Meldung ohne sie 3 Jahre",
            setting="PRIVACY_CONTACT_DAYS_AFTER_CLOSE",
            enforced=True,
        ),
    ),
    PersonalData(
        model="reports.ReportPhoto",
        category="Mängelmeldungen",
        purpose="Fotos einer Meldung (ohne Metadaten neu gespeichert)",
        legal_basis=PUBLIC_TASK,
        fields=("image", "rendition", "alt_text"),
        people=("report__reporter", "report__reporter_email"),
        case="report__ticket",
        erasure=Erasure.DELETE,
        retention=Retention("mit ihrer Meldung"),
        export=Export.FILES,
    ),
    PersonalData(
        model="reports.ReportSupport",
        category="Mängelmeldungen",
        purpose="„Ich bin auch betroffen“ zählen, einmal je Person",
        legal_basis=PUBLIC_TASK,
        fields=("user", "email"),
        people=("user", "email"),
        erasure=Erasure.DELETE,
        retention=Retention(
            "mit ihrer Meldung; nie bestätigte nach der Frist; bei Löschung des Kontos "
            "gelöscht, die Zahl der Betroffenen der Meldung bleibt",
            setting="PRIVACY_UNCONFIRMED_DAYS",
            enforced=True,
        ),
    ),
    PersonalData(
        model="reports.ReportPhotoDraft",
        category="Mängelmeldungen",
        purpose="ein Foto zwischenspeichern, bis die Meldung abgeschickt ist",
        legal_basis=PUBLIC_TASK,
        fields=("content",),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("bis zum Ablauf (expires_at), stündlich gelöscht", enforced=True),
    ),
    PersonalData(
        model="reports.ApiClient",
        category="Partner der Open311-Schnittstelle",
        purpose="Ansprechperson eines Programms, das Meldungen einreicht",
        legal_basis=PUBLIC_TASK,
        fields=("contact",),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("solange der Zugang besteht"),
        export=Export.ON_REQUEST,
    ),
)


def _unconfirmed_supports(cutoff) -> int:
    """Supports given with an address whose link was never used: they never counted."""
    from .models import ReportSupport

    deleted, _by_model = (
        ReportSupport.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
        .exclude(email="")
        .delete()
    )
    return deleted


register_rule(
    RetentionRule(
        name="reports.unconfirmed_supports",
        label="Nie bestätigte „Ich bin auch betroffen“",
        setting="PRIVACY_UNCONFIRMED_DAYS",
        erase=_unconfirmed_supports,
    )
)


def _reporter_after_close(cutoff) -> int:
    """Name and address of the reporter once the report's Anliegen has been closed for the
    period (the Anliegen's own rule empties its contact address on the same day)."""
    from portal.tickets.constants import CLOSED_STATUSES

    from .models import Report

    return (
        Report.objects.filter(ticket__status__in=CLOSED_STATUSES, ticket__closed_at__lt=cutoff)
        .exclude(reporter_name="", reporter_email="")
        .update(reporter_name="", reporter_email="")
    )


register_rule(
    RetentionRule(
        name="reports.reporter_after_close",
        label="Name und E-Mail-Adresse von Meldenden abgeschlossener Anliegen",
        setting="PRIVACY_CONTACT_DAYS_AFTER_CLOSE",
        erase=_reporter_after_close,
    )
)
