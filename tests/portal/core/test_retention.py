"""The retention job (issue 15, item 4) with a frozen clock: exactly the rows that are due are
erased, nothing else is touched, and the Löschprotokoll in the admin shows the counts – never a
person."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portal.core.models import ErasureLog, OutboxMessage, Subscription
from portal.core.retention import rules
from portal.core.subscriptions.models import State
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.datetime(2026, 12, 6, 3, 30, tzinfo=timezone.get_current_timezone())


def mail(key: str, *, sent_days_ago: float | None, created_days_ago: float) -> OutboxMessage:
    return OutboxMessage.objects.create(
        key=key,
        kind="test.mail",
        recipient=f"{key}@example.org",
        template="emails/test",
        context={"ticket": 1},
        created_at=NOW - timedelta(days=created_days_ago),
        sent_at=None if sent_days_ago is None else NOW - timedelta(days=sent_days_ago),
    )


def subscription(email: str, *, state: str, days_ago: float) -> Subscription:
    return Subscription.objects.create(
        kind="test.kind", email=email, state=state, created_at=NOW - timedelta(days=days_ago)
    )


def test_exactly_the_due_rows_are_erased_and_counted(settings, login_with_second_factor):
    settings.PRIVACY_OUTBOX_ADDRESS_DAYS = 30
    settings.PRIVACY_UNCONFIRMED_DAYS = 7
    due_mail = mail("alt", sent_days_ago=31, created_days_ago=31)
    recent_mail = mail("neu", sent_days_ago=29, created_days_ago=29)
    unsent_mail = mail("offen", sent_days_ago=None, created_days_ago=40)  # owed: never erased
    due_pending = subscription("vergessen@example.org", state=State.PENDING, days_ago=7.5)
    fresh_pending = subscription("frisch@example.org", state=State.PENDING, days_ago=6.5)
    old_confirmed = subscription("treu@example.org", state=State.CONFIRMED, days_ago=400)

    with time_machine.travel(NOW, tick=False):
        call_command("apply_retention", stdout=open("/dev/null", "w"))

    due_mail.refresh_from_db()
    assert (due_mail.recipient, due_mail.context, due_mail.key) == ("", {}, "alt")
    for kept in (recent_mail, unsent_mail):
        before = (kept.recipient, kept.context)
        kept.refresh_from_db()
        assert (kept.recipient, kept.context) == before
    assert not Subscription.objects.filter(pk=due_pending.pk).exists()
    assert Subscription.objects.filter(pk__in=[fresh_pending.pk, old_confirmed.pk]).count() == 2

    counts = dict(ErasureLog.objects.values_list("rule", "count"))
    assert counts["core.outbox_addresses"] == 1
    assert counts["core.pending_subscriptions"] == 1
    assert set(counts) == {rule.name for rule in rules()}  # every rule ran and wrote its line

    # a second run the same night finds nothing more
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        call_command("apply_retention", stdout=open("/dev/null", "w"))
    second = ErasureLog.objects.filter(ran_at__gt=NOW)
    assert second.count() == len(rules()) and not second.exclude(count=0).exists()

    # the Löschprotokoll in the admin: counts and periods, no address
    clerk = StaffUserFactory()
    clerk.user_permissions.add(Permission.objects.get(codename="view_erasure_log"))
    staff = Client()
    login_with_second_factor(staff, clerk)
    page = staff.get("/admin/loeschprotokoll/").content.decode()
    assert "Empfängeradressen versandter E-Mails" in page
    assert "Nie bestätigte Benachrichtigungen" in page
    assert "30 Tage" in page and "7 Tage" in page
    assert "example.org" not in page


def test_the_erasure_log_is_only_for_those_allowed_to_see_it(login_with_second_factor):
    staff = Client()
    login_with_second_factor(staff, StaffUserFactory())
    response = staff.get("/admin/loeschprotokoll/")  # Wagtail sends them back to its start
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_log_lines_cannot_be_changed():
    from portal.core.workflow import AppendOnlyError

    entry = ErasureLog.objects.create(rule="x", label="x", days=1, count=0)
    with pytest.raises(AppendOnlyError):
        entry.delete()
