"""The kernel's subscriptions, over HTTP, for every kind that asks for an address (a report, a
project, the Mitmachpool): double opt-in through the outbox, a signed confirmation link that
works once and expires, a tampered or expired link refused in German (never a 500), one-click
unsubscribe, and each notice sent once however often the scan or the signal runs."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import timezone

from participation.following.tasks import following_notices_scan_task
from participation.projects.constants import Module
from portal.core.models import OutboxMessage
from portal.core.subscriptions.models import State, Subscription
from portal.tickets.constants import TicketStatus
from portal.tickets.services import ticket_change_status
from tests.factories import DistrictFactory, StaffUserFactory, square
from tests.participation.factories import phase, project
from tests.services.reports.test_follow import make_category, make_report

pytestmark = pytest.mark.django_db

ADDRESS = "fritz.folger@example.org"
LINK = re.compile(r"http://testserver(/\S+/)")


@pytest.fixture
def report(db):
    DistrictFactory(name="Mitte", area=square(7.5, 51.4, 0.1))
    return make_report(make_category(name="Straßenbeleuchtung"))


@pytest.fixture
def vorhaben(db):
    page = project(title="Radweg Ruhrtal")
    phase(page)
    return page


# how each kind is asked for: (form URL, form data, path of its confirmation and unsubscribe links)
def _report_kind(report, vorhaben):
    return (
        f"/maengel/{report.ticket.number}/folgen/",
        {"folgen-email": ADDRESS},
        "/maengel/folgen/bestaetigen/",
        "/maengel/folgen/abmelden/",
    )


def _project_kind(report, vorhaben):
    return (
        f"/mitmachpool/vorhaben/{vorhaben.pk}/folgen/",
        {"folgen-email": ADDRESS},
        "/mitmachpool/vorhaben/bestaetigen/",
        "/mitmachpool/vorhaben/abmelden/",
    )


def _pool_kind(report, vorhaben):
    return (
        "/mitmachpool/",
        {"email": ADDRESS},
        "/mitmachpool/bestaetigen/",
        "/mitmachpool/abmelden/",
    )


KINDS = pytest.mark.parametrize(
    "kind", [_report_kind, _project_kind, _pool_kind], ids=["report", "project", "pool"]
)


def ask(client, callbacks, url, data):
    with callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    return response


def link(message, prefix: str) -> str:
    (path,) = {p for p in LINK.findall(message.body) if p.startswith(prefix)}
    return path


def confirmation(client, callbacks, kind, report, vorhaben):
    url, data, confirm_prefix, unsubscribe_prefix = kind(report, vorhaben)
    mail.outbox.clear()
    ask(client, callbacks, url, data)
    (message,) = (m for m in mail.outbox if m.to == [ADDRESS])
    return message, link(message, confirm_prefix), link(message, unsubscribe_prefix)


def tampered(path: str) -> str:
    code = path.rstrip("/").rsplit("/", 1)[1]
    changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    return path.replace(code, changed)


@KINDS
def test_subscribe_confirm_once_and_unsubscribe_by_one_click(
    kind, client, report, vorhaben, outbox_worker, django_capture_on_commit_callbacks
):
    message, confirm, unsubscribe = confirmation(
        client, django_capture_on_commit_callbacks, kind, report, vorhaben
    )
    subscription = Subscription.objects.get(email=ADDRESS)
    assert subscription.state == State.PENDING
    assert "bestätigen" in message.subject.lower() or "bestätigen" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # the link shows a button; only its POST confirms, and only once
    assert client.get(confirm).status_code == 200
    assert Subscription.objects.get(pk=subscription.pk).state == State.PENDING
    client.post(confirm)
    subscription.refresh_from_db()
    assert subscription.state == State.CONFIRMED
    confirmed_at = subscription.confirmed_at
    again = client.get(confirm)
    assert again.status_code == 200 and "bereits" in again.content.decode()
    client.post(confirm)
    subscription.refresh_from_db()
    assert subscription.confirmed_at == confirmed_at

    # one click in the mail program: a POST without a CSRF token
    response = Client(enforce_csrf_checks=True).post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Sie sind abgemeldet" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == State.ENDED
    # the confirmation link does not bring an ended subscription back
    client.post(confirm)
    subscription.refresh_from_db()
    assert subscription.state == State.ENDED
    assert len([m for m in mail.outbox if m.to == [ADDRESS]]) == 1


@KINDS
def test_a_tampered_link_is_refused_in_german(
    kind, client, report, vorhaben, outbox_worker, django_capture_on_commit_callbacks
):
    _message, confirm, unsubscribe = confirmation(
        client, django_capture_on_commit_callbacks, kind, report, vorhaben
    )
    for path in (tampered(confirm), tampered(unsubscribe)):
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 404, path
            text = response.content.decode()
            assert "Dieser Link ist ungültig." in text
            assert 'lang="de"' in text
    assert client.get(f"{confirm.rsplit('/', 2)[0]}/%00%ff/").status_code == 404
    assert Subscription.objects.get(email=ADDRESS).state == State.PENDING


@KINDS
def test_an_expired_confirmation_link_is_refused_in_german(
    kind, client, report, vorhaben, outbox_worker, settings, django_capture_on_commit_callbacks
):
    _message, confirm, unsubscribe = confirmation(
        client, django_capture_on_commit_callbacks, kind, report, vorhaben
    )
    max_age = timedelta(seconds=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE)
    with time_machine.travel(timezone.now() + max_age - timedelta(minutes=1)):
        assert client.get(confirm).status_code == 200  # still valid on its last day
    with time_machine.travel(timezone.now() + max_age + timedelta(minutes=1)):
        for method in (client.get, client.post):
            response = method(confirm)
            assert response.status_code == 404
            assert "Dieser Bestätigungslink ist abgelaufen." in response.content.decode()
        # the unsubscribe link does not expire
        assert client.get(unsubscribe).status_code == 200
    assert Subscription.objects.get(email=ADDRESS).state == State.PENDING


def test_a_report_notice_is_sent_once_even_if_the_signal_comes_twice(
    client, report, outbox_worker, django_capture_on_commit_callbacks
):
    from services.reports.follow import report_follow_owe_update

    _message, confirm, _unsubscribe = confirmation(
        client, django_capture_on_commit_callbacks, _report_kind, report, None
    )
    client.post(confirm)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_change_status(
            ticket=report.ticket, actor=StaffUserFactory(), status=TicketStatus.IN_PROGRESS,
            public_message="Lampe bestellt.",
        )  # fmt: skip
    event = report.ticket.events.latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        report_follow_owe_update(event=event)  # the domain signal delivered a second time
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert "Lampe bestellt." in mail.outbox[0].body


def test_a_project_notice_is_sent_once_even_if_the_scan_runs_twice(
    client, vorhaben, outbox_worker, django_capture_on_commit_callbacks
):
    _message, confirm, _unsubscribe = confirmation(
        client, django_capture_on_commit_callbacks, _project_kind, None, vorhaben
    )
    client.post(confirm)
    now = timezone.now()
    phase(
        vorhaben, name="Online-Umfrage", modules=[Module.POLLS],
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=10),
    )  # fmt: skip
    mail.outbox.clear()
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            following_notices_scan_task.apply()
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert "Online-Umfrage" in mail.outbox[0].subject


def test_an_unsubscribe_link_from_before_the_kernel_still_works(client, vorhaben):
    """Subscriptions moved from the old tables keep only the SHA-256 of their old token: the
    unsubscribe links in e-mails sent before still end them; an old confirmation link does
    not confirm (it was neither signed nor expiring)."""
    import hashlib

    from django.contrib.contenttypes.models import ContentType

    from participation.projects.models import ProjectPage

    token = "altes-Token_aus-einer-alten-E-Mail-1234567890a"
    subscription = Subscription.objects.create(
        kind="following.project", target_type=ContentType.objects.get_for_model(ProjectPage),
        target_id=vorhaben.pk, email=ADDRESS, state=State.PENDING,
        legacy_token_hash=hashlib.sha256(token.encode()).hexdigest(),
    )  # fmt: skip
    response = client.post(f"/mitmachpool/vorhaben/bestaetigen/{token}/")
    assert response.status_code == 404 and "ungültig" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == State.PENDING
    response = Client(enforce_csrf_checks=True).post(f"/mitmachpool/vorhaben/abmelden/{token}/")
    assert response.status_code == 200 and "Sie sind abgemeldet" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == State.ENDED


def test_there_is_one_subscription_model_and_no_stored_secret():
    for old in ("reports.ReportFollow", "following.ProjectFollow", "following.PoolSubscription"):
        with pytest.raises(LookupError):
            apps.get_model(old)
    fields = {field.name for field in Subscription._meta.get_fields()}
    assert "token" not in fields
    assert not OutboxMessage.objects.exists()
