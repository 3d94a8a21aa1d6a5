"""The spine's personal data: a citizen's concern, its contact and its timeline (see
portal.core.privacy)."""

from portal.core.privacy import (
    PUBLIC_TASK,
    Erasure,
    Export,
    PersonalData,
    Retention,
    declare,
)

declare(
    PersonalData(
        model="tickets.Ticket",
        category="Anliegen und ihre Kontaktdaten",
        purpose="ein Anliegen bearbeiten, die Person über den Stand informieren",
        legal_basis=PUBLIC_TASK,
        fields=(
            "summary",
            "address",
            "contact_email",
            "citizen",
            "access_token",
            "status_reason",
            "assignee",
        ),
        people=("citizen", "contact_email", "assignee"),
        erasure=Erasure.DETACH,
        retention=Retention(
            "Kontaktdaten 90 Tage nach Abschluss des Anliegens; der Vorgang 3 Jahre nach "
            "Abschluss (Aktenplan)"
        ),
    ),
    PersonalData(
        model="tickets.TicketEvent",
        category="Anliegen und ihre Kontaktdaten",
        purpose="Verlauf eines Anliegens, öffentlich und intern",
        legal_basis=PUBLIC_TASK,
        fields=("public_message", "internal_note", "actor"),
        people=("ticket__citizen", "ticket__contact_email", "actor"),
        erasure=Erasure.DETACH,
        retention=Retention("mit seinem Anliegen"),
    ),
    PersonalData(
        model="tickets.FailedJob",
        category="Betrieb",
        purpose="gescheiterte Hintergrundaufträge erneut starten",
        legal_basis=PUBLIC_TASK,
        fields=(),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("bis zum erneuten Start, mit seinem Anliegen"),
        export=Export.ON_REQUEST,
        not_personal={"error": "nur Fehlerart und Code, ohne Angaben zur Person"},
    ),
)
