"""Demo accounts, for local use only. Their passwords are printed in the README."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.accounts.models import TrustLevel, User

DEMO_USERS = [
    # e-mail, password, first name, last name, superuser, groups
    ("admin@schwerte.example", "Demo-Admin-2026", "Ada", "Admin", True, []),
    (
        "tiefbau@schwerte.example",
        "Demo-Tiefbau-2026",
        "Tilo",
        "Tiefbau",
        False,
        ["Sachbearbeitung"],
    ),
    ("gruen@schwerte.example", "Demo-Gruen-2026", "Greta", "Grün", False, ["Fachbereichsleitung"]),
    ("buerger@schwerte.example", "Demo-Buerger-2026", "Bernd", "Bürger", False, []),
]


def load(stdout) -> None:
    for email, password, first, last, is_superuser, groups in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=first,
                last_name=last,
                is_staff=is_superuser,
                is_superuser=is_superuser,
                trust_level=TrustLevel.EMAIL_CONFIRMED,
            )
            user.groups.set(Group.objects.filter(name__in=groups))
            stdout.write(f"  Konto angelegt: {email}")
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
