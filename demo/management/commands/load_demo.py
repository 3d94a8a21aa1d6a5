"""Loads the demo city. Safe to run again: what exists is left as it is."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import content
from portal.core.figures.services import figures_compute
from portal.core.models import OutboxMessage
from portal.core.opendata.services import opendata_publish


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (Stadt Schwerte). Mehrfaches Ausführen ändert nichts."

    @transaction.atomic
    def handle(self, *args, **options):
        before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        content.load(self.stdout)
        # the demo people are fictitious: what loading them owed (receipts, notices) is not mail
        # anybody waits for, and it would fill the console of `make run` on the first relay
        OutboxMessage.objects.filter(pk__gt=before).delete()
        # /zahlen/ shows the demo city's figures at once, not only after the first night
        figures_compute()
        opendata_publish()
        self.stdout.write(self.style.SUCCESS("Demo-Inhalte sind geladen."))
