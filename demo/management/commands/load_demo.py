"""Loads the demo city. Safe to run again: what exists is left as it is."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import content


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (Stadt Schwerte). Mehrfaches Ausführen ändert nichts."

    @transaction.atomic
    def handle(self, *args, **options):
        content.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo-Inhalte sind geladen."))
