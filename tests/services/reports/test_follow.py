"""'Meldung folgen' on the kernel's subscriptions: double opt-in, one e-mail per public change
(through the outbox), unsubscribe by POST only."""

import contextlib
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.core import doorbell
from portal.core.models import OutboxMessage
from portal.core.outbox.services import message_send, outbox_relay
from portal.core.subscriptions.models import State, Subscription
from portal.core.tasks import outbox_send_task
from portal.tickets.constants import PublishMode, TicketStatus
from portal.tickets.services import ticket_add_note, ticket_change_status, ticket_route
from services.reports.follow import KIND, report_follow
from services.reports.models import Report
from services.reports.services import report_submit
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    UserFactory,
    square,
)

pytestmark = pytest.mark.django_db

FOLLOWER = "fritz.folger@example.org"


# --- helpers, also used by test_privacy ----------------------------------------------------------
def make_category(**kwargs):
    return CategoryFactory(
        default_department=kwargs.pop("department", None) or DepartmentFactory(),
        publish_mode=kwargs.pop("publish_mode", PublishMode.IMMEDIATE),
        **kwargs,
    )


def make_report(category, *, name="", email="", description="Laterne dunkel", **kwargs):
    report = report_submit(
        category=category, description=description, latitude=Decimal("51.44"),
        longitude=Decimal("7.56"), address=kwargs.pop("address", "Hagener Str. 12"),
        name=name, email=email, **kwargs,
    )  # fmt: skip
    report.ticket = ticket_route(ticket_id=report.ticket_id)
    return report


def change_status(
    report, callbacks=None, status=TicketStatus.IN_PROGRESS, message="Wir sind dran."
):
    """A public status change; with `callbacks` its on-commit work runs, without it the broker
    never hears of it (as when Redis was down)."""
    actor = StaffUserFactory()
    with callbacks(execute=True) if callbacks else contextlib.nullcontext():
        ticket_change_status(
            ticket=report.ticket, actor=actor, status=status, public_message=message
        )
    return report.ticket.events.latest("pk")


def links(message) -> dict[str, str]:
    """The confirmation and unsubscribe paths in an e-mail's text."""
    found = {}
    for kind in ("bestaetigen", "abmelden"):
        match = re.search(rf"http://testserver(/maengel/folgen/{kind}/[^/\s]+/)", message.body)
        if match:
            found[kind] = match.group(1)
    return found


def follows():
    return Subscription.objects.filter(kind=KIND)


def owed(kind="subscriptions.notice"):
    return OutboxMessage.objects.filter(kind=kind)


