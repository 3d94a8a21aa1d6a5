"""Erases the personal data whose retention period has ended (the daily beat job, for cron)."""

from django.core.management.base import BaseCommand

from portal.core.retention import retention_run, rules


class Command(BaseCommand):
    help = "Löscht personenbezogene Daten, deren Frist abgelaufen ist (Löschprotokoll)."

    def handle(self, *args, **options):
        labels = {rule.name: str(rule.label) for rule in rules()}
        for name, count in retention_run().items():
            self.stdout.write(f"{labels[name]}: {count}")
