"""The kernel's own personal data: owed e-mails and subscriptions (see portal.core.privacy)."""

from portal.core.models import OutboxMessage, Subscription
from portal.core.privacy import (
    CONSENT,
    LEGAL_DUTY_GDPR,
    SECURITY,
    Erasure,
    PersonalData,
    Retention,
    declare,
)
from portal.core.retention import RetentionRule, delete_with_files, register_rule
from portal.core.subscriptions.models import State

declare(
    PersonalData(
        model="core.OutboxMessage",
        category="Versand von E-Mails",
        purpose="E-Mails, die das Portal schuldet, genau einmal zustellen und Fehler nachweisen",
        legal_basis=SECURITY,
        fields=("recipient", "context"),
        people=("recipient",),
        erasure=Erasure.DELETE,
        retention=Retention(
            "Empfängeradresse und Kontext nach dem Versand; die Zeile bleibt ohne sie, damit "
            "nichts zweimal versandt wird",
            setting="PRIVACY_OUTBOX_ADDRESS_DAYS",
            enforced=True,
        ),
        not_personal={"last_error": "nur Fehlerart und SMTP-Code, nie die Adresse"},
    ),
    PersonalData(
        model="core.Subscription",
        category="Benachrichtigungen (Folgen, Mitmachpool, neue Meldungen im Gebiet)",
        purpose=(
            "Bestätigte E-Mail-Benachrichtigungen über Meldungen, Vorhaben und Ideen; bei "
            "Benachrichtigungen für einen Umkreis die gewählte Adresse und ihr Punkt (scope)"
        ),
        legal_basis=CONSENT,
        fields=("email", "user", "scope"),
        people=("user", "email"),
        erasure=Erasure.DELETE,
        retention=Retention(
            "bis zur Abmeldung; unbestätigte Anmeldungen nach der Frist",
            setting="PRIVACY_UNCONFIRMED_DAYS",
            enforced=True,
        ),
        not_personal={"legacy_token_hash": "Prüfsumme alter Links, ohne Bezug zur Person"},
    ),
    PersonalData(
        model="core.DataExport",
        category="Auskunft und Löschung (Art. 15–17 DSGVO)",
        purpose="eine angeforderte Kopie der eigenen Daten bereitstellen",
        legal_basis=LEGAL_DUTY_GDPR,
        fields=("user", "recipient", "file", "counts"),
        people=("user", "recipient"),
        erasure=Erasure.DELETE,
        retention=Retention(
            "bis der Link abläuft, dann mit der Datei gelöscht",
            setting="PRIVACY_EXPORT_DAYS",
            enforced=True,
        ),
    ),
)


def _outbox_addresses(cutoff) -> int:
    """Sent e-mails keep their key (so nothing goes out twice), not their address."""
    return (
        OutboxMessage.objects.filter(sent_at__lt=cutoff)
        .exclude(recipient="", context={})
        .update(recipient="", context={})
    )


def _pending_subscriptions(cutoff) -> int:
    deleted, _by_model = Subscription.objects.filter(
        state=State.PENDING, created_at__lt=cutoff
    ).delete()
    return deleted


register_rule(
    RetentionRule(
        name="core.outbox_addresses",
        label="Empfängeradressen versandter E-Mails",
        setting="PRIVACY_OUTBOX_ADDRESS_DAYS",
        erase=_outbox_addresses,
    )
)
register_rule(
    RetentionRule(
        name="core.pending_subscriptions",
        label="Nie bestätigte Benachrichtigungen",
        setting="PRIVACY_UNCONFIRMED_DAYS",
        erase=_pending_subscriptions,
    )
)


def _data_exports(cutoff) -> int:
    """Copies of "Meine Daten" whose link has expired, with their files."""
    from portal.core.mydata.models import DataExport

    return delete_with_files(DataExport.objects.filter(created_at__lt=cutoff))


register_rule(
    RetentionRule(
        name="core.data_exports",
        label="Abgelaufene Kopien von „Meine Daten“",
        setting="PRIVACY_EXPORT_DAYS",
        erase=_data_exports,
    )
)
