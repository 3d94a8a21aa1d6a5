"""A pool idea's own personal data: its photo and the reasons of its stages; the idea's text,
author and supports are its input's (participation.contributions; see portal.core.privacy)."""

from portal.core.privacy import PUBLIC_TASK, Erasure, Export, PersonalData, Retention, declare

declare(
    PersonalData(
        model="ideas.PoolIdea",
        category="Ideenpool",
        purpose="Ideen mit Foto veröffentlichen und ihren Weg begründen",
        legal_basis=PUBLIC_TASK,
        fields=("photo",),
        people=("input__author",),
        erasure=Erasure.ANONYMISE,
        retention=Retention("solange die Idee veröffentlicht ist"),
        export=Export.FILES,
        not_personal={"stage_reason": "Begründung der Verwaltung, ohne Angaben zur Person"},
    ),
)
