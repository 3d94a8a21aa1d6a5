"""Konto löschen (issue 15, Art. 17 GDPR), accepted over HTTP: after the deletion the citizen's
e-mail address and name occur nowhere – not in any table of the database, not in media or private
media, not in the cache, not in the outbox; her public contributions show "gelöschtes Konto"; the
payments still balance; the other person's data is untouched; the Löschprotokoll holds counts
only."""

# ruff: noqa: F401, F811 - the fixtures come from citizen_life

import pickle
import re
import zipfile
from datetime import timedelta

import pytest
import redis
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Sum
from django.test import Client
from django.utils import timezone

from participation.contributions.models import Comment
from participation.contributions.services import comment_create
from participation.following.services.subscriptions import pool_subscribe
from participation.projects.models import ProjectParticipant
from portal.accounts.models import User
from portal.core.models import ErasureLog, OutboxMessage
from portal.core.subscriptions.models import Subscription
from portal.core.subscriptions.services import confirm, confirm_code
from portal.tickets.models import Ticket, TicketEvent
from portal.tickets.services import ticket_route
from services.eforms.constants import SubmissionStatus
from services.eforms.models import Submission
from services.payments.constants import PaymentState
from services.payments.models import Payment
from services.payments.services import payment_refresh
from services.reports.models import Report
from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory
from tests.services.reports.test_follow import make_category, make_report

from .citizen_life import (
    EMAIL,
    FULL_NAME,
    TRACES,
    apply_for_a_certificate,
    citizen_life,
    files_under,
    login,
    real_media,
)
from .test_mydata_export import ask_for_a_copy, download

pytestmark = pytest.mark.django_db


# --- where a trace could hide ---------------------------------------------------------------------
def _text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def database_dump() -> dict[str, str]:
    """Every table, every row, every column, as text ({table: text}); sessions decoded too."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump[table] = "\n".join(" | ".join(_text(v) for v in row) for row in cursor.fetchall())
    for session in Session.objects.all():
        dump[f"session {session.pk}"] = repr(SessionStore().decode(session.session_data))
    return dump


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request):
    """The cache of the tests (local memory), or the real Redis of production."""
    if request.param == "redis":
        return request.getfixturevalue("redis_cache")
    return None


def cache_contents(redis_server) -> str:
    """Every key and value of the cache, values unpickled where they are pickled."""
    if redis_server is None:
        pairs = list(cache._cache.items())
    else:
        client = redis.Redis(port=redis_server.port, db=1)
        # Django's Redis cache keeps every entry as a string (pickled, or a plain number)
        pairs = [(key, client.get(key)) for key in client.scan_iter()]
    lines = []
    for key, value in pairs:
        try:
            value = pickle.loads(value)
        except Exception:
            pass
        lines.append(f"{_text(key)} {_text(value) if isinstance(value, bytes) else value!r}")
    return "\n".join(lines)


def traces_in(text: str) -> list[str]:
    folded = text.casefold()
    return [trace for trace in TRACES if trace.casefold() in folded]


def payment_books():
    return list(
        Payment.objects.values("state")
        .annotate(count=Count("pk"), total=Sum("amount_minor"))
        .order_by("state")
    )


def delete_account(client):
    response = client.post("/konto/loeschen/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/konto/geloescht/"
    return response


def login_with_csrf(browser) -> None:
    page = browser.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(
        "/accounts/login/",
        {"login": EMAIL, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def file_text(path) -> str:
    """A file's name and content; a ZIP (a copy of "Meine Daten") with its members."""
    data = path.read_bytes()
    parts = [str(path), data.decode("utf-8", "replace")]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return "\n".join(parts)


