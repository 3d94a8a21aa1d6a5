"""`manage.py relay_outbox`: ring the send task again for owed e-mails (for cron, where no Celery
beat runs)."""

from django.core.management.base import BaseCommand

from portal.core.outbox.services import outbox_relay


class Command(BaseCommand):
    help = "Stellt ausstehende E-Mails erneut zum Versand ein."

    def handle(self, *args, **options):
        count = outbox_relay()
        self.stdout.write(f"{count} E-Mail(s) erneut eingestellt.")
