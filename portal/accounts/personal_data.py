"""The personal data of accounts: the user, allauth's addresses and second factors, sessions and
the Wagtail user profile (see portal.core.privacy)."""

from portal.core.privacy import (
    PORTAL_USE,
    SECURITY,
    Erasure,
    PersonalData,
    Retention,
    declare,
)

declare(
    PersonalData(
        model="accounts.User",
        category="Konto",
        purpose="Anmeldung, Mein Konto, Name zu öffentlichen Beiträgen",
        legal_basis=PORTAL_USE,
        fields=("email", "first_name", "last_name", "display_name", "password", "last_login"),
        people=("email",),
        erasure=Erasure.DELETE,
        retention=Retention(
            "bis zur Löschung des Kontos; nie bestätigte Konten 7 Tage nach der Registrierung"
        ),
    ),
    PersonalData(
        model="account.EmailAddress",
        category="Konto",
        purpose="bestätigte E-Mail-Adressen eines Kontos",
        legal_basis=PORTAL_USE,
        fields=("email", "user"),
        people=("user", "email"),
        erasure=Erasure.DELETE,
        retention=Retention("bis zur Löschung des Kontos oder der Adresse"),
    ),
    PersonalData(
        model="account.EmailConfirmation",
        category="Konto",
        purpose="Bestätigung einer E-Mail-Adresse",
        legal_basis=PORTAL_USE,
        fields=("email_address",),
        people=("email_address__user", "email_address__email"),
        erasure=Erasure.DELETE,
        retention=Retention("bis zur Bestätigung, höchstens 3 Tage"),
    ),
    PersonalData(
        model="mfa.Authenticator",
        category="Konto",
        purpose="zweiter Faktor der Anmeldung (Pflicht für Beschäftigte)",
        legal_basis=SECURITY,
        fields=("user", "data"),
        people=("user",),
        erasure=Erasure.DELETE,
        retention=Retention("bis zur Löschung des Kontos oder des Faktors"),
    ),
    PersonalData(
        model="sessions.Session",
        category="Sitzungen",
        purpose="angemeldet bleiben, einmalige Formular-Schlüssel, Entwürfe",
        legal_basis=SECURITY,
        fields=("session_data",),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("bis zum Ablauf der Sitzung (SESSION_COOKIE_AGE), dann gelöscht"),
    ),
    PersonalData(
        model="wagtailusers.UserProfile",
        category="Arbeitsdaten von Beschäftigten",
        purpose="Einstellungen der Redaktion im Verwaltungsbereich",
        legal_basis=PORTAL_USE,
        fields=("user", "avatar", "dismissibles"),
        people=("user",),
        erasure=Erasure.DELETE,
        retention=Retention("bis zur Löschung des Kontos"),
    ),
)
