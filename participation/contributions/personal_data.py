"""The discussion's personal data: ideas, comments, supports, "Melden" and the moderation log
(see portal.core.privacy)."""

from portal.core.privacy import PUBLIC_TASK, Erasure, PersonalData, Retention, declare

_CONTRIBUTION = ("author", "entered_by", "offline_name", "text", "moderation_reason")

declare(
    PersonalData(
        model="contributions.Idea",
        category="Beiträge zur Beteiligung",
        purpose="Ideen veröffentlichen, moderieren und auswerten",
        legal_basis=PUBLIC_TASK,
        fields=(*_CONTRIBUTION, "title", "address"),
        people=("author",),
        erasure=Erasure.ANONYMISE,
        retention=Retention("solange das Vorhaben oder die Idee veröffentlicht ist"),
    ),
    PersonalData(
        model="contributions.Comment",
        category="Beiträge zur Beteiligung",
        purpose="Kommentare veröffentlichen und moderieren",
        legal_basis=PUBLIC_TASK,
        fields=_CONTRIBUTION,
        people=("author",),
        erasure=Erasure.ANONYMISE,
        retention=Retention("solange das Vorhaben oder die Idee veröffentlicht ist"),
    ),
    PersonalData(
        model="contributions.Support",
        category="Beiträge zur Beteiligung",
        purpose="Unterstützungen einmal je Konto zählen",
        legal_basis=PUBLIC_TASK,
        fields=("user",),
        people=("user",),
        erasure=Erasure.DELETE,
        retention=Retention("mit ihrer Idee"),
    ),
    PersonalData(
        model="contributions.ContributionReport",
        category="Moderation",
        purpose="gemeldete Beiträge prüfen",
        legal_basis=PUBLIC_TASK,
        fields=("reporter", "reason"),
        people=("reporter",),
        erasure=Erasure.DETACH,
        retention=Retention("bis zur Entscheidung der Moderation, dann 1 Jahr"),
    ),
    PersonalData(
        model="contributions.ModerationLog",
        category="Moderation",
        purpose="nachweisen, wer welchen Beitrag warum ausgeblendet hat",
        legal_basis=PUBLIC_TASK,
        fields=("user", "actor", "reason"),
        people=("user", "actor"),
        erasure=Erasure.DETACH,
        retention=Retention("3 Jahre"),
    ),
)
