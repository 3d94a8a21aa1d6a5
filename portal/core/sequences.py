"""Numbers that count up per year (receipt numbers), safe under concurrent requests."""

from django.db import IntegrityError, transaction
from django.db.models import F


def next_yearly_number(sequence_model, year: int) -> int:
    """The next number of `year` in `sequence_model` (fields `year` as primary key and
    `last_number`). The UPDATE takes the row lock, so two requests never get the same number; the
    first of a year creates the row, and a loser of that race counts on the winner's row."""
    updated = sequence_model.objects.filter(year=year).update(last_number=F("last_number") + 1)
    if not updated:
        try:
            with transaction.atomic():
                sequence_model.objects.create(year=year, last_number=1)
        except IntegrityError:
            sequence_model.objects.filter(year=year).update(last_number=F("last_number") + 1)
    return sequence_model.objects.get(year=year).last_number
