"""The discussion's personal data: ideas, comments, supports, "Melden" and the moderation log
(see portal.core.privacy)."""

from portal.core.privacy import PUBLIC_TASK, Erasure, PersonalData, Retention, declare
from portal.core.retention import RetentionRule, register_rule

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
        # the idea's count stays: a support given is still counted, without who gave it
        retention=Retention(
            "mit ihrer Idee; bei Löschung des Kontos gelöscht, die Zahl der Unterstützungen "
            "der Idee bleibt"
        ),
    ),
    PersonalData(
        model="contributions.ContributionReport",
        category="Moderation",
        purpose="gemeldete Beiträge prüfen",
        legal_basis=PUBLIC_TASK,
        fields=("reporter", "reporter_key", "reason"),
        people=("reporter",),
        # "user:<id>" names the account: a random value keeps "once per person" intact
        identity=("reporter_key",),
        erasure=Erasure.DETACH,
        retention=Retention(
            "bis zur Entscheidung der Moderation, dann für die Frist (voreingestellt 365 Tage "
            "nach „entschieden am“), danach gelöscht; offene Meldungen bleiben bis zur "
            "Entscheidung",
            setting="PRIVACY_MODERATION_REPORT_DAYS",
            enforced=True,
        ),
    ),
    PersonalData(
        model="contributions.ModerationLog",
        category="Moderation",
        purpose="nachweisen, wer welchen Beitrag warum ausgeblendet hat",
        legal_basis=PUBLIC_TASK,
        fields=("user", "actor", "reason"),
        people=("user",),
        staff_people=("actor",),
        erasure=Erasure.DETACH,
        retention=Retention("3 Jahre"),
    ),
)


def _decided_reports(cutoff) -> int:
    """Reports of contributions that the moderation decided on before the cutoff (a decision
    resolves all open reports of the contribution at once, `reports_resolve`). Open reports
    wait for their decision; the moderation log keeps what was decided."""
    from .models import ContributionReport

    deleted, _by_model = ContributionReport.objects.filter(resolved_at__lt=cutoff).delete()
    return deleted


register_rule(
    RetentionRule(
        name="contributions.decided_reports",
        label="Meldungen von Beiträgen nach der Entscheidung der Moderation",
        setting="PRIVACY_MODERATION_REPORT_DAYS",
        erase=_decided_reports,
    )
)
