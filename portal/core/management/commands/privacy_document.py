"""Writes docs/datenschutz.md from the declarations of personal data (portal.core.privacy)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from portal.core.privacy import document


class Command(BaseCommand):
    help = "Schreibt docs/datenschutz.md aus den Erklärungen zu personenbezogenen Daten."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "docs" / "datenschutz.md")
        )

    def handle(self, *args, **options):
        with translation.override("de"):
            text = document()
        Path(options["output"]).write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"{options['output']} geschrieben."))