@pytest.fixture
def enqueued(monkeypatch):
    """The outbox messages rung for (their ids); nothing reaches a broker, nothing is sent."""
    sent: list[int] = []
    doorbell.unpause()
    monkeypatch.setattr(outbox_send_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    return sent


def send(message_ids) -> None:
    """Run the send task for each message, as the worker would."""
    for message_id in message_ids:
        outbox_send_task.apply(args=[message_id])


@pytest.fixture
def report(db):
    DistrictFactory(name="Mitte", area=square(7.5, 51.4, 0.1))
    return make_report(make_category(name="Straßenbeleuchtung"))


def follow_by_form(client, report, callbacks, email=FOLLOWER):
    with callbacks(execute=True):
        return client.post(f"/maengel/{report.ticket.number}/folgen/", {"folgen-email": email})


def confirmed_follower(report, email=FOLLOWER) -> Subscription:
    follow = report_follow(report=report, email=email)
    follow.state = State.CONFIRMED
    follow.confirmed_at = timezone.now()
    follow.save(update_fields=["state", "confirmed_at"])
    return follow


def confirmation_mail(client, report, callbacks, enqueued, email=FOLLOWER):
    follow_by_form(client, report, callbacks, email)
    send(enqueued)
    enqueued.clear()
    return mail.outbox[-1]


# --- following -----------------------------------------------------------------------------------
def test_report_page_offers_the_follow_form(client, report):
    text = client.get(f"/maengel/{report.ticket.number}/").content.decode()
    assert "Meldung folgen" in text
    assert 'name="folgen-email"' in text
    assert 'id="id_folgen-email"' in text and text.count('id="id_email"') <= 1


def test_follow_sends_one_confirmation_and_nothing_else(
    client, report, enqueued, django_capture_on_commit_callbacks
):
    response = follow_by_form(
        client, report, django_capture_on_commit_callbacks, "Fritz.Folger@Example.org"
    )
    assert response.status_code == 302
    follow = follows().get()
    assert follow.email == FOLLOWER and follow.state == State.PENDING
    (message_row,) = owed("subscriptions.confirm")
    assert enqueued == [message_row.pk]
    assert "Bestätigungslink" in client.get(response["Location"]).content.decode()

    send([message_row.pk, message_row.pk])  # delivered twice: sent once
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [FOLLOWER]
    assert "bestätigen" in message.subject and report.ticket.number in message.subject
    found = links(message)
    assert set(found) == {"bestaetigen", "abmelden"}
    html = message.alternatives[0][0]
    assert found["bestaetigen"] in html and found["abmelden"] in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/maengel/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message_row.refresh_from_db()
    assert message_row.sent_at is not None


def test_asking_twice_sends_no_second_confirmation(
    client, report, enqueued, django_capture_on_commit_callbacks
):
    follow_by_form(client, report, django_capture_on_commit_callbacks)
    follow_by_form(client, report, django_capture_on_commit_callbacks)
    assert follows().count() == 1
    assert len(enqueued) == 1


def test_unconfirmed_followers_get_no_updates(report, enqueued, django_capture_on_commit_callbacks):
    report_follow(report=report, email=FOLLOWER)
    enqueued.clear()
    change_status(report, django_capture_on_commit_callbacks)
    assert enqueued == []
    assert not owed().exists()


def test_confirm_link_shows_a_button_and_only_post_confirms(
    client, report, enqueued, django_capture_on_commit_callbacks
):
    message = confirmation_mail(client, report, django_capture_on_commit_callbacks, enqueued)
    url = links(message)["bestaetigen"]
    response = client.get(url)
    assert response.status_code == 200
    assert "Ja, ich möchte dieser Meldung folgen" in response.content.decode()
    follow = follows().get()
    assert follow.state == State.PENDING

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/maengel/{report.ticket.number}/"
    follow.refresh_from_db()
    assert follow.state == State.CONFIRMED and follow.confirmed_at is not None
    response = client.get("/maengel/folgen/bestaetigen/falsch/")
    assert response.status_code == 404
    assert "Dieser Link ist ungültig." in response.content.decode()


def test_a_public_change_is_mailed_once_even_if_the_signal_comes_twice(
    report, enqueued, django_capture_on_commit_callbacks
):
    from services.reports.follow import report_follow_owe_update

    confirmed_follower(report)
    other = confirmed_follower(report, "zweite@example.org")
    event = change_status(report, django_capture_on_commit_callbacks, message="Lampe bestellt.")
    assert len(enqueued) == 2
    with django_capture_on_commit_callbacks(execute=True):
        report_follow_owe_update(event=event)  # the domain signal delivered again
    assert len(enqueued) == 2 and owed().count() == 2

    send(enqueued + enqueued)  # and the send tasks too
    assert sorted(m.to[0] for m in mail.outbox) == sorted([FOLLOWER, "zweite@example.org"])
    message = next(m for m in mail.outbox if m.to == [FOLLOWER])
    assert "in Bearbeitung" in message.subject
    assert "Lampe bestellt." in message.body
    assert f"/maengel/{report.ticket.number}/" in message.body
    assert set(links(message)) == {"abmelden"}
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<http://testserver{links(message)['abmelden']}>"
    )
    assert owed().filter(sent_at__isnull=False).count() == 2
    assert owed().filter(key=f"sub:{other.pk}:event:{event.pk}").exists()


def test_internal_events_are_not_mailed(report, enqueued, django_capture_on_commit_callbacks):
    confirmed_follower(report)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_add_note(ticket=report.ticket, actor=StaffUserFactory(), note="intern")
    assert enqueued == []
    assert not owed().exists()
    assert mail.outbox == []


def test_a_failed_send_is_sent_again_by_the_retry(
    report, enqueued, monkeypatch, django_capture_on_commit_callbacks
):
    confirmed_follower(report)
    change_status(report, django_capture_on_commit_callbacks)
    (message_row,) = owed()

    def smtp_down(self, *args, **kwargs):
        raise ConnectionError("SMTP weg")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", smtp_down)
        with pytest.raises(ConnectionError):
            message_send(message_id=message_row.pk)
    message_row.refresh_from_db()
    assert message_row.sent_at is None  # rolled back with the failed send
    send([message_row.pk])
    assert len(mail.outbox) == 1


