"""`load_demo` where the demo app is not installed (production): refuses, touching nothing.

The demo content lives in the `demo` app, which only the development and test settings install;
there its own `load_demo` comes first in INSTALLED_APPS and replaces this one."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Lädt Demo-Inhalte – nur in der Entwicklungsumgebung (make run)."
    # refuses before anything else, even before the system checks
    requires_system_checks = []

    def handle(self, *args, **options):
        raise CommandError(
            _(
                "Demo-Inhalte gibt es nur in der Entwicklungsumgebung: Die App „demo“ ist mit "
                "diesen Einstellungen nicht installiert. Es wurde nichts geändert. Für ein "
                "Portal mit Demo-Inhalten starten Sie „make run“ (portal.settings.dev)."
            )
        )
