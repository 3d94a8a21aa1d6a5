"""The applications' personal data: what an applicant entered and uploaded (see
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
        model="eforms.Submission",
        category="Online-Anträge",
        purpose="einen Antrag nach dem jeweiligen Fachrecht bearbeiten und bescheiden",
        legal_basis=PUBLIC_TASK + " und das Fachrecht der Leistung",
        fields=("applicant", "data"),
        people=("applicant", "ticket__contact_email"),
        erasure=Erasure.DETACH,
        retention=Retention(
            "nach dem Fachrecht der Leistung; nicht abgeschickte und unbezahlte Anträge 30 Tage"
        ),
    ),
    PersonalData(
        model="eforms.SubmissionFile",
        category="Online-Anträge",
        purpose="Nachweise zu einem Antrag (nicht öffentlich gespeichert)",
        legal_basis=PUBLIC_TASK + " und das Fachrecht der Leistung",
        fields=("file", "original_name"),
        people=("submission__applicant", "submission__ticket__contact_email"),
        erasure=Erasure.DELETE,
        retention=Retention("mit ihrem Antrag"),
        export=Export.FILES,
    ),
)
