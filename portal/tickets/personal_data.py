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
from portal.core.retention import RetentionRule, register_rule

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
        people=("citizen", "contact_email"),
        staff_people=("assignee",),
        identity=("access_token",),
        withheld=("access_token",),
        case="id",
        erasure=Erasure.DETACH,
        retention=Retention(
            "Kontakt-E-Mail-Adresse: geleert, wenn das Anliegen seit der Frist (voreingestellt "
            "90 Tage) abgeschlossen ist; ein wieder geöffnetes zählt ab seinem neuen Abschluss. "
            "Der geheime Link zur Statusseite bleibt gültig: ein Zufallsschlüssel ohne Bezug zur "
            "Person, mit dem sie weiter sieht, wie ihr Anliegen ausging. Der Vorgang selbst 3 "
            "Jahre nach Abschluss (Aktenplan)",
            setting="PRIVACY_CONTACT_DAYS_AFTER_CLOSE",
            enforced=True,
        ),
    ),
    PersonalData(
        model="tickets.TicketEvent",
        category="Anliegen und ihre Kontaktdaten",
        purpose="Verlauf eines Anliegens, öffentlich und intern, mit Rückfragen und Antworten",
        legal_basis=PUBLIC_TASK,
        fields=("public_message", "citizen_message", "internal_note", "actor"),
        people=("ticket__citizen", "ticket__contact_email"),
        staff_people=("actor",),
        internal=("internal_note",),
        case="ticket",
        erasure=Erasure.DETACH,
        retention=Retention("mit seinem Anliegen"),
    ),
    PersonalData(
        model="tickets.TicketAttachment",
        category="Anliegen und ihre Kontaktdaten",
        purpose="Fotos zur Antwort auf eine Rückfrage (nicht öffentlich gespeichert)",
        legal_basis=PUBLIC_TASK,
        fields=("image",),
        people=("ticket__citizen", "ticket__contact_email"),
        case="ticket",
        erasure=Erasure.DELETE,
        retention=Retention("mit seinem Anliegen"),
        export=Export.FILES,
    ),
    PersonalData(
        model="tickets.TicketFeedback",
        category="Anliegen und ihre Kontaktdaten",
        purpose="Zufriedenheit mit der Bearbeitung; öffentlich nur als Zahl ohne Namen",
        legal_basis=PUBLIC_TASK,
        fields=("rating", "comment"),
        people=("ticket__citizen", "ticket__contact_email"),
        case="ticket",
        erasure=Erasure.DELETE,
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


def _contact_after_close(cutoff) -> int:
    """The contact address of Anliegen closed before the cutoff. A reopened Anliegen has no
    closing time until it is closed again, so its address stays while it is worked on. The
    status link stays: it is a random key that names nobody, and the person keeps seeing how
    their Anliegen ended."""
    from .constants import CLOSED_STATUSES
    from .models import Ticket

    return (
        Ticket.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=cutoff)
        .exclude(contact_email="")
        .update(contact_email="")
    )


register_rule(
    RetentionRule(
        name="tickets.contact_after_close",
        label="Kontakt-E-Mail-Adressen abgeschlossener Anliegen",
        setting="PRIVACY_CONTACT_DAYS_AFTER_CLOSE",
        erase=_contact_after_close,
    )
)
