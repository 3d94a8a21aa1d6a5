"""Projects hold who took part (as a key, for counting) and who is blocked (see
portal.core.privacy)."""

from portal.core.privacy import PUBLIC_TASK, Erasure, PersonalData, Retention, declare

declare(
    PersonalData(
        model="projects.ParticipationBlock",
        category="Beteiligung",
        purpose="Personen, die gegen die Regeln verstoßen haben, von der Beteiligung ausschließen",
        legal_basis=PUBLIC_TASK,
        fields=("user", "created_by", "reason"),
        people=("user", "created_by"),
        erasure=Erasure.DELETE,
        retention=Retention("bis zur Aufhebung der Sperre oder der Löschung des Kontos"),
    ),
    PersonalData(
        model="projects.ProjectParticipant",
        category="Beteiligung",
        purpose="verschiedene Teilnehmende eines Vorhabens zählen",
        legal_basis=PUBLIC_TASK,
        fields=("key",),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("mit dem Vorhaben"),
    ),
)
