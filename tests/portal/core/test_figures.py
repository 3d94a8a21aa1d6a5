"""/zahlen/ with 2,000 Anliegen: every figure on the page equals a computation of this test from
the dates it seeded (its own working days with NRW's holidays, the days a question waited left
out), the page reads the same number of queries whatever it shows, and every chart has its
table."""

import datetime
import random
import statistics
import zoneinfo
from collections import defaultdict

import holidays
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.core.figures.services import figures_compute
from portal.tickets.constants import Channel, EventKind, TicketStatus
from portal.tickets.models import Ticket, TicketEvent, TicketFeedback
from tests.factories import CategoryFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
TODAY = datetime.date(2027, 3, 15)
NOW = datetime.datetime(2027, 3, 15, 23, 0, tzinfo=BERLIN)
PERIOD_START = datetime.date(2026, 4, 1)
NRW = holidays.Germany(subdiv="NW", years=range(2026, 2028))
SLA_TARGET = 90
MIN_RATINGS = 5


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Days after `start` up to and including `end`, Monday to Friday, not a holiday in NRW."""
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if (day := start + datetime.timedelta(days=n)).weekday() < 5 and day not in NRW
    )


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=BERLIN)


class Seeded:
    """One Anliegen as seeded, with what the figures must say of it."""

    def __init__(self, rng, number, departments, categories):
        self.department = rng.choice(departments + [None])  # some not routed yet
        self.category = rng.choice(categories)
        self.channel = rng.choice(Channel.values)
        self.received = PERIOD_START + datetime.timedelta(days=rng.randrange(0, 349))
        self.number = number
        self.events = []  # (day, hour, kind, from, to, public_message)
        day = self.received
        status = TicketStatus.RECEIVED
        self.first_answer = None
        self.completion = None
        self.reopened = False
        self.rating = None
        accept = day + datetime.timedelta(days=rng.randrange(0, 8))
        self.plan = [(accept, EventKind.ACCEPTED, TicketStatus.IN_REVIEW, "Wir prüfen.")]
        question = answer = None
        if rng.random() < 0.25:
            question = accept + datetime.timedelta(days=rng.randrange(0, 4))
            self.plan.append((question, EventKind.QUESTION, TicketStatus.WAITING, "Wo genau?"))
            if rng.random() < 0.8:
                answer = question + datetime.timedelta(days=rng.randrange(0, 9))
                self.plan.append((answer, EventKind.ANSWER, TicketStatus.IN_REVIEW, ""))
            else:  # closed without an answer
                answer = question + datetime.timedelta(days=14)
                self.plan.append((answer, EventKind.NO_ANSWER, TicketStatus.NOT_FEASIBLE, "x"))
        last = answer or accept
        if not (question and self.plan[-1][1] == EventKind.NO_ANSWER):
            close = last + datetime.timedelta(days=rng.randrange(0, 25))
            outcome = TicketStatus.DONE if rng.random() < 0.85 else TicketStatus.NOT_FEASIBLE
            self.plan.append((close, EventKind.STATUS, outcome, "Erledigt." if outcome else ""))
            if outcome == TicketStatus.DONE and rng.random() < 0.12:
                again = close + datetime.timedelta(days=rng.randrange(1, 10))
                self.plan.append((again, EventKind.REOPENED, TicketStatus.IN_REVIEW, ""))
                self.plan.append(
                    (again + datetime.timedelta(days=3), EventKind.STATUS, TicketStatus.DONE, "")
                )
        self.plan = [step for step in self.plan if at(step[0], 14) <= NOW]
        paused = 0
        first_close = None
        for index, (when, kind, to, _message) in enumerate(self.plan):
            if index == 0:
                self.first_answer = working_days(self.received, when)
            if kind in (EventKind.ANSWER, EventKind.NO_ANSWER) and first_close is None:
                paused += working_days(question, when)
            if to in (TicketStatus.DONE, TicketStatus.NOT_FEASIBLE) and first_close is None:
                first_close = when
                self.completion = max(0, working_days(self.received, when) - paused)
            if kind == EventKind.REOPENED:
                self.reopened = True
            status = to
        self.status = status
        if self.department is None:  # not routed: no answer, nothing closed
            self.plan, self.status = [], TicketStatus.RECEIVED
            self.first_answer = self.completion = None
        if self.status in (TicketStatus.DONE, TicketStatus.NOT_FEASIBLE) and rng.random() < 0.5:
            self.rating = rng.randint(1, 5)


@pytest.fixture
def seeded(db):
    rng = random.Random(17)
    departments = [
        DepartmentFactory(name=n) for n in ("Tiefbauamt", "Grünflächenamt", "Ordnungsamt")
    ]
    categories = [
        CategoryFactory(name=name, sla_days=sla)
        for name, sla in (("Schlagloch", 10), ("Laterne", 5), ("Müll", 3), ("Spielplatz", 15))
    ]
    cases = [Seeded(rng, n, departments, categories) for n in range(2000)]
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"2026-{case.number:06d}",
            access_token=f"token-{case.number}",
            source_kind="anliegen",
            category=case.category,
            summary="Seeded",
            department=case.department,
            channel=case.channel,
            status=case.status,
            received_at=at(case.received, 9),
        )
        for case in cases
    )
    events = []
    for case, ticket in zip(cases, tickets, strict=True):
        case.ticket = ticket
        events.append(
            TicketEvent(ticket=ticket, kind=EventKind.CREATED, created_at=at(case.received, 9))
        )
        previous = TicketStatus.RECEIVED
        for hour, (when, kind, to, message) in enumerate(case.plan, start=10):
            events.append(
                TicketEvent(
                    ticket=ticket, kind=kind, from_status=previous, to_status=to,
                    public_message=message, created_at=at(when, hour),
                )
            )  # fmt: skip
            previous = to
            # an internal note between the lines never counts
            events.append(TicketEvent(ticket=ticket, kind=EventKind.NOTE, internal_note="intern",
                                      created_at=at(when, hour)))  # fmt: skip
        if case.rating:
            TicketFeedback.objects.create(ticket=ticket, rating=case.rating)
    TicketEvent.objects.bulk_create(events)
    # an Anliegen of the month before the period never counts
    before = at(PERIOD_START, 0) - datetime.timedelta(hours=1)
    Ticket.objects.create(
        number="2026-999999",
        source_kind="anliegen",
        category=categories[0],
        summary="alt",
        received_at=before,
    )
    return cases


def expected(cases) -> dict:
    closed_once = [c for c in cases if c.completion is not None]
    closed_now = [c for c in cases if c.status in (TicketStatus.DONE, TicketStatus.NOT_FEASIBLE)]
    ratings = [c.rating for c in cases if c.rating]
    first = [c.first_answer for c in cases if c.first_answer is not None]

    def pct(part, whole):
        return round(100 * part / whole, 1) if whole else None

    completions = [c.completion for c in closed_once]
    in_sla = sum(c.completion <= c.category.sla_days for c in closed_once)
    not_feasible = sum(c.status == TicketStatus.NOT_FEASIBLE for c in closed_now)
    enough = len(ratings) >= MIN_RATINGS
    return {
        "received": len(cases),
        "first_answer": statistics.median(first) if first else None,
        "completion": statistics.median(completions) if completions else None,
        "sla_target": SLA_TARGET,
        "sla_actual": pct(in_sla, len(closed_once)),
        "not_feasible": pct(not_feasible, len(closed_now)),
        "reopened": pct(sum(c.reopened for c in closed_once), len(closed_once)),
        "satisfaction": round(statistics.mean(ratings), 1) if enough else None,
        "ratings": len(ratings),
    }


def as_number(text: str):
    return None if text == "None" else float(text)


def page_tables(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    tables = {}
    for table in soup.select("table[data-table]"):
        keys = [th.get_text(strip=True) for th in table.select("thead th")][1:]
        rows = {}
        for tr in table.select("tbody tr[data-row]"):
            rows[tr["data-row"]] = [as_number(td["data-value"]) for td in tr.select("td")]
        tables[table["data-table"]] = (keys, rows)
    figures = {
        item["data-figure"]: as_number(item["data-value"]) for item in soup.select("[data-figure]")
    }
    return {"tables": tables, "figures": figures, "soup": soup}


COLUMNS = ["received", "first_answer", "completion", "sla_target", "sla_actual", "not_feasible",
           "reopened", "satisfaction", "ratings"]  # fmt: skip


def check_row(values, cases, where):
    want = expected(cases)
    got = dict(zip(COLUMNS, values, strict=True))
    for key in COLUMNS:
        if want[key] is None:
            assert got[key] is None, (where, key)
        else:
            assert got[key] == pytest.approx(want[key]), (where, key, got[key], want[key])


def test_every_figure_equals_an_independent_computation(client, seeded, settings):
    settings.FIGURES_SLA_TARGET_PERCENT = SLA_TARGET
    settings.FIGURES_MIN_RATINGS = MIN_RATINGS
    with time_machine.travel(NOW, tick=False):
        figures_compute()
        page = page_tables(client.get("/zahlen/").content.decode())

    # the headline figures: all Anliegen of the period
    want = expected(seeded)
    for key in COLUMNS[:-1]:
        got = page["figures"][f"anliegen.{key}"]
        assert got == (pytest.approx(want[key]) if want[key] is not None else None), key
    # by department (routed ones), by category, by month of receipt, by channel
    keys, rows = page["tables"]["anliegen.fachbereiche"]
    groups = defaultdict(list)
    for case in seeded:
        if case.department:
            groups[case.department.name].append(case)
    assert set(rows) == set(groups)
    for name, cases in groups.items():
        check_row(rows[name], cases, name)
    _keys, rows = page["tables"]["anliegen.kategorien"]
    for category in {c.category for c in seeded}:
        check_row(rows[category.name], [c for c in seeded if c.category == category], category)
    _keys, rows = page["tables"]["anliegen.monate"]
    assert len(rows) == 12
    for month, values in rows.items():
        cases = [c for c in seeded if c.received.strftime("%Y-%m") == month]
        check_row(values, cases, month)
    _keys, rows = page["tables"]["anliegen.eingangswege"]
    for channel in Channel.values:
        assert rows[channel] == [sum(c.channel == channel for c in seeded)], channel
    # the chart beside each table says the same (the largest bar is full width)
    soup = page["soup"]
    for figure in soup.select("figure.bar-chart"):
        table = figure.find_next("table")
        assert table is not None and table.has_attr("data-table")
        assert len(figure.select(".bar-chart__row")) == len(table.select("tbody tr[data-row]"))


def test_the_page_reads_the_same_queries_however_much_it_shows(client, seeded):
    client.get("/zahlen/")  # the site's settings are made on the first visit
    with time_machine.travel(NOW, tick=False):
        figures_compute()
        with CaptureQueriesContext(connection) as full:
            assert client.get("/zahlen/").status_code == 200
    Ticket.objects.all().delete()
    with time_machine.travel(NOW, tick=False):
        figures_compute()
        with CaptureQueriesContext(connection) as empty:
            assert client.get("/zahlen/").status_code == 200
    # the snapshot and the site's settings for the page's frame
    assert len(full.captured_queries) == len(empty.captured_queries) <= 4


def test_before_the_first_night_the_page_says_so(client, db):
    page = client.get("/zahlen/").content.decode()
    assert "Die erste Auswertung erscheint hier nach der nächsten Nacht." in page
