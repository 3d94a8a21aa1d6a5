from django.core.management.base import BaseCommand

from portal.tickets.services import ticket_relay


class Command(BaseCommand):
    help = (
        "Stellt Anliegen, die noch auf Zuordnung warten, und ungesendete E-Mails erneut in die "
        "Warteschlange (für cron, falls Celery beat nicht läuft)."
    )

    def handle(self, *args, **options):
        counts = ticket_relay()
        self.stdout.write(
            f"{counts['tickets']} Anliegen und {counts['notifications']} E-Mails erneut eingereiht."
        )
