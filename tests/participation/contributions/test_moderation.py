"""Reporting, auto-hide, moderators' decisions with the reason e-mailed to the author, blocking,
and the append-only audit log."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from participation.contributions import moderation, services
from participation.contributions.constants import ModerationAction, ModerationState
from participation.contributions.models import (
    Comment,
    ContributionReport,
    ModerationLog,
    ReasonTemplate,
)
from participation.projects.models import ParticipationBlock
from portal.core.models import OutboxMessage
from portal.core.tasks import outbox_relay_task, outbox_send_task
from portal.departments.models import DepartmentMembership
from tests.factories import DepartmentFactory, StaffUserFactory

from .conftest import admin_client, citizen, client_for, moderator_user, open_project

pytestmark = pytest.mark.django_db

REASON = "Bitte bleiben Sie sachlich: Beleidigungen haben hier keinen Platz."
NOTICE = "contributions.moderation_notice"  # the kind of e-mail in the kernel's outbox


@pytest.fixture
def vorhaben(vorhabenliste):
    return open_project(title="Radweg Ruhrtal", slug="radweg")


@pytest.fixture
def author():
    return citizen(display_name="Kai", email="kai@example.org")


@pytest.fixture
def comment(vorhaben, author):
    return services.comment_create(actor=author, target=vorhaben, text="Ihr seid alle Idioten!")


def report(client, comment, reason="beleidigend"):
    return client.post(
        f"/mitmachen/kommentar/{comment.pk}/melden/", {"reason": reason, "homepage": ""}
    )


# --- reporting ------------------------------------------------------------------------------------
def test_anyone_may_report_once(vorhaben, comment):
    anonymous = client_for(None)
    assert (
        "Beitrag melden"
        in anonymous.get(f"/mitmachen/kommentar/{comment.pk}/melden/").content.decode()
    )
    response = report(anonymous, comment)
    assert response.status_code == 302
    assert response["Location"] == f"{vorhaben.get_url()}#kommentar-{comment.pk}"
    again = report(anonymous, comment)
    assert again.status_code == 409
    assert "bereits gemeldet" in again.content.decode()

    signed_in = client_for(citizen())
    assert report(signed_in, comment).status_code == 302
    assert report(signed_in, comment).status_code == 409

    stored = ContributionReport.objects.filter(comment=comment)
    assert stored.count() == 2
    assert stored.filter(reporter__isnull=True).get().reason == "beleidigend"
    comment.refresh_from_db()
    assert (comment.open_report_count, comment.state) == (2, ModerationState.VISIBLE)


def test_honeypot_reports_nothing(comment):
    response = client_for(None).post(
        f"/mitmachen/kommentar/{comment.pk}/melden/", {"reason": "x", "homepage": "http://spam"}
    )
    assert response.status_code == 302  # the bot learns nothing
    assert not ContributionReport.objects.exists()


@override_settings(CONTRIBUTIONS_REPORT_LIMIT_PER_IP_HOUR=2)
def test_reports_are_rate_limited_per_address(vorhaben, author):
    comments = [
        services.comment_create(actor=author, target=vorhaben, text=f"Kommentar {n}")
        for n in range(3)
    ]
    client = client_for(None)
    assert report(client, comments[0]).status_code == 302
    assert report(client, comments[1]).status_code == 302
    response = report(client, comments[2])
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "zu viele Meldungen" in response.content.decode()
    assert ContributionReport.objects.count() == 2


def test_three_reports_hide_until_a_moderator_decides(vorhaben, comment):
    for _ in range(3):
        assert report(client_for(citizen()), comment).status_code == 302
    comment.refresh_from_db()
    assert comment.state == ModerationState.AUTO_HIDDEN
    page = client_for(None).get(vorhaben.get_url()).content.decode()
    assert "Ihr seid alle Idioten!" not in page
    assert "mehrfach gemeldet und ist ausgeblendet" in page
    log = ModerationLog.objects.get()
    assert (log.action, log.actor, log.comment) == (ModerationAction.AUTO_HIDDEN, None, comment)
    # a fourth report changes nothing
    assert report(client_for(citizen()), comment).status_code == 409


@override_settings(CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS=5)
def test_threshold_is_a_setting(comment):
    for _ in range(4):
        report(client_for(citizen()), comment)
    comment.refresh_from_db()
    assert comment.state == ModerationState.VISIBLE


# --- moderators decide ----------------------------------------------------------------------------
def test_hide_with_reason_tells_the_author(
    vorhaben, comment, author, enqueued, django_capture_on_commit_callbacks
):
    template = ReasonTemplate.objects.create(title="Beleidigung", text=REASON)
    moderator = moderator_user()
    client = admin_client(moderator)
    page = client.get(f"/admin/beteiligung/kommentar/{comment.pk}/")
    assert page.status_code == 200
    assert "Ihr seid alle Idioten!" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/beteiligung/kommentar/{comment.pk}/ausblenden/",
            {"template": template.pk, "reason": ""},
        )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.state, comment.moderation_reason) == (ModerationState.HIDDEN, REASON)

    public = client_for(None).get(vorhaben.get_url()).content.decode()
    assert f"Von der Moderation ausgeblendet: {REASON}" in public
    assert "Ihr seid alle Idioten!" not in public

    log = ModerationLog.objects.get(action=ModerationAction.HIDDEN)
    assert (log.actor, log.comment, log.reason, log.user) == (moderator, comment, REASON, author)

    # the broker heard the doorbell; the worker's task sends exactly one e-mail
    notice = OutboxMessage.objects.get(kind=NOTICE)
    assert enqueued == [notice.pk]
    assert outbox_send_task(notice.pk) is True
    assert outbox_send_task(notice.pk) is False  # a redelivery sends nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kai@example.org"]
    assert "ausgeblendet" in message.subject
    assert REASON in message.body
    assert "Radweg Ruhrtal" in message.body
    assert REASON in message.alternatives[0][0]
    assert moderator.email not in message.body


def test_hide_needs_a_reason(comment):
    client = admin_client(moderator_user())
    response = client.post(f"/admin/beteiligung/kommentar/{comment.pk}/ausblenden/", {})
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Textbaustein oder schreiben Sie eine Begründung." in (
        response.content.decode()
    )
    comment.refresh_from_db()
    assert comment.state == ModerationState.VISIBLE
    assert not ModerationLog.objects.exists()


def test_restore_after_auto_hide(vorhaben, comment):
    for _ in range(3):
        report(client_for(citizen()), comment)
    moderator = moderator_user()
    response = admin_client(moderator).post(
        f"/admin/beteiligung/kommentar/{comment.pk}/wiederherstellen/",
        {"note": "Zugespitzt, aber zulässig."},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.state, comment.open_report_count) == (ModerationState.VISIBLE, 0)
    assert not ContributionReport.objects.filter(resolved_at__isnull=True).exists()
    assert "Ihr seid alle Idioten!" in client_for(None).get(vorhaben.get_url()).content.decode()
    log = ModerationLog.objects.get(action=ModerationAction.RESTORED)
    assert (log.actor, log.reason) == (moderator, "Zugespitzt, aber zulässig.")
    assert not OutboxMessage.objects.filter(kind=NOTICE).exists()  # nobody needs an e-mail for this


def test_confirming_an_auto_hide_is_a_hide_with_reason(comment, enqueued, mailoutbox):
    for _ in range(3):
        report(client_for(citizen()), comment)
    moderation.contribution_hide(actor=moderator_user(), contribution=comment, reason=REASON)
    comment.refresh_from_db()
    assert comment.state == ModerationState.HIDDEN
    assert [log.action for log in ModerationLog.objects.order_by("pk")] == [
        ModerationAction.AUTO_HIDDEN,
        ModerationAction.HIDDEN,
    ]


def test_block_the_author(vorhaben, comment, author, enqueued, django_capture_on_commit_callbacks):
    moderator = moderator_user()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client(moderator).post(
            f"/admin/beteiligung/kommentar/{comment.pk}/sperren/",
            {"reason": "Wiederholte Beleidigungen.", "until": ""},
        )
    assert response.status_code == 302
    block = ParticipationBlock.objects.get(user=author)
    assert (block.reason, block.until, block.created_by) == (
        "Wiederholte Beleidigungen.", None, moderator,
    )  # fmt: skip
    assert ModerationLog.objects.get(action=ModerationAction.USER_BLOCKED).user == author
    outbox_send_task(enqueued[0])
    assert "Wiederholte Beleidigungen." in mail.outbox[0].body
    # and the block holds on the server
    response = client_for(author).post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/kommentar/", {"kommentar-text": "Noch einer"}
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 1

    unblock = admin_client(moderator).post(
        f"/admin/beteiligung/kommentar/{comment.pk}/entsperren/", {"note": ""}
    )
    assert unblock.status_code == 302
    assert not ParticipationBlock.objects.filter(user=author).exists()
    assert ModerationLog.objects.filter(action=ModerationAction.USER_UNBLOCKED).count() == 1


def test_the_log_is_append_only(comment):
    moderation.contribution_hide(actor=moderator_user(), contribution=comment, reason=REASON)
    log = ModerationLog.objects.get()
    log.reason = "geändert"
    with pytest.raises(ValueError):
        log.save()
    with pytest.raises(ValueError):
        log.delete()
    assert ModerationLog.objects.get().reason == REASON


def test_log_is_visible_in_the_admin(vorhaben, comment):
    moderator = moderator_user(first_name="Mona", last_name="Moderation")
    moderation.contribution_hide(actor=moderator, contribution=comment, reason=REASON)
    page = admin_client(moderator).get(f"/admin/beteiligung/protokoll/?vorhaben={vorhaben.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "ausgeblendet" in html and REASON in html and "Mona Moderation" in html


# --- who moderates --------------------------------------------------------------------------------
def test_citizens_and_other_departments_cannot_moderate(vorhabenliste, author):
    own = DepartmentFactory(name="Tiefbauamt")
    vorhaben = open_project(department=own)
    other_vorhaben = open_project(department=DepartmentFactory(name="Kulturamt"))
    comment = services.comment_create(actor=author, target=vorhaben, text="Text")
    other_comment = services.comment_create(actor=author, target=other_vorhaben, text="Text")

    clerk = StaffUserFactory(trust_level=1)
    DepartmentMembership.objects.create(department=own, user=clerk)
    client = admin_client(clerk)
    overview = client.get("/admin/beteiligung/").content.decode()
    assert vorhaben.title in overview and other_vorhaben.title not in overview
    assert client.get(f"/admin/beteiligung/kommentar/{comment.pk}/").status_code == 200
    assert client.get(f"/admin/beteiligung/kommentar/{other_comment.pk}/").status_code == 404
    response = client.post(
        f"/admin/beteiligung/kommentar/{other_comment.pk}/ausblenden/", {"reason": REASON}
    )
    assert response.status_code == 404
    other_comment.refresh_from_db()
    assert other_comment.state == ModerationState.VISIBLE

    # a citizen may not even get into the admin, and the service refuses them as well
    assert client_for(author).get("/admin/beteiligung/").status_code in (302, 403)
    with pytest.raises(services.ContributionRefused):
        moderation.contribution_hide(actor=author, contribution=comment, reason=REASON)


def test_staff_without_projects_are_sent_away(vorhaben, comment):
    """Wagtail turns the refusal into a redirect to the dashboard with a message."""
    client = admin_client(StaffUserFactory())
    for url in ("/admin/beteiligung/", f"/admin/beteiligung/kommentar/{comment.pk}/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(
        f"/admin/beteiligung/kommentar/{comment.pk}/ausblenden/", {"reason": REASON}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == ModerationState.VISIBLE


def test_block_until_a_date(comment, author, enqueued):
    client = admin_client(moderator_user())
    past = client.post(
        f"/admin/beteiligung/kommentar/{comment.pk}/sperren/",
        {"reason": "Spam", "until": "2001-01-01T10:00"},
    )
    assert past.status_code == 400
    assert "in der Zukunft" in past.content.decode()
    assert not ParticipationBlock.objects.exists()

    later = timezone.localtime() + timedelta(days=7)
    response = client.post(
        f"/admin/beteiligung/kommentar/{comment.pk}/sperren/",
        {"reason": "Spam", "until": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    block = ParticipationBlock.objects.get(user=author)
    assert timezone.localtime(block.until).date() == later.date()
    with time_machine.travel(later + timedelta(minutes=5)):
        # the block has ended: the person may take part again
        assert not block.is_active()
        services.comment_create(actor=author, target=comment.project, text="Wieder da")


def test_relay_rings_again_for_unsent_emails(comment, enqueued):
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        moderation.contribution_hide(actor=moderator_user(), contribution=comment, reason=REASON)
    notice = OutboxMessage.objects.get(kind=NOTICE)
    assert enqueued == []  # without on-commit callbacks the broker never heard of it
    assert outbox_relay_task() == 1
    assert enqueued == [notice.pk]
    outbox_send_task(notice.pk)
    assert outbox_relay_task() == 0
    assert len(mail.outbox) == 1


@override_settings(CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS=2)
def test_queue_shows_waiting_and_reported_first(vorhaben, author):
    quiet = services.comment_create(actor=author, target=vorhaben, text="Ruhiger Kommentar")
    reported = services.comment_create(actor=author, target=vorhaben, text="Einmal gemeldet")
    waiting = services.comment_create(actor=author, target=vorhaben, text="Zweimal gemeldet")
    newest = services.comment_create(actor=author, target=vorhaben, text="Neuester Kommentar")
    report(client_for(citizen()), reported)
    for _ in range(2):
        report(client_for(citizen()), waiting)
    client = admin_client(moderator_user())

    overview = client.get("/admin/beteiligung/").content.decode()
    assert 'backoffice-badge--warning">1<' in overview  # one waits for a decision

    html = client.get(f"/admin/beteiligung/vorhaben/{vorhaben.pk}/").content.decode()
    order = [html.index(f"/admin/beteiligung/kommentar/{c.pk}/") for c in
             (waiting, reported, newest, quiet)]  # fmt: skip
    assert order == sorted(order)
    only_reported = client.get(f"/admin/beteiligung/vorhaben/{vorhaben.pk}/?zeigen=gemeldet")
    html = only_reported.content.decode()
    assert "Zweimal gemeldet" in html and "Einmal gemeldet" in html
    assert "Ruhiger Kommentar" not in html
