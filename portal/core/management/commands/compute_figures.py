"""Computes the public figures (/zahlen/) now, as the nightly job does."""

from django.core.management.base import BaseCommand

from portal.core.figures.services import figures_compute


class Command(BaseCommand):
    help = "Berechnet die öffentlichen Zahlen (/zahlen/) jetzt, wie es der nächtliche Auftrag tut."

    def handle(self, *args, **options):
        snapshot = figures_compute()
        self.stdout.write(f"Zahlen berechnet ({len(snapshot.sections)} Abschnitte).")
