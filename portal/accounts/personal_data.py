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
from portal.core.retention import RetentionRule, register_rule


def _sessions_of(person, found):
    """The person's sessions: only the session itself knows whose it is."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    if not person.user_id:
        return None
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(person.user_id)
    ]
    return Session.objects.filter(pk__in=mine)


declare(
    PersonalData(
        model="accounts.User",
        category="Konto",
        purpose="Anmeldung, Mein Konto, Name zu öffentlichen Beiträgen",
        legal_basis=PORTAL_USE,
        fields=("email", "first_name", "last_name", "display_name", "password", "last_login"),
        people=("email",),
        withheld=("password",),
        erasure=Erasure.DELETE,
        retention=Retention(
            "bis zur Löschung des Kontos; ein Konto, dessen E-Mail-Adresse nie bestätigt wurde "
            "und mit dem sich nie jemand angemeldet hat, wird nach der Frist (voreingestellt 7 "
            "Tage nach der Registrierung) mit seinen Adressen gelöscht – nie ein Konto der "
            "Verwaltung (Mitarbeitende, Gruppen, Rechte, Fachbereich)",
            setting="PRIVACY_UNCONFIRMED_DAYS",
            enforced=True,
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
        title="Zweite Faktoren der Anmeldung",
        category="Konto",
        purpose="zweiter Faktor der Anmeldung (Pflicht für Beschäftigte)",
        legal_basis=SECURITY,
        fields=("user", "data"),
        people=("user",),
        withheld=("data",),
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
        rows_of=_sessions_of,
        withheld=("session_data",),
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


def _unconfirmed_accounts(cutoff) -> int:
    """Accounts registered before the cutoff whose address was never confirmed and that never
    logged in: deleted with what hangs on them (their addresses and confirmation keys).

    Deleted, not erased person-wide (`erase_person`): the address was never proven to be
    theirs, so it must not find or scrub rows of whoever really owns it (an anonymous report, a
    confirmed subscription); and an account that never logged in can have written nothing.
    Accounts of the administration (staff, groups, permissions, a department) are never
    touched, even unused ones."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Exists, OuterRef, ProtectedError, RestrictedError

    from .models import TrustLevel

    User = get_user_model()
    unused = (
        User.objects.filter(
            date_joined__lt=cutoff,
            last_login__isnull=True,
            trust_level=TrustLevel.NEW,
            is_staff=False,
            is_superuser=False,
            department_memberships=None,
        )
        .exclude(Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)))
        .exclude(Exists(User.groups.through.objects.filter(user_id=OuterRef("pk"))))
        .exclude(Exists(User.user_permissions.through.objects.filter(user_id=OuterRef("pk"))))
    )
    deleted = 0
    for user in list(unused):
        try:
            with transaction.atomic():
                user.delete()
        except (ProtectedError, RestrictedError):
            continue  # something the city must keep points to it: not an unused account
        deleted += 1
    return deleted


register_rule(
    RetentionRule(
        name="accounts.unconfirmed_accounts",
        label="Nie bestätigte und nie genutzte Konten",
        setting="PRIVACY_UNCONFIRMED_DAYS",
        erase=_unconfirmed_accounts,
    )
)
