"""Poll answers: who answered (an account or a browser key) and what they wrote (see
portal.core.privacy)."""

from portal.core.privacy import PUBLIC_TASK, Erasure, PersonalData, Retention, declare

declare(
    PersonalData(
        model="polls.Response",
        category="Umfragen",
        purpose="Antworten einer Umfrage zählen, einmal je Person",
        legal_basis=PUBLIC_TASK,
        fields=("user", "entered_by", "browser_key"),
        people=("user",),
        erasure=Erasure.DETACH,
        retention=Retention("die Zuordnung bis zum Ende der Umfrage; die Antworten anonym"),
    ),
    PersonalData(
        model="polls.Answer",
        category="Umfragen",
        purpose="Antworten auswerten",
        legal_basis=PUBLIC_TASK,
        fields=("text", "other_text"),
        people=("response__user",),
        erasure=Erasure.DETACH,
        retention=Retention("mit der Umfrage"),
    ),
)