# --- unsubscribing -------------------------------------------------------------------------------
def test_unsubscribe_shows_a_button_and_only_post_unsubscribes(
    report, enqueued, django_capture_on_commit_callbacks
):
    follow = confirmed_follower(report)
    change_status(report, django_capture_on_commit_callbacks)
    send(enqueued)
    enqueued.clear()
    url = links(mail.outbox[0])["abmelden"]
    mail.outbox.clear()
    client = Client(enforce_csrf_checks=True)  # mail programs' one-click POST has no token
    response = client.get(url)
    assert response.status_code == 200
    assert "Abmelden" in response.content.decode()
    follow.refresh_from_db()
    assert follow.state == State.CONFIRMED

    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Sie sind abgemeldet" in response.content.decode()
    follow.refresh_from_db()
    assert follow.state == State.ENDED and follow.ended_at is not None

    change_status(report, django_capture_on_commit_callbacks, status=TicketStatus.DONE)
    assert enqueued == []
    assert mail.outbox == []
    assert client.post("/maengel/folgen/abmelden/falsch/").status_code == 404


def test_a_report_taken_offline_refuses_the_confirmation_but_not_the_unsubscribe(
    client, report, enqueued, django_capture_on_commit_callbacks
):
    message = confirmation_mail(client, report, django_capture_on_commit_callbacks, enqueued)
    confirm_link, end_link = links(message)["bestaetigen"], links(message)["abmelden"]
    Report.objects.filter(pk=report.pk).update(is_published=False)

    response = client.post(confirm_link)
    assert response.status_code == 404
    assert "Dieser Link ist ungültig." in response.content.decode()
    assert follows().get().state == State.PENDING

    # nobody has to keep e-mails they no longer want: the page says nothing about the report
    response = client.post(end_link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sie sind abgemeldet" in page
    assert report.ticket.number not in page
    assert follows().get().state == State.ENDED


def test_following_again_after_unsubscribing_asks_for_confirmation_again(
    client, report, enqueued, django_capture_on_commit_callbacks
):
    message = confirmation_mail(client, report, django_capture_on_commit_callbacks, enqueued)
    client.post(links(message)["bestaetigen"])
    client.post(links(message)["abmelden"])
    follow = follows().get()
    assert follow.state == State.ENDED
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=1)):
        follow_by_form(client, report, django_capture_on_commit_callbacks)
    follow.refresh_from_db()
    assert follow.state == State.PENDING and follow.confirmed_at is None
    assert len(enqueued) == 1
    # an unsubscribed request whose confirmation is still unsent stays silent
    client.post(links(message)["abmelden"])
    send(enqueued)
    assert mail.outbox == []


# --- the form ------------------------------------------------------------------------------------
def test_signed_in_person_with_a_verified_address_follows_at_once(
    client, report, enqueued, django_capture_on_commit_callbacks
):
    user = UserFactory(email="konto@example.org")
    client.force_login(user)
    text = client.get(f"/maengel/{report.ticket.number}/").content.decode()
    assert 'name="folgen-email"' not in text and "konto@example.org" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/maengel/{report.ticket.number}/folgen/", {})
    assert response.status_code == 302
    follow = follows().get()
    assert (follow.user, follow.email) == (user, "konto@example.org")
    assert follow.state == State.CONFIRMED
    assert enqueued == []


def test_signed_in_person_with_an_unverified_address_confirms_by_mail(
    client, report, enqueued, django_capture_on_commit_callbacks
):
    user = UserFactory(email="neu@example.org", confirmed=False)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/maengel/{report.ticket.number}/folgen/", {})
    follow = follows().get()
    assert follow.email == "neu@example.org" and follow.state == State.PENDING
    assert [m.recipient for m in owed("subscriptions.confirm")] == ["neu@example.org"]
    assert len(enqueued) == 1


