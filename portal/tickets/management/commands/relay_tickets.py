from django.core.management.base import BaseCommand

from portal.tickets.services import ticket_relay


class Command(BaseCommand):
    help = (
        "Stellt Anliegen, die noch auf Zuordnung warten, erneut in die Warteschlange (für cron, "
        "falls Celery beat nicht läuft; ungesendete E-Mails: relay_outbox)."
    )

    def handle(self, *args, **options):
        counts = ticket_relay()
        self.stdout.write(
            f"{counts['tickets']} Anliegen erneut eingereiht, "
            f"{counts['events']} Ereignis(se) erneut bekannt gegeben."
        )
