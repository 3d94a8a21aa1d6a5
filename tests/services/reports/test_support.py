""" "Ich bin auch betroffen" with an e-mail address: it counts only after the confirmation link is
used (double opt-in), each address once; and no page says "0 Personen betroffen"."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portal.core import doorbell
from portal.core.models import ErasureLog, OutboxMessage
from portal.core.outbox.services import outbox_relay
from portal.core.tasks import outbox_send_task
from services.reports.models import ReportSupport
from tests.factories import DistrictFactory, UserFactory, square
from tests.services.reports.test_follow import make_category, make_report

pytestmark = pytest.mark.django_db

NEIGHBOUR = "nora.nachbarin@example.org"
COUNTED = "Danke! Sie sind jetzt als betroffen gezählt."
CHECK_MAIL = "Fast geschafft"
LINK = re.compile(r"http://testserver(/maengel/betroffen/bestaetigen/[^/\s]+/)")


@pytest.fixture
def report(db):
    DistrictFactory(name="Mitte", area=square(7.5, 51.4, 0.1))
    return make_report(make_category(name="Straßenbeleuchtung"))


@pytest.fixture
def delivered(monkeypatch, django_capture_on_commit_callbacks):
    """A worker that runs the confirmation task at once: posting the form sends the e-mail."""
    doorbell.unpause()
    task = outbox_send_task
    monkeypatch.setattr(task, "apply_async", lambda args, **kw: task.apply(args=args))

    def post(client, url, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **kwargs)

    return post


def support_url(report) -> str:
    return f"/maengel/{report.ticket.number}/unterstuetzen/"


def page(client, report) -> str:
    return client.get(f"/maengel/{report.ticket.number}/").content.decode()


def confirm_link(message) -> str:
    (path,) = set(LINK.findall(message.body))
    assert path in message.alternatives[0][0]
    return path


def test_an_address_counts_only_after_its_link_is_confirmed(client, report, delivered):
    response = delivered(client, support_url(report), {"email": "Nora.Nachbarin@Example.org"})
    assert response.status_code == 302
    text = client.get(response["Location"]).content.decode()
    assert CHECK_MAIL in text and COUNTED not in text
    assert "außerdem betroffen" not in text  # still nobody counted

    (message,) = mail.outbox
    assert message.to == [NEIGHBOUR]
    assert "bestätigen" in message.subject and report.ticket.number in message.subject
    link = confirm_link(message)

    response = client.get(link)  # opening the link only shows the button
    assert response.status_code == 200
    assert "Ja, ich bin auch betroffen" in response.content.decode()
    assert "außerdem betroffen" not in page(client, report)

    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == f"/maengel/{report.ticket.number}/"
    text = response.content.decode()
    assert COUNTED in text
    assert "1 Person ist außerdem betroffen." in text
    assert NEIGHBOUR not in text

    response = client.post(link, follow=True)  # the link used again
    assert "bereits als betroffen gezählt" in response.content.decode()
    assert "1 Person ist außerdem betroffen." in response.content.decode()


def test_the_same_address_counts_once(client, report, delivered):
    delivered(client, support_url(report), {"email": NEIGHBOUR})
    client.post(confirm_link(mail.outbox[0]))

    # again with the same address: the same neutral answer, no e-mail, no second count
    response = delivered(client, support_url(report), {"email": NEIGHBOUR.upper()}, follow=True)
    text = response.content.decode()
    assert CHECK_MAIL in text
    assert "1 Person ist außerdem betroffen." in text
    assert len(mail.outbox) == 1
    assert ReportSupport.objects.filter(report=report).count() == 1

    delivered(client, support_url(report), {"email": "zweiter@example.org"})
    client.post(confirm_link(mail.outbox[1]))
    assert "2 Personen sind außerdem betroffen." in page(client, report)


def test_an_expired_or_altered_link_is_refused_in_german(client, report, delivered):
    delivered(client, support_url(report), {"email": NEIGHBOUR})
    link = confirm_link(mail.outbox[0])

    for altered in (link[:-3] + "xx/", "/maengel/betroffen/bestaetigen/unsinn/"):
        response = client.post(altered)
        assert response.status_code == 404
        assert "Dieser Link ist ungültig." in response.content.decode()

    eight_days = timezone.now() + timezone.timedelta(days=8)
    with time_machine.travel(eight_days):
        for method in (client.get, client.post):
            response = method(link)
            assert response.status_code == 404
            assert "Dieser Bestätigungslink ist abgelaufen." in response.content.decode()
        assert "außerdem betroffen" not in page(client, report)

        # asking again sends a new link, which works
        delivered(client, support_url(report), {"email": NEIGHBOUR})
        assert len(mail.outbox) == 2
        client.post(confirm_link(mail.outbox[1]))
        assert "1 Person ist außerdem betroffen." in page(client, report)


def test_cards_and_pages_say_nothing_while_nobody_else_is_affected(client, report):
    texts = [client.get("/maengel/").content.decode(), page(client, report)]
    for text in texts:
        assert report.ticket.number in text
        assert "0 Person" not in text and "betroffen." not in text
    assert "Person betroffen" not in texts[0]

    client.force_login(UserFactory())
    client.post(support_url(report))
    assert "· 1 Person betroffen" in client.get("/maengel/").content.decode()
    assert "1 Person ist außerdem betroffen." in page(client, report)


def test_a_lost_doorbell_is_rung_again_by_the_relay(
    client, report, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis weg")

    doorbell.unpause()
    monkeypatch.setattr(outbox_send_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(support_url(report), {"email": NEIGHBOUR})
    (message,) = OutboxMessage.objects.filter(kind="reports.support_confirm")

    sent = []
    doorbell.unpause()
    monkeypatch.setattr(outbox_send_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    outbox_relay()
    assert message.pk not in sent  # too fresh: the doorbell may still be heard
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=3)):
        outbox_relay()
    assert message.pk in sent
    assert outbox_send_task.apply(args=[message.pk]).get() is True
    assert outbox_send_task.apply(args=[message.pk]).get() is False  # once
    assert [m.to for m in mail.outbox] == [[NEIGHBOUR]]
    assert ReportSupport.objects.get().confirmed_at is None


def test_typed_in_addresses_are_rate_limited(client, report, delivered, settings):
    settings.REPORTS_SUPPORT_LIMIT_PER_EMAIL_HOUR = 1
    delivered(client, support_url(report), {"email": NEIGHBOUR})
    response = delivered(client, support_url(report), {"email": NEIGHBOUR})
    assert response.status_code == 429
    assert "zu viele Angaben" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert len(mail.outbox) == 1


def test_supports_never_confirmed_are_erased_after_the_period_and_never_counted(
    client, report, delivered, settings
):
    """The retention job (issue 15): an address whose link was never used goes after
    PRIVACY_UNCONFIRMED_DAYS; a confirmed one and an account's stay, the count is unchanged."""
    settings.PRIVACY_UNCONFIRMED_DAYS = 7
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        delivered(client, support_url(report), {"email": "vergessen@example.org"})
        delivered(client, support_url(report), {"email": "bestaetigt@example.org"})
        client.post(confirm_link(mail.outbox[-1]))
    signed_in = Client()
    signed_in.force_login(UserFactory())
    with time_machine.travel(start + timedelta(days=3), tick=False):
        delivered(signed_in, support_url(report), {})
        delivered(client, support_url(report), {"email": "neu@example.org"})
    assert "2 Personen sind außerdem betroffen." in page(client, report)

    with time_machine.travel(start + timedelta(days=7, hours=1), tick=False):
        call_command("apply_retention", stdout=io.StringIO())
    left = set(ReportSupport.objects.values_list("email", flat=True))
    assert left == {"bestaetigt@example.org", "", "neu@example.org"}
    assert "2 Personen sind außerdem betroffen." in page(client, report)
    assert ErasureLog.objects.get(rule="reports.unconfirmed_supports").count == 1