# --- the acceptance -------------------------------------------------------------------------------
def test_after_deleting_the_account_her_name_and_address_are_nowhere(
    client,
    cache_backend,
    citizen_life,
    django_capture_on_commit_callbacks,
    login_with_second_factor,
):
    life = citizen_life
    idea_pages = [
        f"/mitmachen/idee/{life.project_idea.pk}/",
        f"/ideenpool/{life.pool_idea.pk}/",
        f"/mitmachen/idee/{life.others_project_idea.pk}/",  # her comment is there
    ]
    for page in idea_pages:
        assert FULL_NAME in Client().get(page).content.decode(), page
    books = payment_books()
    others_before = life.other_rows()
    # before: she is everywhere the test looks (else the test could not fail)
    dump = "\n".join(database_dump().values())
    assert set(traces_in(dump)) == set(TRACES)
    login(client)
    with django_capture_on_commit_callbacks(execute=True):  # and a copy of her data
        assert client.post("/konto/meine-daten/").status_code == 302
    assert any(traces_in(file_text(path)) for path in files_under(life.folders))
    assert OutboxMessage.objects.filter(recipient=EMAIL).exists()

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client)
    page = client.get("/konto/geloescht/").content.decode()
    assert "Ihr Konto und Ihre persönlichen Daten sind gelöscht" in page
    assert not User.objects.filter(pk=life.citizen.pk).exists()
    assert client.get("/konto/").status_code == 302  # logged out

    # no session of hers is left (another browser was signed in too; a session holds only
    # the account's number, which the dump cannot see)
    signed_in = [
        SessionStore().decode(s.session_data).get("_auth_user_id") for s in Session.objects.all()
    ]
    assert str(life.citizen.pk) not in signed_in
    # the database, table by table
    found = {table: traces_in(text) for table, text in database_dump().items()}
    assert {table: hits for table, hits in found.items() if hits} == {}
    # media and private media: names and contents
    for path in files_under(life.folders):
        assert not traces_in(file_text(path)), path
    # the cache and the outbox
    contents = cache_contents(cache_backend)
    assert "allauth:rl" in contents  # the login's rate limit was counted here
    assert not traces_in(contents)
    assert not OutboxMessage.objects.filter(recipient__iexact=EMAIL).exists()

    # what the public saw stays, as "gelöschtes Konto"
    for page in idea_pages:
        text = Client().get(page).content.decode()
        assert "gelöschtes Konto" in text and not traces_in(text), page

    # the city's books: the payments balance, the application stays without its applicant
    assert payment_books() == books
    submission = Submission.objects.get(pk=life.submission.pk)
    assert submission.applicant_id is None and submission.number == life.submission.number
    assert Payment.objects.filter(order_object_id=str(submission.pk)).count() == 1

    # the other person: untouched
    assert life.other_rows() == others_before

    # the Löschprotokoll: what kinds and how many, never who
    lines = ErasureLog.objects.filter(label__startswith="Konto gelöscht")
    counts = {line.rule: line.count for line in lines}
    assert counts["person.accounts.User"] == 1
    assert counts["person.contributions.Support"] == 3
    assert counts["person.core.Subscription"] == 3
    clerk = StaffUserFactory()
    clerk.user_permissions.add(Permission.objects.get(codename="view_erasure_log"))
    staff = Client()
    login_with_second_factor(staff, clerk)
    protocol = staff.get("/admin/loeschprotokoll/")
    assert protocol.status_code == 200
    text = protocol.content.decode()
    assert "Konto gelöscht auf Wunsch der Person" in text
    assert not traces_in(text)


def test_staff_are_sent_to_the_administration_and_kept(client, login_with_second_factor):
    clerk = StaffUserFactory(email="sabine.sachbearbeiterin@stadt.example")
    login_with_second_factor(client, clerk)
    page = client.get("/konto/loeschen/").content.decode()
    assert "Bitte wenden Sie sich an die Administration" in page
    response = client.post("/konto/loeschen/", {"confirm": "on"})
    assert response.status_code == 200
    assert "Bitte wenden Sie sich an die Administration" in response.content.decode()
    assert User.objects.filter(pk=clerk.pk).exists()
    assert not ErasureLog.objects.exists()


