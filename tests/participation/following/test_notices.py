"""The notices job: a phase that started, a progress update and a published result are mailed to
the project's confirmed followers, participation that opens to the matching Mitmachpool
subscribers; the outbox's keys send each notice once, however often the job and its tasks run."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from participation.following import tasks
from participation.following.constants import POOL
from participation.projects.constants import Intensity, Module
from participation.projects.models import ProjectUpdate
from portal.core.models import OutboxMessage
from portal.core.outbox.services import outbox_relay
from portal.core.subscriptions.models import State, Subscription
from portal.core.tasks import outbox_send_task
from tests.factories import DistrictFactory
from tests.participation.factories import field_of_action, phase, project

from .conftest import confirmed_follow, confirmed_subscription, follow_of, links, run_enqueued


def notices():
    return OutboxMessage.objects.filter(kind="subscriptions.notice")


pytestmark = pytest.mark.django_db


def scan(callbacks):
    with callbacks(execute=True):
        return tasks.following_notices_scan_task.apply().get()


def started_phase(page, *, hours_ago=1, modules=(Module.POLLS,), **fields):
    now = timezone.now()
    return phase(
        page, modules=list(modules), intensity=Intensity.CONSULTATION,
        starts_at=now - timedelta(hours=hours_ago), ends_at=now + timedelta(days=20), **fields,
    )  # fmt: skip


def test_a_new_phase_is_mailed_once_even_if_the_job_runs_twice(
    enqueued, django_capture_on_commit_callbacks
):
    page = project(title="Neue Mitte")
    started_phase(page, name="Online-Umfrage", modules=[Module.POLLS, Module.COMMENTS])
    follow = confirmed_follow(page)
    confirmed_follow(page, "zweite@example.org")

    counts = scan(django_capture_on_commit_callbacks)
    assert counts["phase"] == 2 and counts["beteiligung"] == 0  # e-mails owed
    sent = list(enqueued)
    run_enqueued(enqueued)
    counts = scan(django_capture_on_commit_callbacks)  # the job runs again: nothing new
    assert counts["phase"] == 0 and enqueued == []
    assert [outbox_send_task.apply(args=[pk]).get() for pk in sent] == [False, False]  # again

    assert sorted(m.to[0] for m in mail.outbox) == ["fritz@example.org", "zweite@example.org"]
    message = next(m for m in mail.outbox if m.to == ["fritz@example.org"])
    assert "„Neue Mitte“: neue Phase „Online-Umfrage“" in message.subject
    assert "Die Phase „Online-Umfrage“ hat begonnen." in message.body
    assert "Umfrage beantworten, Kommentieren" in message.body
    assert "Wir fragen Sie nach Ihrer Meinung." in message.body  # what happens to the input
    assert links(message) == {
        "follow-unsubscribe": f"/mitmachpool/vorhaben/abmelden/{follow.end_code}/"
    }
    assert notices().filter(sent_at__isnull=False).count() == 2
    assert notices().count() == 2


def test_unconfirmed_and_unsubscribed_followers_get_nothing(
    enqueued, django_capture_on_commit_callbacks
):
    page = project()
    started_phase(page)
    follow_of(page, "unbestaetigt@example.org")
    follow_of(
        page, "weg@example.org", state=State.ENDED, confirmed_at=timezone.now(),
        ended_at=timezone.now(),
    )  # fmt: skip
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    assert mail.outbox == []


def test_followers_of_other_projects_get_nothing(enqueued, django_capture_on_commit_callbacks):
    page = project()
    started_phase(page)
    confirmed_follow(project(title="Anderes Vorhaben"))
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    assert mail.outbox == []


def test_old_phases_and_future_phases_are_not_news(enqueued, django_capture_on_commit_callbacks):
    page = project()
    phase(page, running=True)  # started a week ago, before the look-back window
    future = phase(page, running="future", name="Werkstatt")
    confirmed_follow(page)
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    assert mail.outbox == [] and not notices().exists()

    with time_machine.travel(future.starts_at + timedelta(minutes=10)):
        scan(django_capture_on_commit_callbacks)
        run_enqueued(enqueued)
    assert len(mail.outbox) == 1 and "Werkstatt" in mail.outbox[0].subject


def test_a_progress_update_is_mailed(enqueued, django_capture_on_commit_callbacks):
    page = project(title="Radweg")
    confirmed_follow(page)
    ProjectUpdate.objects.create(
        project=page, title="Bauarbeiten beginnen", text="Ab Montag wird gebaut.", sort_order=0
    )
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("„Radweg“: Bauarbeiten beginnen")
    assert "Ab Montag wird gebaut." in mail.outbox[0].body


def test_a_published_result_is_mailed(enqueued, django_capture_on_commit_callbacks):
    page = project(title="Spielplatz")
    confirmed_follow(page)
    page.result = "<p>Der Rat hat den Entwurf <b>B</b> beschlossen.</p>"
    page.save_revision().publish()
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "das Ergebnis steht fest" in message.subject
    assert "Der Rat hat den Entwurf B beschlossen." in message.body


def test_a_draft_project_sends_nothing(enqueued, django_capture_on_commit_callbacks):
    page = project(live=False)
    started_phase(page)
    confirmed_follow(page)
    scan(django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    assert mail.outbox == []


def test_a_notice_whose_phase_was_deleted_sends_nothing(
    enqueued, django_capture_on_commit_callbacks
):
    page = project()
    gone = started_phase(page)
    confirmed_follow(page)
    scan(django_capture_on_commit_callbacks)
    gone.delete()
    run_enqueued(enqueued)
    assert mail.outbox == []
    assert not notices().filter(sent_at__isnull=True).exists()  # nothing to say any more


def test_the_relay_rings_again_for_notices_not_sent(enqueued, django_capture_on_commit_callbacks):
    """The broker lost the message: the next run of the job owes nothing new, the outbox's relay
    rings again for the notice."""
    page = project()
    started_phase(page, modules=())
    confirmed_follow(page)
    scan(django_capture_on_commit_callbacks)
    (notice,) = notices()
    enqueued.clear()  # lost
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        scan(django_capture_on_commit_callbacks)
        assert enqueued == []
        outbox_relay()
    assert notice.pk in enqueued
    run_enqueued(enqueued)
    assert len(mail.outbox) == 1


# --- Mitmachpool ---------------------------------------------------------------------------------
@pytest.fixture
def topics_and_districts(db):
    return {
        "mobility": field_of_action("ZM 02", "Mobilität"),
        "climate": field_of_action("ZM 05", "Klima"),
        "ergste": DistrictFactory(name="Ergste"),
        "villigst": DistrictFactory(name="Villigst"),
    }


@pytest.fixture
def pool(topics_and_districts):
    t = topics_and_districts
    return {
        "alles": confirmed_subscription("alles@example.org"),
        "mobilitaet": confirmed_subscription("mobil@example.org", fields=[t["mobility"]]),
        "klima": confirmed_subscription("klima@example.org", fields=[t["climate"]]),
        "ergste": confirmed_subscription("ergste@example.org", districts=[t["ergste"]]),
        "villigst": confirmed_subscription("villigst@example.org", districts=[t["villigst"]]),
        "mobil-ergste": confirmed_subscription(
            "mobil-ergste@example.org", fields=[t["mobility"]], districts=[t["ergste"]]
        ),
        "mobil-villigst": confirmed_subscription(
            "mobil-villigst@example.org", fields=[t["mobility"]], districts=[t["villigst"]]
        ),
    }


def _pool_mails(enqueued, callbacks) -> list[str]:
    mail.outbox.clear()
    scan(callbacks)
    run_enqueued(enqueued)
    return sorted(m.to[0].split("@")[0] for m in mail.outbox)


def test_pool_matches_topic_and_district(
    topics_and_districts, pool, enqueued, django_capture_on_commit_callbacks
):
    t = topics_and_districts
    page = project(title="Busspur", field_of_action=t["mobility"], districts=[t["ergste"]])
    started_phase(page)
    assert _pool_mails(enqueued, django_capture_on_commit_callbacks) == [
        "alles", "ergste", "mobil", "mobil-ergste",
    ]  # fmt: skip


def test_a_project_for_the_whole_city_matches_every_district(
    topics_and_districts, pool, enqueued, django_capture_on_commit_callbacks
):
    page = project(title="Klimaplan", field_of_action=topics_and_districts["climate"])
    started_phase(page)
    assert _pool_mails(enqueued, django_capture_on_commit_callbacks) == [
        "alles", "ergste", "klima", "villigst",
    ]  # fmt: skip


def test_a_project_without_topic_reaches_those_who_chose_no_topic(
    topics_and_districts, pool, enqueued, django_capture_on_commit_callbacks
):
    page = project(title="Ohne Thema", districts=[topics_and_districts["villigst"]])
    started_phase(page)
    assert _pool_mails(enqueued, django_capture_on_commit_callbacks) == ["alles", "villigst"]


def test_pool_news_is_sent_once_and_only_for_phases_with_modules(
    topics_and_districts, enqueued, django_capture_on_commit_callbacks
):
    subscription = confirmed_subscription("alles@example.org")
    page = project(title="Marktplatz")
    started_phase(page, modules=(), name="Information")
    assert _pool_mails(enqueued, django_capture_on_commit_callbacks) == []

    started_phase(page, name="Umfrage", hours_ago=2)
    assert _pool_mails(enqueued, django_capture_on_commit_callbacks) == ["alles"]
    message = mail.outbox[0]
    assert "Beteiligung zu „Marktplatz“ beginnt" in message.subject
    assert "Die Phase „Umfrage“ hat begonnen." in message.body
    found = links(message)
    assert found["pool-unsubscribe"] == f"/mitmachpool/abmelden/{subscription.end_code}/"
    assert found["pool-settings"] == f"/mitmachpool/einstellungen/{subscription.manage_code}/"
    assert message.extra_headers["List-Unsubscribe"].endswith(
        f"/abmelden/{subscription.end_code}/>"
    )

    assert _pool_mails(enqueued, django_capture_on_commit_callbacks) == []  # job runs again


def test_unconfirmed_and_unsubscribed_pool_entries_get_nothing(
    enqueued, django_capture_on_commit_callbacks
):
    Subscription.objects.create(kind=POOL, email="offen@example.org")
    Subscription.objects.create(
        kind=POOL, email="weg@example.org", state=State.ENDED, confirmed_at=timezone.now(),
        ended_at=timezone.now(),
    )  # fmt: skip
    started_phase(project())
    assert _pool_mails(enqueued, django_capture_on_commit_callbacks) == []