def test_a_wrong_address_is_shown_with_the_error(client, report, enqueued):
    response = client.post(f"/maengel/{report.ticket.number}/folgen/", {"folgen-email": "kaputt"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Fehler:" in text
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in text
    assert 'href="#id_folgen-email"' in text
    assert not follows().exists()


def test_bots_filling_the_honeypot_are_thanked_and_ignored(client, report, enqueued):
    response = client.post(
        f"/maengel/{report.ticket.number}/folgen/",
        {"folgen-email": FOLLOWER, "folgen-homepage": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not follows().exists() and enqueued == []


def test_unpublished_reports_cannot_be_followed(client, db, enqueued):
    DistrictFactory(area=square(7.5, 51.4, 0.1))
    hidden = make_report(make_category(publish_mode=PublishMode.AFTER_REVIEW))
    response = client.post(f"/maengel/{hidden.ticket.number}/folgen/", {"folgen-email": FOLLOWER})
    assert response.status_code == 404
    assert not follows().exists()


# --- the broker is only the doorbell -------------------------------------------------------------
def test_a_dead_broker_leaves_the_follow_request_and_the_relay_rings_again(
    client, report, monkeypatch, django_capture_on_commit_callbacks
):
    doorbell.unpause()

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis weg")

    monkeypatch.setattr(outbox_send_task, "apply_async", broker_down)
    response = follow_by_form(client, report, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    (message_row,) = owed("subscriptions.confirm")

    sent = []
    doorbell.unpause()
    monkeypatch.setattr(outbox_send_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert outbox_relay() == 0
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=3)):
        outbox_relay()
    assert message_row.pk in sent


def test_the_relay_rings_again_for_untold_events(
    report, monkeypatch, django_capture_on_commit_callbacks
):
    confirmed_follower(report)
    doorbell.unpause()

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis weg")

    monkeypatch.setattr(outbox_send_task, "apply_async", broker_down)
    change_status(report, django_capture_on_commit_callbacks)  # the doorbell was not heard
    doorbell.unpause()
    sent = []
    monkeypatch.setattr(outbox_send_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    (message_row,) = owed()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=3)):
        outbox_relay()
        assert message_row.pk in sent
        send([message_row.pk])
        outbox_relay()
    assert sent.count(message_row.pk) == 1
    assert [m.to for m in mail.outbox] == [[FOLLOWER]]


# --- rate limits ---------------------------------------------------------------------------------
def _follow(client, report, email, ip="198.51.100.1"):
    return client.post(
        f"/maengel/{report.ticket.number}/folgen/", {"folgen-email": email}, REMOTE_ADDR=ip
    )


def _more_reports(count: int):
    category = make_category()
    return [make_report(category, description=f"Laterne {n}") for n in range(count)]


def test_follow_requests_are_limited_per_ip_address_per_hour(
    client, report, enqueued, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_FOLLOW_LIMIT_PER_IP_HOUR = 3
    reports = [report, *_more_reports(3)]
    with (
        time_machine.travel("2026-11-23T10:15:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        statuses = [
            _follow(client, r, f"person{n}@example.org").status_code for n, r in enumerate(reports)
        ]
        refused = _follow(client, reports[0], "noch.jemand@example.org")
        # another address (another household) is not affected
        other = _follow(client, reports[3], "nachbarin@example.org", ip="203.0.113.9")
    assert statuses == [302, 302, 302, 429]
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(45 * 60)
    text = refused.content.decode()
    assert "<title>Fehler:" in text
    assert "zu viele Anfragen, Meldungen zu folgen" in text
    assert "in 45 Minuten noch einmal" in text
    assert other.status_code == 302
    assert follows().count() == 4
    assert len(enqueued) == 4  # confirmation e-mails only for the accepted requests
    # the next hour counts anew
    with time_machine.travel("2026-11-23T11:00:01+01:00", tick=False):
        assert _follow(client, reports[3], "spaeter@example.org").status_code == 302


def test_follow_requests_are_limited_per_e_mail_address(client, report, enqueued, settings):
    settings.REPORTS_FOLLOW_LIMIT_PER_EMAIL_HOUR = 2
    reports = [report, *_more_reports(2)]
    with time_machine.travel("2026-11-23T10:59:30+01:00", tick=False):
        statuses = [
            _follow(client, r, "Opfer@Example.org", ip=f"192.0.2.{n}").status_code
            for n, r in enumerate(reports)
        ]
        refused = _follow(client, reports[2], "opfer@example.org", ip="192.0.2.99")
    assert statuses == [302, 302, 429]
    assert refused.status_code == 429
    assert "in 1 Minute noch einmal" in refused.content.decode()
    assert follows().filter(email="opfer@example.org").count() == 2


def test_signed_in_people_are_limited_by_their_account_address(client, report, enqueued, settings):
    settings.REPORTS_FOLLOW_LIMIT_PER_EMAIL_HOUR = 1
    user = UserFactory(email="konto@example.org", confirmed=False)
    client.force_login(user)
    second = _more_reports(1)[0]
    assert _follow(client, report, "", ip="192.0.2.1").status_code == 302
    assert _follow(client, second, "", ip="192.0.2.2").status_code == 429
