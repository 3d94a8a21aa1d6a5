"""Due dates skip weekends and the public holidays of North Rhine-Westphalia."""

import datetime

import pytest

from portal.tickets.sla import add_working_days, is_working_day

D = datetime.date


@pytest.mark.parametrize(
    "start, days, due",
    [
        # an ordinary week: Monday + 3 = Thursday
        (D(2026, 11, 23), 3, D(2026, 11, 26)),
        # Friday + 1 skips the weekend
        (D(2026, 11, 27), 1, D(2026, 11, 30)),
        # received on a Saturday: counting starts on Monday
        (D(2026, 11, 28), 1, D(2026, 11, 30)),
        # Christmas 2026: Thu 24 is a working day, Fri 25 + Sat 26 holiday/weekend, Sun 27
        (D(2026, 12, 23), 2, D(2026, 12, 28)),
        # New Year: Wed 31 Dec + 1 = Fri 2 Jan (1 Jan is a holiday)
        (D(2025, 12, 31), 1, D(2026, 1, 2)),
        # Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        # Fronleichnam (Corpus Christi), a holiday in NRW: Thu 4 Jun 2026
        (D(2026, 6, 3), 1, D(2026, 6, 5)),
        # 20 working days for accessibility feedback across Christmas and New Year
        (D(2026, 12, 14), 20, D(2027, 1, 13)),
    ],
)
def test_due_dates_in_nrw(start, days, due):
    assert add_working_days(start, days, state="NW") == due


def test_fronleichnam_is_a_holiday_in_nrw_but_not_in_berlin():
    corpus_christi = D(2026, 6, 4)
    assert not is_working_day(corpus_christi, state="NW")
    assert is_working_day(corpus_christi, state="BE")


def test_all_saints_on_a_working_day_counts_in_nrw():
    # 1 Nov 2027 is a Monday, a holiday in NRW
    assert add_working_days(D(2027, 10, 29), 1, state="NW") == D(2027, 11, 2)
