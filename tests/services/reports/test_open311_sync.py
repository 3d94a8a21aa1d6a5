"""Open311 sync for city apps and neighbouring systems: `GET servicerequestupdates` (FixMyStreet's
extension), `updated_after`/`updated_before` on `GET requests`, and `extended_attributes` with
Klarschiff's `detailed_status` for clients that send `extensions=true`.

Statuses change through the ticket services, as staff change them. The clock is moved with
time_machine, never slept on. The test client carries no cookie: the answers pass the page cache
in front of the views (portal.core.pagecache), as an app's requests do."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.departments.models import DepartmentKind
from portal.tickets.constants import OPEN_STATUSES, EventKind, PublishMode, TicketStatus
from portal.tickets.models import Ticket, TicketEvent
from portal.tickets.services import (
    ticket_accept,
    ticket_add_note,
    ticket_change_status,
    ticket_hand_over,
    ticket_mark_duplicate,
    ticket_route,
)
from services.reports.models import Report
from services.reports.open311 import views
from services.reports.services import report_publish
from tests.factories import CategoryFactory, DepartmentFactory, StaffUserFactory

from . import test_open311
from .test_open311 import BASE, FORMATS, as_text, errors, flat, make_report, parse

# the Open311 tests' fixtures
city, department, category = test_open311.city, test_open311.department, test_open311.category

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UPDATES = f"{BASE}servicerequestupdates"
MORNING = datetime.datetime(2026, 12, 7, 8, 0, 0, 123456, tzinfo=BERLIN)
START_OF_DAY = "2026-12-07T00:00:00+01:00"


# --- helpers --------------------------------------------------------------------------------------
def texts(entry: dict) -> dict:
    """A JSON object as XML writes it: every value as text, a nested object as a dict of them."""
    flat_values = as_text(
        {key: value for key, value in entry.items() if not isinstance(value, dict)}
    )
    return {
        key: texts(value) if isinstance(value, dict) else flat_values[key]
        for key, value in entry.items()
    }


def items_of(response, fmt: str, schema: str, root: str, item: str) -> list[dict]:
    """The items of a list answer in one shape for both formats: every value as XML writes it,
    `extended_attributes` as a dict of them."""
    assert response.status_code == 200, response.content
    body = parse(response, fmt, schema, root)
    if fmt == "json":
        return [texts(entry) for entry in body]
    assert all(element.tag == item for element in body)
    return [
        {child.tag: flat(child) if len(child) else child.text or "" for child in element}
        for element in body
    ]


def updates_of(response, fmt: str) -> list[dict]:
    return items_of(response, fmt, "request_updates", "service_request_updates", "request_update")


def requests_of(response, fmt: str) -> list[dict]:
    return items_of(response, fmt, "requests", "service_requests", "request")


class SyncClient:
    """An Open311 client that keeps its copy in step as README.md ("Abgleich") says: it asks with
    start_date = the updated_datetime of the last update it received (the start of the day at
    first), and again at once while an answer is full."""

    def __init__(self, client, fmt: str, start: str = START_OF_DAY):
        self.client = client
        self.fmt = fmt
        self.cursor = start
        self.received: list[dict] = []
        self.answers: list[list[dict]] = []
        self.bodies: list[str] = []

    def poll(self) -> list[dict]:
        new = []
        while True:
            response = self.client.get(f"{UPDATES}.{self.fmt}", {"start_date": self.cursor})
            assert "no-cache" in response["Cache-Control"]
            self.bodies.append(response.content.decode())
            updates = updates_of(response, self.fmt)
            self.answers.append(updates)
            new += updates
            if updates:
                self.cursor = updates[-1]["updated_datetime"]
            if len(updates) < views.MAX_UPDATES:
                break
        self.received += new
        return new


def expected_updates() -> list[tuple[str, ...]]:
    """What a client must have received, worked out in Python from the whole timeline: each line
    of a published report's ticket after its receipt that moved the status or said something to
    the citizen, with the status the ticket had after it."""
    published = set(Report.objects.filter(is_published=True).values_list("ticket_id", flat=True))
    status: dict[int, str] = {}
    expected = []
    for event in TicketEvent.objects.select_related("ticket").order_by("created_at", "pk"):
        status[event.ticket_id] = event.to_status or status.get(event.ticket_id, "eingegangen")
        public = event.to_status or event.public_message
        if event.ticket_id in published and event.kind != EventKind.CREATED and public:
            now = status[event.ticket_id]
            expected.append(
                (
                    str(event.pk),
                    event.ticket.number,
                    "open" if now in OPEN_STATUSES else "closed",
                    now,
                    event.public_message or str(TicketStatus(now).label),
                    timezone.localtime(event.created_at).isoformat(timespec="microseconds"),
                )
            )
    return expected


def as_tuples(updates: list[dict]) -> list[tuple[str, ...]]:
    fields = (
        "update_id",
        "service_request_id",
        "status",
        "external_status_code",
        "description",
        "updated_datetime",
    )
    return [tuple(update[field] for field in fields) for update in updates]


def routed(report) -> Ticket:
    return ticket_route(ticket_id=report.ticket_id)


# --- (a) a client polling with the documented protocol ----------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_polling_client_sees_every_public_change_once_and_in_order(
    client, city, category, department, fmt
):
    clerk = StaffUserFactory(first_name="Sabine", last_name="Innendienst-Vertraulich")
    parks = DepartmentFactory(name="Grünflächenamt")
    reviewed = CategoryFactory(
        slug="muell", publish_mode=PublishMode.AFTER_REVIEW, default_department=department
    )
    with time_machine.travel(MORNING, tick=False) as clock:
        a, b, c = (routed(make_report(category)) for _ in range(3))
        hidden = routed(make_report(reviewed))  # not published: none of its changes is public
        sync = SyncClient(client, fmt)
        assert sync.poll() == []  # the receipts and the routing are no public changes

        clock.shift(60.5)
        ticket_accept(ticket=a, actor=clerk)
        ticket_accept(ticket=hidden, actor=clerk)
        clock.shift(3.25)
        ticket_change_status(
            ticket=b,
            actor=clerk,
            status=TicketStatus.IN_PROGRESS,
            internal_note="Kolonne 3, Schlüssel beim Hausmeister",
        )
        clock.shift(2)
        assert sync.poll() == []  # both are still inside the settle margin
        clock.shift(20)
        assert [u["service_request_id"] for u in sync.poll()] == [a.number, b.number]

        ticket_add_note(ticket=a, actor=clerk, note="Herrn Vertraulich zurückrufen")
        ticket_hand_over(ticket=b, actor=clerk, department=parks, reason="Baumwurzel, intern")
        clock.shift(1.5)
        # the new department speaks to the citizen without moving the status
        ticket_accept(ticket=b, actor=clerk, public_message="Das Grünflächenamt kümmert sich.")
        clock.shift(7)
        # three changes at the same moment
        ticket_change_status(
            ticket=a, actor=clerk, status=TicketStatus.DONE, public_message="Geflickt."
        )
        ticket_change_status(
            ticket=c,
            actor=clerk,
            status=TicketStatus.NOT_FEASIBLE,
            public_message="Privatgrund: bitte wenden Sie sich an den Eigentümer.",
            internal_note="Eigentümerin laut Kataster: Vertraulich GmbH",
        )
        ticket_change_status(ticket=hidden, actor=clerk, status=TicketStatus.DONE)
        clock.shift(4)
        assert [u["service_request_id"] for u in sync.poll()] == [b.number]  # only what settled
        clock.shift(5)
        ticket_change_status(
            ticket=a, actor=clerk, status=TicketStatus.IN_REVIEW, public_message="Noch einmal."
        )
        ticket_change_status(ticket=a, actor=clerk, status=TicketStatus.DONE)  # no message
        ticket_mark_duplicate(ticket=b, actor=clerk, original=c)
        clock.shift(3)
        sync.poll()
        clock.shift(11)
        sync.poll()
        clock.shift(3600)
        assert sync.poll() == []

    expected = expected_updates()
    assert as_tuples(sync.received) == expected
    assert len(expected) == 8
    ids = [update["update_id"] for update in sync.received]
    assert len(ids) == len(set(ids))
    # every public status change of a published report, exactly once
    changes = TicketEvent.objects.filter(
        ticket__report__is_published=True, kind=EventKind.STATUS
    ).values_list("pk", flat=True)
    assert sorted(ids.count(str(pk)) for pk in changes) == [1] * len(changes) == [1] * 5
    # the client's copy ends where the tickets are
    last = {
        update["service_request_id"]: update["external_status_code"] for update in sync.received
    }
    assert last == {
        ticket.number: ticket.status for ticket in Ticket.objects.filter(pk__in=[a.pk, b.pk, c.pk])
    }
    descriptions = [update["description"] for update in sync.received]
    assert "Das Grünflächenamt kümmert sich." in descriptions and "erledigt" in descriptions
    secrets = (
        "Kolonne",
        "Hausmeister",
        "Vertraulich",
        "Baumwurzel",
        clerk.email,
        hidden.number,
        "Zugeordnet an",
        "Sabine",
    )
    for body in sync.bodies:
        for secret in secrets:
            assert secret not in body, secret


# --- (b) the settle margin --------------------------------------------------------------------
def test_a_change_committed_after_a_poll_with_an_earlier_time_comes_with_the_next(
    client, city, category, department, settings
):
    clerk = StaffUserFactory()
    poll_at = MORNING + datetime.timedelta(hours=1)
    with time_machine.travel(MORNING, tick=False):
        first, second, late = (routed(make_report(category)) for _ in range(3))
    with time_machine.travel(poll_at - datetime.timedelta(seconds=12), tick=False):
        ticket_accept(ticket=first, actor=clerk)
    with time_machine.travel(poll_at - datetime.timedelta(seconds=2), tick=False):
        ticket_accept(ticket=second, actor=clerk)  # committed before the poll, 2 s before it
    with time_machine.travel(poll_at, tick=False):
        sync = SyncClient(client, "json")
        assert [u["service_request_id"] for u in sync.poll()] == [first.number]
    # a clerk's transaction took its time 4 s before that poll and commits only after it
    with time_machine.travel(poll_at - datetime.timedelta(seconds=4), tick=False):
        ticket_accept(ticket=late, actor=clerk)
    with time_machine.travel(poll_at + datetime.timedelta(seconds=15), tick=False):
        updates = sync.poll()
    assert [u["service_request_id"] for u in updates] == [late.number, second.number]
    assert as_tuples(sync.received) == expected_updates()

    # without the margin, the same course of events loses the change
    settings.OPEN311_UPDATES_SETTLE_SECONDS = 0
    lost = routed(make_report(category))
    poll_at += datetime.timedelta(hours=1)
    with time_machine.travel(poll_at - datetime.timedelta(seconds=2), tick=False):
        ticket_change_status(ticket=first, actor=clerk, status=TicketStatus.IN_PROGRESS)
    with time_machine.travel(poll_at, tick=False):
        sync.poll()
    with time_machine.travel(poll_at - datetime.timedelta(seconds=4), tick=False):
        ticket_accept(ticket=lost, actor=clerk)
    with time_machine.travel(poll_at + datetime.timedelta(seconds=15), tick=False):
        assert sync.poll() == []
    assert lost.number not in {update["service_request_id"] for update in sync.received}


def test_an_answer_is_not_kept_by_the_page_cache(client, city, category, department):
    """An answer changes with the clock alone: a change recorded 4 s before a poll is not in it,
    and is in the answer to the same address 20 s later, though nothing was written since."""
    with time_machine.travel(MORNING, tick=False):
        ticket = routed(make_report(category))
    with time_machine.travel(MORNING + datetime.timedelta(minutes=5), tick=False):
        ticket_accept(ticket=ticket, actor=StaffUserFactory())
    params = {"start_date": START_OF_DAY}
    with time_machine.travel(MORNING + datetime.timedelta(minutes=5, seconds=4), tick=False):
        assert updates_of(client.get(f"{UPDATES}.xml", params), "xml") == []
    with time_machine.travel(MORNING + datetime.timedelta(minutes=5, seconds=24), tick=False):
        (update,) = updates_of(client.get(f"{UPDATES}.xml", params), "xml")
    assert update["service_request_id"] == ticket.number


# --- (c) the limit never splits a moment ------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_limit_never_splits_updates_of_the_same_moment(
    client, city, category, department, monkeypatch, fmt
):
    monkeypatch.setattr(views, "MAX_UPDATES", 3)
    clerk = StaffUserFactory()
    forward = [TicketStatus.IN_PROGRESS, TicketStatus.DONE, TicketStatus.IN_REVIEW]

    def changes(tickets, n):
        for i in range(n):
            ticket = tickets[i % len(tickets)]
            ticket = Ticket.objects.get(pk=ticket.pk)
            status = (
                forward[(forward.index(ticket.status) + 1) % 3]
                if ticket.status in forward
                else forward[0]
            )
            ticket_change_status(ticket=ticket, actor=clerk, status=status)

    with time_machine.travel(MORNING, tick=False) as clock:
        tickets = [routed(make_report(category)) for _ in range(3)]
        for n in (4, 1, 3, 1):  # four moments: more than the limit, one, the limit, one
            clock.shift(1.000001)
            changes(tickets, n)
        clock.shift(60)
        sync = SyncClient(client, fmt)
        sync.poll()
    assert [len(answer) for answer in sync.answers] == [4, 4, 1]
    moments = [{u["updated_datetime"] for u in answer} for answer in sync.answers]
    assert [len(m) for m in moments] == [1, 2, 1]
    assert not (moments[0] & moments[1]) and not (moments[1] & moments[2])
    assert as_tuples(sync.received) == expected_updates()


# --- (d) updated_after and updated_before on GET requests -------------------------------------
def test_updated_after_finds_an_old_request_changed_today(client, city, category, department):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=100)):
        old = routed(make_report(category))
    with time_machine.travel(timezone.now() - datetime.timedelta(days=50)):
        middle = routed(make_report(category))
    recent = make_report(category)
    before = old.updated_at
    ticket_change_status(
        ticket=old, actor=StaffUserFactory(), status=TicketStatus.DONE, public_message="Erledigt."
    )
    # the service moves the ticket's updated_at, on which updated_after filters
    assert Ticket.objects.get(pk=old.pk).updated_at > before

    def numbers(**params):
        return {
            item["service_request_id"]
            for item in requests_of(client.get(f"{BASE}requests.json", params), "json")
        }

    yesterday = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert numbers() == {middle.number, recent.ticket.number}  # the default 90 days
    assert numbers(updated_after=yesterday) == {old.number, recent.ticket.number}
    assert numbers(updated_before=yesterday) == {middle.number}
    now = timezone.now().isoformat()
    assert numbers(updated_after=yesterday, updated_before=now) == {
        old.number,
        recent.ticket.number,
    }
    # start_date and end_date still apply when given
    month_ago = (timezone.now() - datetime.timedelta(days=30)).isoformat()
    assert numbers(updated_after=yesterday, start_date=month_ago) == {recent.ticket.number}
    long_ago = (timezone.now() - datetime.timedelta(days=120)).isoformat()
    assert numbers(updated_after=yesterday, start_date=long_ago) == {old.number}
    # a client that does not encode the zone's "+" sends a space
    query = yesterday.replace("+", " ")
    items = requests_of(client.get(f"{BASE}requests.xml?updated_after={query}"), "xml")
    assert {item["service_request_id"] for item in items} == {old.number, recent.ticket.number}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params, message",
    [
        ({"updated_after": "gestern"}, "updated_after ist kein gültiges Datum."),
        ({"updated_before": "2026-12-01T00:00:00"}, "updated_before ist kein gültiges Datum."),
        ({"updated_after": "2026-12-01"}, "updated_after ist kein gültiges Datum."),
        (
            {"updated_after": "2026-12-02T00:00:00Z", "updated_before": "2026-12-01T00:00:00Z"},
            "updated_before liegt vor updated_after.",
        ),
        (
            {
                "updated_after": "2026-12-01T00:00:00Z",
                "start_date": "2026-01-01T00:00:00Z",
                "end_date": "2026-12-01T00:00:00Z",
            },
            "höchstens 90 Tage",
        ),
        ({"extensions": "ja"}, "extensions kennt nur die Werte true und false."),
    ],
)
def test_request_list_sync_errors(client, db, fmt, params, message):
    (description,) = errors(client.get(f"{BASE}requests.{fmt}", params), fmt, 400)
    assert message in description


# --- (e) detailed_status with extensions=true --------------------------------------------------
# Klarschiff's values of our statuses
DETAILED = {
    TicketStatus.RECEIVED: "RECEIVED",
    TicketStatus.IN_REVIEW: "IN_PROCESS",
    TicketStatus.IN_PROGRESS: "IN_PROCESS",
    TicketStatus.DONE: "PROCESSED",
    TicketStatus.NOT_FEASIBLE: "REJECTED",
    TicketStatus.DUPLICATE: "DUPLICATE",
    TicketStatus.FORWARDED: "FORWARDED",
}


def _one_ticket_in_each_status(category) -> dict[str, str]:
    """{ticket number: its expected detailed_status}, moved there by the services."""
    clerk = StaffUserFactory()
    external = DepartmentFactory(name="Straßen.NRW", kind=DepartmentKind.EXTERNAL)
    tickets = {status: routed(make_report(category)) for status in DETAILED}
    ticket_accept(ticket=tickets[TicketStatus.IN_REVIEW], actor=clerk)
    for status in (TicketStatus.IN_PROGRESS, TicketStatus.DONE):
        ticket_change_status(ticket=tickets[status], actor=clerk, status=status)
    ticket_change_status(
        ticket=tickets[TicketStatus.NOT_FEASIBLE],
        actor=clerk,
        status=TicketStatus.NOT_FEASIBLE,
        public_message="Kein Mangel.",
    )
    ticket_mark_duplicate(
        ticket=tickets[TicketStatus.DUPLICATE], actor=clerk, original=tickets[TicketStatus.DONE]
    )
    ticket_hand_over(
        ticket=tickets[TicketStatus.FORWARDED], actor=clerk, department=external, reason="Landstr."
    )
    for status, ticket in tickets.items():
        assert Ticket.objects.get(pk=ticket.pk).status == status
    return {ticket.number: DETAILED[status] for status, ticket in tickets.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_detailed_status_of_every_status_only_with_extensions(
    client, city, category, department, fmt
):
    with time_machine.travel(MORNING, tick=False) as clock:
        expected = _one_ticket_in_each_status(category)
        clock.shift(60)

        def detailed(items):
            return {
                item["service_request_id"]: item["extended_attributes"]["detailed_status"]
                for item in items
            }

        url = f"{BASE}requests.{fmt}"
        with_extensions = requests_of(client.get(url, {"extensions": "true"}), fmt)
        assert detailed(with_extensions) == expected
        for params in ({}, {"extensions": "false"}, {"extensions": ""}):
            items = requests_of(client.get(url, params), fmt)
            assert len(items) == 7 and all("extended_attributes" not in item for item in items)
        assert b"extended_attributes" not in client.get(url).content
        for number, value in expected.items():
            detail = f"{BASE}requests/{number}.{fmt}"
            (item,) = requests_of(client.get(detail, {"extensions": "TRUE"}), fmt)
            assert item["extended_attributes"] == {"detailed_status": value}
            (item,) = requests_of(client.get(detail), fmt)
            assert "extended_attributes" not in item

        # an update carries the detailed status it set
        params = {"start_date": START_OF_DAY}
        updates = updates_of(client.get(f"{UPDATES}.{fmt}", {**params, "extensions": "true"}), fmt)
        last = {
            u["service_request_id"]: u["extended_attributes"]["detailed_status"] for u in updates
        }
        assert last == {number: value for number, value in expected.items() if value != "RECEIVED"}
        updates = updates_of(client.get(f"{UPDATES}.{fmt}", params), fmt)
        assert updates and all("extended_attributes" not in update for update in updates)


def test_the_same_page_with_extensions_has_another_etag(client, city, category):
    make_report(category)
    url = f"{BASE}requests.json"
    plain = client.get(url)
    extended = client.get(url, {"extensions": "true"}, HTTP_IF_NONE_MATCH=plain["ETag"])
    assert extended.status_code == 200 and extended["ETag"] != plain["ETag"]
    assert b"detailed_status" in extended.content


def test_a_status_added_later_falls_back_to_open_or_closed(monkeypatch):
    for status in TicketStatus:  # every status there is, also one added after this test
        value = views.detailed_status(status)
        if status in DETAILED:
            assert value == DETAILED[status]
        elif status in OPEN_STATUSES:
            assert value == "IN_PROCESS"
        else:
            assert value == "PROCESSED"
    monkeypatch.setattr(views, "OPEN_STATUSES", views.OPEN_STATUSES | {"in_planung"})
    assert views.detailed_status("in_planung") == "IN_PROCESS"
    assert views.detailed_status("archiviert") == "PROCESSED"


# --- (f) queries ------------------------------------------------------------------------------
def test_updates_need_the_same_queries_for_5_and_50(client, city, category, department):
    clerk = StaffUserFactory()
    parks = DepartmentFactory(name="Grünflächenamt")
    made = []

    def add_updates(n: int) -> None:
        """n more updates; every second one without a status of its own (the query looks it up)."""
        while len(made) < n:
            ticket = ticket_accept(ticket=routed(make_report(category)), actor=clerk)
            made.append(ticket)
            if len(made) < n:
                ticket_hand_over(ticket=ticket, actor=clerk, department=parks, reason="Bäume")
                ticket_accept(ticket=ticket, actor=clerk, public_message="Wir übernehmen.")
                made.append(ticket)

    def queries(expected: int) -> int:
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
            with CaptureQueriesContext(connection) as context:
                response = client.get(f"{UPDATES}.json", {"extensions": "true"})
        assert len(updates_of(response, "json")) == expected
        return len(context)

    add_updates(5)
    few = queries(5)
    add_updates(50)
    assert queries(50) == few == 1


# --- the window and the filters of servicerequestupdates ---------------------------------------
def test_update_window_and_filters(client, city, category, department):
    clerk = StaffUserFactory()
    with time_machine.travel(MORNING, tick=False) as clock:
        first, second = (routed(make_report(category)) for _ in range(2))
        clock.shift(1)
        ticket_accept(ticket=first, actor=clerk)
        clock.shift(1)
        ticket_accept(ticket=second, actor=clerk)
        clock.shift(datetime.timedelta(hours=1))

        def ids(**params):
            response = client.get(f"{UPDATES}.json", params)
            return [u["service_request_id"] for u in updates_of(response, "json")]

        (one, two) = updates_of(client.get(f"{UPDATES}.json"), "json")  # the last 24 hours
        assert [one["service_request_id"], two["service_request_id"]] == [
            first.number,
            second.number,
        ]
        assert one["updated_datetime"] == "2026-12-07T08:00:01.123456+01:00"
        assert one["update_id"] == str(TicketEvent.objects.get(ticket=first, kind="accepted").pk)
        # start_date is exclusive, end_date inclusive
        assert ids(start_date=one["updated_datetime"]) == [second.number]
        assert ids(end_date=one["updated_datetime"]) == [first.number]
        assert ids(start_date=two["updated_datetime"]) == []
        assert ids(service_request_id=f"{second.number}, 2026-999999") == [second.number]
        # jurisdiction_id and api_key are ignored: reading needs no key
        assert ids(jurisdiction_id="schwerte.de", api_key="falsch") == [first.number, second.number]
        # a window that starts in the future is empty, not an error
        assert ids(start_date="2026-12-08T00:00:00+01:00") == []
        clock.shift(datetime.timedelta(days=2))
        assert ids() == []  # only the last 24 hours without start_date


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params, message",
    [
        ({"start_date": "gestern"}, "start_date ist kein gültiges Datum."),
        ({"end_date": "2026-12-01T00:00:00"}, "mit Zeitzone"),
        ({"start_date": "2026-01-01T00:00:00+01:00"}, "höchstens 90 Tage"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"},
            "höchstens 90 Tage",
        ),
        (
            {"start_date": "2026-04-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            "end_date liegt vor start_date.",
        ),
        ({"end_date": "0001-01-01T10:00:00Z"}, "außerhalb des gültigen Bereichs"),
        ({"extensions": "1"}, "extensions kennt nur die Werte true und false."),
    ],
)
def test_update_list_errors(client, db, fmt, params, message):
    with time_machine.travel(MORNING, tick=False):
        (description,) = errors(client.get(f"{UPDATES}.{fmt}", params), fmt, 400)
    assert message in description


def test_a_report_published_late_shows_earlier_updates_only_to_windows_that_hold_them(
    client, city, category, department
):
    clerk = StaffUserFactory()
    reviewed = CategoryFactory(
        slug="muell", publish_mode=PublishMode.AFTER_REVIEW, default_department=department
    )
    with time_machine.travel(MORNING, tick=False) as clock:
        waiting = make_report(reviewed)
        ticket = ticket_accept(ticket=routed(waiting), actor=clerk)
        clock.shift(1)
        other = ticket_accept(ticket=routed(make_report(category)), actor=clerk)
        clock.shift(60)
        sync = SyncClient(client, "json")
        assert [u["service_request_id"] for u in sync.poll()] == [other.number]
        report_publish(report=waiting)
        ticket_change_status(ticket=ticket, actor=clerk, status=TicketStatus.DONE)
        clock.shift(60)
        (update,) = sync.poll()  # the acceptance lies before the client's start_date
        assert (update["service_request_id"], update["status"]) == (ticket.number, "closed")
        everything = updates_of(client.get(f"{UPDATES}.json", {"start_date": START_OF_DAY}), "json")
        assert [u["service_request_id"] for u in everything] == [
            ticket.number,
            other.number,
            ticket.number,
        ]


def test_the_discovery_names_the_sync(client, db):
    body = client.get(f"{BASE}discovery.json").json()
    for name in ("servicerequestupdates", "updated_after", "extensions=true", "detailed_status"):
        assert name in body["key_service"]
