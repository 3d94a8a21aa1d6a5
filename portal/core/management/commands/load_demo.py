"""Loads the demo city. Safe to run again: what exists is left as it is."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (Stadt Schwerte). Mehrfaches Ausführen ändert nichts."

    @transaction.atomic
    def handle(self, *args, **options):
        # Each app may ship a `demo` module with `load(stdout)`; apps load in INSTALLED_APPS order,
        # so a later app can rely on the content of an earlier one.
        for config in apps.get_app_configs():
            if not config.name.startswith(("portal.", "participation.", "services.")):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo-Inhalte sind geladen."))
