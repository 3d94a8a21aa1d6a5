from django.core.management.base import BaseCommand

from services.reports.clusters import report_map_rebuild


class Command(BaseCommand):
    help = (
        "Zählt die vorberechneten Cluster der Mängelkarte neu (nach einem Import, der die "
        "Meldungen direkt in die Datenbank schreibt; nächtlich auch per Celery beat)."
    )

    def handle(self, *args, **options):
        counted = report_map_rebuild()
        self.stdout.write(f"{counted} veröffentlichte Meldung(en) auf der Karte gezählt.")
