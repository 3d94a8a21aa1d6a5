"""The kernel's own personal data: owed e-mails and subscriptions (see portal.core.privacy)."""

from portal.core.privacy import (
    CONSENT,
    SECURITY,
    Erasure,
    PersonalData,
    Retention,
    declare,
)

declare(
    PersonalData(
        model="core.OutboxMessage",
        category="Versand von E-Mails",
        purpose="E-Mails, die das Portal schuldet, genau einmal zustellen und Fehler nachweisen",
        legal_basis=SECURITY,
        fields=("recipient", "context"),
        people=("recipient",),
        erasure=Erasure.DELETE,
        retention=Retention("Empfängeradresse 30 Tage nach dem Versand"),
        not_personal={"last_error": "nur Fehlerart und SMTP-Code, nie die Adresse"},
    ),
    PersonalData(
        model="core.Subscription",
        category="Benachrichtigungen (Folgen, Mitmachpool)",
        purpose="Bestätigte E-Mail-Benachrichtigungen über Meldungen, Vorhaben und Ideen",
        legal_basis=CONSENT,
        fields=("email", "user", "scope"),
        people=("user", "email"),
        erasure=Erasure.DELETE,
        retention=Retention("bis zur Abmeldung; unbestätigte Anmeldungen 7 Tage"),
        not_personal={"legacy_token_hash": "Prüfsumme alter Links, ohne Bezug zur Person"},
    ),
)