def test_without_the_checkbox_nothing_is_deleted(citizen_life):
    browser = Client(enforce_csrf_checks=True)
    login_with_csrf(browser)
    form = browser.get("/konto/loeschen/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    # what a browser sends when the box is not ticked: the form's token only
    response = browser.post("/konto/loeschen/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert (
        "Bitte bestätigen Sie, dass Sie Ihr Konto endgültig löschen möchten."
        in response.content.decode()
    )
    assert User.objects.filter(pk=citizen_life.citizen.pk).exists()


def test_an_old_login_confirms_the_password_first_then_the_account_goes(
    client, citizen_life, django_capture_on_commit_callbacks
):
    login(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        response = client.post("/konto/loeschen/", {"confirm": "on"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert User.objects.filter(pk=citizen_life.citizen.pk).exists()
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client.post(response["Location"], {"password": DEFAULT_PASSWORD})
        # allauth replays the POST: the account is gone
        assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
        assert not User.objects.filter(pk=citizen_life.citizen.pk).exists()
        final = client.get(confirmed["Location"], follow=True)
        assert "Ihr Konto und Ihre persönlichen Daten sind gelöscht" in final.content.decode()


def test_an_address_the_account_only_named_is_not_hers(
    client, citizen_life, django_capture_on_commit_callbacks
):
    """Anyone can type a stranger's address into their account without confirming it: it must
    neither hand out the stranger's report nor erase it and her subscription."""
    stranger = "anna.anonym@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(make_category(), name="Anna Anonym", email=stranger)
        subscription = pool_subscribe(email=stranger)
    confirm(code=confirm_code(subscription))
    EmailAddress.objects.create(user=citizen_life.citizen, email=stranger, verified=False)
    before = (
        list(Report.objects.filter(pk=report.pk).values()),
        list(Subscription.objects.filter(email=stranger).values()),
    )

    login(client)
    archive = download(client, ask_for_a_copy(client, django_capture_on_commit_callbacks))
    document = archive.read("daten.json").decode() + archive.read("daten.html").decode()
    assert "Anna Anonym" not in document
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client)
    after = (
        list(Report.objects.filter(pk=report.pk).values()),
        list(Subscription.objects.filter(email=stranger).values()),
    )
    assert after == before


def test_the_projects_participant_count_forgets_the_account(
    client, citizen_life, django_capture_on_commit_callbacks
):
    key = f"user:{citizen_life.citizen.pk}"
    assert ProjectParticipant.objects.filter(key=key).exists()
    login(client)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client)
    assert not ProjectParticipant.objects.filter(key=key).exists()


def test_a_payment_that_succeeds_after_the_deletion_still_hands_over_the_application(
    client, citizen_life, django_capture_on_commit_callbacks
):
    """She paid on the provider's page and deleted her account before the portal heard of it:
    the payment is still booked and the department still gets the application."""
    browser = Client()
    browser.force_login(citizen_life.citizen)
    submission, pay_page = apply_for_a_certificate(browser)
    assert browser.post(pay_page, {"action": "pay"}).status_code == 302  # never came back
    payment = Payment.objects.get(order_object_id=str(submission.pk))
    books = payment_books()

    login(client)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client)
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_refresh(payment_id=payment.pk)  # the reconcile job asks the provider
    assert payment.state == PaymentState.SUCCEEDED
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED and submission.ticket_id
    assert submission.applicant_id is None
    # the same payments and the same money, one of them now booked as paid
    assert sum(line["count"] for line in payment_books()) == sum(line["count"] for line in books)
    assert sum(line["total"] for line in payment_books()) == sum(line["total"] for line in books)
    assert not OutboxMessage.objects.filter(recipient="").exists()


def test_the_department_still_works_on_her_cases_without_her(
    client, citizen_life, django_capture_on_commit_callbacks, login_with_second_factor
):
    """Her report, her application and her idea stay with the city as cases: the clerk opens
    each of them after the deletion and sees the case, not the person."""
    tickets = [
        ticket_route(ticket_id=ticket.pk)  # the routing the worker does
        for ticket in citizen_life.citizen_rows()["tickets.Ticket"]
    ]
    assert len(tickets) == 4 and all(ticket.department_id for ticket in tickets)
    login(client)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client)

    clerk = StaffUserFactory()
    for ticket in tickets:
        clerk.department_memberships.get_or_create(department=ticket.department)
    desk = Client()
    login_with_second_factor(desk, clerk)
    for ticket in tickets:
        response = desk.get(f"/admin/anliegen/{ticket.pk}/")
        assert response.status_code == 200, ticket
        page = response.content.decode()
        assert ticket.number in page and not traces_in(page), ticket
    application = desk.get(f"/admin/anliegen/{citizen_life.submission.ticket_id}/")
    assert "gelöschtes Konto" in application.content.decode()


def test_only_what_is_provably_hers_is_erased(
    client, citizen_life, django_capture_on_commit_callbacks
):
    """A name proves nothing: another Henrike Quarzmann keeps her account, her report and her
    words, and a display name chosen as "die Stadt" takes no one else's text with it. What
    quotes her address is hers (the clerk's note on Otto's case)."""
    namesake_email = "henrike.q@example.net"
    namesake = UserFactory(
        first_name="Henrike", last_name="Quarzmann", display_name=FULL_NAME, email=namesake_email
    )
    with django_capture_on_commit_callbacks(execute=True):
        namesake_report = make_report(
            make_category(),
            name=FULL_NAME,
            email=namesake_email,
            user=namesake,
            description=f"Hier schreibt {FULL_NAME} aus Ergste: Ampel defekt.",
        )
        thanks = comment_create(
            actor=citizen_life.other,
            target=citizen_life.others_project_idea.project,
            idea=citizen_life.others_project_idea,
            text="Danke an die Stadt für die Bänke.",
        )
    citizen = citizen_life.citizen
    citizen.display_name = "die Stadt"
    citizen.save(update_fields=["display_name"])

    def theirs():
        return (
            list(User.objects.filter(pk=namesake.pk).values()),
            list(Report.objects.filter(pk=namesake_report.pk).values()),
            list(Ticket.objects.filter(pk=namesake_report.ticket_id).values()),
            list(Comment.objects.filter(pk=thanks.pk).values("text")),
        )

    before = theirs()
    login(client)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client)
    assert theirs() == before
    note = TicketEvent.objects.get(
        ticket=citizen_life.quoted_ticket, internal_note__contains="Auch"
    )
    assert EMAIL not in note.internal_note and FULL_NAME not in note.internal_note
