"""Projects hold who took part (as a key, for counting) and who is blocked (see
portal.core.privacy)."""

from portal.core.privacy import PUBLIC_TASK, Erasure, PersonalData, Retention, declare


def _participant_rows(person, found):
    """Taking part is counted by a key: "user:<id>" for an account."""
    from .models import ProjectParticipant

    if not person.user_id:
        return None
    return ProjectParticipant.objects.filter(key=f"user:{person.user_id}")


declare(
    PersonalData(
        model="projects.ParticipationBlock",
        category="Beteiligung",
        purpose="Personen, die gegen die Regeln verstoßen haben, von der Beteiligung ausschließen",
        legal_basis=PUBLIC_TASK,
        fields=("user", "created_by", "reason"),
        people=("user",),
        staff_people=("created_by",),
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
        rows_of=_participant_rows,
        # "user:<id>" names the account: a random key keeps the number of participants
        identity=("key",),
        erasure=Erasure.DETACH,
        retention=Retention("mit dem Vorhaben"),
    ),
)
