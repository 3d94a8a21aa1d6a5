"""Departments hold the city's functional mailboxes and who works in which (see
portal.core.privacy)."""

from portal.core.privacy import STAFF, Erasure, Export, PersonalData, Retention, declare

declare(
    PersonalData(
        model="departments.Department",
        category="Fachbereiche",
        purpose="Zuständigkeit und Funktionspostfach eines Fachbereichs",
        legal_basis=STAFF,
        fields=(),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("solange der Fachbereich besteht"),
        not_personal={"email": "Funktionspostfach des Fachbereichs, keine persönliche Adresse"},
    ),
    PersonalData(
        model="departments.DepartmentMembership",
        category="Arbeitsdaten von Beschäftigten",
        purpose="wer in welchem Fachbereich Anliegen bearbeitet",
        legal_basis=STAFF,
        fields=("user",),
        people=("user",),
        erasure=Erasure.DELETE,
        retention=Retention("bis zum Ende der Zugehörigkeit oder der Löschung des Kontos"),
        export=Export.ON_REQUEST,
    ),
)
