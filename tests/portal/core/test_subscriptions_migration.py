"""The move of every old subscription and every owed e-mail into the kernel (reports 0007,
following 0002, ideas 0004): a database from before, with follows and Mitmachpool subscriptions
of every state and with sent and unsent e-mails (followers', the Mitmachpool's, the Ideenpool's),
migrates with none lost and none sent twice."""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from participation.following.tasks import following_notices_scan_task
from participation.ideas.notices import notices_owe
from participation.ideas.services import idea_support
from participation.projects.constants import Module
from participation.projects.models import ProjectUpdate
from portal.core.models import OutboxMessage
from portal.core.subscriptions.models import State, Subscription
from portal.core.tasks import outbox_send_task
from portal.tickets.constants import TicketStatus
from portal.tickets.models import TicketEvent
from portal.tickets.services import ticket_change_status, ticket_record_step
from tests.factories import DistrictFactory, StaffUserFactory, square
from tests.participation.factories import field_of_action, phase, project
from tests.participation.ideas.factories import citizen, submitted_idea
from tests.services.reports.test_follow import make_category, make_report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("core", "0002_subscription"),
    ("reports", "0006_report_photo_draft"),
    ("following", "0001_initial"),
    ("ideas", "0003_one_timeline_finish"),
]
AFTER = [
    ("reports", "0007_follows_to_subscriptions"),
    ("following", "0002_subscriptions_to_kernel"),
    # 0004_notices_to_subscriptions, and the pool idea on its shared input, as the code that
    # sends the e-mails reads it
    ("ideas", "0007_pool_idea_columns_drop"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationLoader(connection).project_state(targets).apps


@pytest.fixture
def old_state():
    """The schema from before the move; afterwards the newest schema again, for other tests."""
    yield lambda: _migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


ADDRESSES = {
    f"{name}@example.org"
    for name in (
        "leser", "neu", "wartet", "weg", "nachbarin", "fan", "fan-neu", "pool", "pool-weg",
        "pool-link", "ideengeberin", "unterstuetzer", "gesperrt",
    )
}  # fmt: skip


def _token(name: str) -> str:
    return f"alter-token-{name}-0123456789"


def _send_all() -> None:
    for message_id in OutboxMessage.objects.filter(sent_at__isnull=True).values_list(
        "pk", flat=True
    ):
        outbox_send_task.apply(args=[message_id])


def test_every_subscription_and_owed_mail_survives_the_move(old_state, monkeypatch):
    monkeypatch.setattr(outbox_send_task, "apply_async", lambda *args, **kwargs: None)
    now = timezone.now()
    # what the old rows point to, written with today's code (those tables do not change)
    DistrictFactory(name="Mitte", area=square(7.5, 51.4, 0.1))
    report = make_report(make_category(name="Straßenbeleuchtung"))
    staff = StaffUserFactory()
    for status, text in ((TicketStatus.IN_PROGRESS, "Bestellt."), (TicketStatus.DONE, "Fertig.")):
        ticket_change_status(ticket=report.ticket, actor=staff, status=status, public_message=text)
    told, untold = report.ticket.events.filter(public_message__in=["Bestellt.", "Fertig."])
    mobility = field_of_action("ZM 02", "Mobilität")
    ergste = DistrictFactory(name="Ergste")
    page = project(title="Radweg", field_of_action=mobility, districts=[ergste])
    started = phase(
        page, name="Umfrage", modules=[Module.POLLS],
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(days=9),
    )  # fmt: skip
    update = ProjectUpdate.objects.create(project=page, title="Baustart", text="Los.", sort_order=0)
    # a pool idea with a supporter, and a step of its timeline (its ticket's)
    author = citizen(email="ideengeberin@example.org")
    supporter = citizen(email="unterstuetzer@example.org")
    blocked = citizen(email="gesperrt@example.org", is_active=False)
    idea = submitted_idea(author=author, route=False)
    idea_support(actor=supporter, idea=idea)
    received, step = (
        TicketEvent.objects.filter(ticket_id=idea.ticket_id).order_by("pk").first(),
        ticket_record_step(
            ticket=idea.ticket, actor=staff, public_status="quorum", public_message="Viele dafür."
        ),
    )
    # a database from before: no subscriptions and no outbox yet
    Subscription.objects.all().delete()
    OutboxMessage.objects.all().delete()

    old = old_state()
    ReportFollow = old.get_model("reports", "ReportFollow")
    ReportFollowDelivery = old.get_model("reports", "ReportFollowDelivery")
    ReportSupport = old.get_model("reports", "ReportSupport")
    ProjectFollow = old.get_model("following", "ProjectFollow")
    PoolSubscription = old.get_model("following", "PoolSubscription")
    ProjectNotice = old.get_model("following", "ProjectNotice")
    NoticeDelivery = old.get_model("following", "NoticeDelivery")

    def report_follow(name, **fields):
        return ReportFollow.objects.create(
            report_id=report.pk, email=f"{name}@example.org", token=_token(name), **fields
        )

    reader = report_follow("leser", confirmed_at=now - timedelta(days=3))
    report_follow("neu")  # its confirmation e-mail never went out
    report_follow("wartet", confirmation_sent_at=now - timedelta(hours=1))
    report_follow("weg", confirmed_at=now - timedelta(days=3), unsubscribed_at=now)
    ReportFollowDelivery.objects.create(follow=reader, event_id=told.pk, sent_at=now)
    # `untold`: no delivery row yet (the broker was down), the old relay would have rung
    ReportSupport.objects.create(report_id=report.pk, email="nachbarin@example.org")

    def project_follow(name, **fields):
        return ProjectFollow.objects.create(
            project_id=page.pk, email=f"{name}@example.org", token=_token(name), **fields
        )

    fan = project_follow("fan", confirmed_at=now - timedelta(days=3))
    project_follow("fan-neu")
    pool = PoolSubscription.objects.create(
        email="pool@example.org", token=_token("pool"), confirmed_at=now - timedelta(days=3)
    )
    pool.fields_of_action.set([mobility.pk])
    pool.districts.set([ergste.pk])
    PoolSubscription.objects.create(
        email="pool-weg@example.org",
        token=_token("pool-weg"),
        confirmed_at=now,
        unsubscribed_at=now,
    )
    PoolSubscription.objects.create(
        email="pool-link@example.org", token=_token("pool-link"), confirmed_at=now,
        settings_link_requested_at=now,
    )  # fmt: skip
    phase_notice = ProjectNotice.objects.create(
        project_id=page.pk, kind="phase", object_key=f"phase:{started.pk}", completed_at=now
    )
    NoticeDelivery.objects.create(notice=phase_notice, follow=fan, sent_at=now)
    update_notice = ProjectNotice.objects.create(
        project_id=page.pk, kind="fortschritt", object_key=f"update:{update.pk}"
    )
    NoticeDelivery.objects.create(notice=update_notice, follow=fan)  # owed, not sent
    # the pool's notice of the phase, not sent to anyone yet
    ProjectNotice.objects.create(
        project_id=page.pk, kind="beteiligung", object_key=f"phase:{started.pk}"
    )

    IdeaNotice = old.get_model("ideas", "IdeaNotice")
    IdeaNotice.objects.create(event_id=received.pk, recipient_id=author.pk, sent_at=now)
    IdeaNotice.objects.create(event_id=step.pk, recipient_id=author.pk)
    IdeaNotice.objects.create(event_id=step.pk, recipient_id=supporter.pk)
    IdeaNotice.objects.create(event_id=step.pk, recipient_id=blocked.pk)  # nobody to write to

    _migrate(AFTER)

    states = dict(Subscription.objects.exclude(email="").values_list("email", "state"))
    readers = Subscription.objects.filter(kind="ideas.idea", target_id=idea.pk)
    assert sorted(readers.values_list("user_id", "state")) == sorted(
        [(author.pk, State.CONFIRMED), (supporter.pk, State.CONFIRMED)]
    )
    assert states == {
        "leser@example.org": State.CONFIRMED,
        "neu@example.org": State.PENDING,
        "wartet@example.org": State.PENDING,
        "weg@example.org": State.ENDED,
        "fan@example.org": State.CONFIRMED,
        "fan-neu@example.org": State.PENDING,
        "pool@example.org": State.CONFIRMED,
        "pool-weg@example.org": State.ENDED,
        "pool-link@example.org": State.CONFIRMED,
    }
    pool_subscription = Subscription.objects.get(email="pool@example.org")
    assert pool_subscription.scope == {"fields_of_action": [mobility.pk], "districts": [ergste.pk]}
    # the raw tokens are gone; their hashes keep old unsubscribe links working
    assert Subscription.objects.get(email="leser@example.org").legacy_token_hash == (
        hashlib.sha256(_token("leser").encode()).hexdigest()
    )

    _send_all()
    received = sorted(m.to[0] for m in mail.outbox if m.to[0] in ADDRESSES)
    by_address = {address: received.count(address) for address in received}
    assert by_address == {
        "leser@example.org": 1,  # the untold change; the told one not again
        "neu@example.org": 1,  # its confirmation, with a signed link
        "nachbarin@example.org": 1,  # the support's confirmation
        "fan@example.org": 1,  # the update; the phase not again
        "fan-neu@example.org": 1,  # its confirmation
        "pool@example.org": 1,  # the participation that opened
        "pool-link@example.org": 2,  # the settings link asked for; the participation (all)
        "ideengeberin@example.org": 1,  # the step; not the receipt line again
        "unterstuetzer@example.org": 1,  # the step
    }, received
    reader_mail = next(m for m in mail.outbox if m.to == ["leser@example.org"])
    assert "Fertig." in reader_mail.body

    # whatever runs again now sends nothing twice
    mail.outbox.clear()
    from services.reports.follow import report_follow_owe_update

    for event in (told, untold):
        report_follow_owe_update(event=event)
    notices_owe(idea=idea, ticket_event=step, skip_author=False)
    following_notices_scan_task.apply()
    _send_all()
    assert [m.to for m in mail.outbox if m.to[0] in ADDRESSES] == []
