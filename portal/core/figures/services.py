"""The nightly computation of the public figures (portal.core.figures)."""

import datetime

from django.db import transaction
from django.utils import timezone

from . import Period, providers
from .models import FigureSnapshot

# the figures cover the current month and the eleven before it
MONTHS = 12
# snapshots older than this are removed (each holds its own history by month)
KEEP = datetime.timedelta(days=35)


def figures_period(today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _ in range(MONTHS - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period(start=start, today=today)


def figures_compute(today: datetime.date | None = None) -> FigureSnapshot:
    """Every registered section for the period up to today, stored as the newest snapshot."""
    period = figures_period(today)
    sections = [provider(period).as_dict() for provider in providers()]
    with transaction.atomic():
        snapshot = FigureSnapshot.objects.create(
            period_start=period.start, period_end=period.today, sections=sections
        )
        FigureSnapshot.objects.filter(computed_at__lt=timezone.now() - KEEP).delete()
    return snapshot


def figures_latest() -> FigureSnapshot | None:
    return FigureSnapshot.objects.order_by("-computed_at", "-pk").first()
