"""Due dates in working days: weekends and the public holidays of the city's Land do not count."""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=32)
def _public_holidays(state: str, year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Germany(subdiv=state, years=year))


def is_working_day(day: datetime.date, *, state: str | None = None) -> bool:
    state = state or settings.PORTAL_STATE
    return day.weekday() < 5 and day not in _public_holidays(state, day.year)


def add_working_days(start: datetime.date, days: int, *, state: str | None = None) -> datetime.date:
    """The date `days` working days after `start`. A concern that arrives on a Saturday or a
    holiday counts from the next working day, just like one that arrives on that day."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current, state=state):
            remaining -= 1
    return current


def working_days_between(
    start: datetime.date, end: datetime.date, *, state: str | None = None
) -> int:
    """How many working days follow `start` up to and including `end` (0 when `end` is not
    after `start`): the days a clock that stopped on `start` and ran again on `end` stood."""
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current, state=state):
            count += 1
    return count
