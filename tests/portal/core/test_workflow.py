"""portal.core.workflow: one declared map per source, checked by one helper; the append-only base
of every timeline and log; and the spine's domain signal `ticket_event_recorded`.

Every source's map is walked pair by pair: whatever it does not declare is refused by that
source's own service with the same TransitionNotAllowed and leaves state and history as they
were. A payment's provider reports are the one deliberate difference: a stale report is
ignored, never raised (a webhook must not fail), while the city's own act, cancelling, is
refused like everywhere else. Where a form offers moves, an undeclared one is not offered and a
forged POST gets a German error, not a 500.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import models, transaction
from django.test import Client
from django.utils import timezone

from participation.contributions import moderation as contribution_moderation
from participation.contributions import services as contribution_services
from participation.contributions.constants import MODERATION_WORKFLOW, ModerationState
from participation.contributions.models import Comment, ModerationLog
from participation.ideas.constants import STAGE_WORKFLOW, Stage
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_category, stage_change
from participation.projects.constants import Module
from participation.projects.rules import MODERATORS_GROUP
from portal.accounts.signals import SECOND_FACTOR_SESSION_KEY
from portal.core.workflow import AppendOnlyError, TransitionNotAllowed, Workflow
from portal.departments.models import DepartmentMembership
from portal.tickets.constants import TICKET_WORKFLOW, TicketStatus
from portal.tickets.models import EventAnnouncement, Ticket, TicketEvent
from portal.tickets.services import ticket_change_status, ticket_relay
from portal.tickets.signals import ticket_event_recorded
from services.eforms import services as eform_services
from services.eforms.constants import SUBMISSION_WORKFLOW, SubmissionStatus
from services.eforms.models import Submission
from services.payments.constants import PAYMENT_WORKFLOW, EventSource, PaymentState
from services.payments.models import Payment, PaymentEvent
from services.payments.services import payment_cancel
from services.payments.services.core import _apply
from tests.factories import DepartmentFactory, StaffUserFactory, UserFactory, routed_ticket
from tests.participation.factories import phase, project, project_index
from tests.participation.ideas.factories import citizen, submitted_idea
from tests.services.payments.helpers import press, return_to_portal, start

REASON = "Bitte bleiben Sie sachlich."


def staff_client(user) -> Client:
    """A staff client whose session has passed the second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = user.pk
    session.save()
    return client


# --- the helper itself ----------------------------------------------------------------------------
class Light(models.TextChoices):
    RED = "rot", "Rot"
    GREEN = "gruen", "Grün"


def test_a_map_that_forgets_or_invents_a_state_fails_at_import():
    with pytest.raises(ValueError, match="without an entry"):
        Workflow("light", {Light.RED: {Light.GREEN}}, states=Light)
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("light", {Light.RED: {"gelb"}, Light.GREEN: set()}, states=Light)


def test_check_refuses_in_german_naming_both_labels_and_choices_follow_the_map():
    light = Workflow("light", {Light.RED: {Light.GREEN}, Light.GREEN: set()}, states=Light)
    light.check(Light.RED, Light.GREEN)
    assert light.choices(Light.RED) == [("gruen", "Grün")]
    assert light.choices(Light.GREEN) == []
    assert light.undeclared() == [("rot", "rot"), ("gruen", "rot"), ("gruen", "gruen")]
    with pytest.raises(TransitionNotAllowed) as refusal:
        light.check(Light.GREEN, Light.RED)
    assert refusal.value.message == "Von „Grün“ kann nicht zu „Rot“ gewechselt werden."
    # forged input is named as it came, never a KeyError
    with pytest.raises(TransitionNotAllowed, match="zu „lila“"):
        light.check(Light.RED, "lila")


# --- every map, through its source's services -------------------------------------------------
@dataclass
class Source:
    workflow: Workflow
    state: Callable[[], str]
    reset: Callable[[str], None]
    move: Callable[[str], object]
    history: Callable[[], int]
    refuses: Callable[[str], bool] = lambda new: True  # False: ignored by design (payments)
    people: dict | None = None


def _tickets() -> Source:
    department = DepartmentFactory()
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=department, user=clerk)
    ticket = routed_ticket(department=department)
    rows = Ticket.objects.filter(pk=ticket.pk)
    return Source(
        workflow=TICKET_WORKFLOW,
        state=lambda: rows.get().status,
        reset=lambda old: rows.update(status=old),
        move=lambda new: ticket_change_status(
            ticket=ticket, actor=clerk, status=new, public_message="Begründung"
        ),
        history=lambda: TicketEvent.objects.filter(ticket=ticket).count(),
        people={"clerk": clerk},
    )


def _contributions() -> Source:
    project_index()
    vorhaben = project(title="Radweg Ruhrtal", slug="radweg-workflow")
    phase(vorhaben, modules=[Module.COMMENTS])
    moderator = citizen()
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    comment = contribution_services.comment_create(
        actor=citizen(), target=vorhaben, text="Ein Kommentar"
    )
    rows = Comment.objects.filter(pk=comment.pk)

    def move(new):
        if new == ModerationState.HIDDEN:
            return contribution_moderation.contribution_hide(
                actor=moderator, contribution=comment, reason=REASON
            )
        if new == ModerationState.VISIBLE:
            return contribution_moderation.contribution_restore(
                actor=moderator, contribution=comment
            )
        # deleting and auto-hiding: the author's delete and a citizen's report are refused by
        # their own rules first (not the author / already hidden); below them is the one setter
        with transaction.atomic():
            return contribution_services.set_state(contribution_services.lock(comment), new)

    return Source(
        workflow=MODERATION_WORKFLOW,
        state=lambda: rows.get().state,
        reset=lambda old: rows.update(state=old),
        move=move,
        history=ModerationLog.objects.count,
        people={"moderator": moderator},
    )


def _ideas() -> Source:
    department = DepartmentFactory()
    category = idea_category()
    category.default_department = department
    category.save()
    clerk = StaffUserFactory()
    clerk.department_memberships.create(department=department)
    idea = submitted_idea()
    rows = PoolIdea.objects.filter(pk=idea.pk)
    return Source(
        workflow=STAGE_WORKFLOW,
        state=lambda: rows.get().stage,
        reset=lambda old: rows.update(stage=old),
        move=lambda new: stage_change(actor=clerk, idea=idea, stage=new, public_text="Begründung"),
        history=lambda: TicketEvent.objects.filter(ticket_id=idea.ticket_id).count(),
        people={"clerk": clerk},
    )


def _eforms() -> Source:
    applicant = UserFactory()
    submission = Submission.objects.create(
        form_key="sperrmuell", service_title="Sperrmüll", applicant=applicant
    )
    rows = Submission.objects.filter(pk=submission.pk)

    def move(new):
        if new == SubmissionStatus.WITHDRAWN:
            return eform_services.submission_withdraw(
                submission_id=submission.pk, applicant=applicant
            )
        # submitting and releasing again find the work done and return (double clicks); below
        # them is the one setter
        return eform_services._set_status(rows.get(), new)

    return Source(
        workflow=SUBMISSION_WORKFLOW,
        state=lambda: rows.get().status,
        reset=lambda old: rows.update(status=old),
        move=move,
        history=lambda: 0,
    )


def _payments() -> Source:
    payment = start(DepartmentFactory())
    rows = Payment.objects.filter(pk=payment.pk)

    def move(new):
        if new == PaymentState.CANCELLED:
            return payment_cancel(payment_id=payment.pk, source=EventSource.ADMIN)
        return _apply(payment.pk, state=new, source=EventSource.WEBHOOK)

    return Source(
        workflow=PAYMENT_WORKFLOW,
        state=lambda: rows.get().state,
        reset=lambda old: rows.update(state=old),
        move=move,
        history=lambda: PaymentEvent.objects.filter(payment=payment).count(),
        refuses=lambda new: new == PaymentState.CANCELLED,
    )


SOURCES = {
    "tickets": _tickets,
    "contributions": _contributions,
    "ideas": _ideas,
    "eforms": _eforms,
    "payments": _payments,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(SOURCES))
def test_every_undeclared_move_is_refused_by_the_same_helper(name):
    source = SOURCES[name]()
    pairs = source.workflow.undeclared()
    assert pairs  # every map forbids something, staying put at least
    history = source.history()
    refused = 0
    for old, new in pairs:
        source.reset(old)
        if source.refuses(new):
            with pytest.raises(TransitionNotAllowed) as refusal:
                source.move(new)
            error = refusal.value
            assert (error.workflow, error.old, error.new) == (source.workflow.name, old, new)
            assert error.message and "%(" not in error.message
            refused += 1
        else:
            source.move(new)  # a stale provider report: ignored, logged
        assert source.state() == old, (old, new)
        assert source.history() == history, (old, new)
    assert refused


# --- over HTTP: what a form offers, and a forged POST --------------------------------------------
@pytest.mark.django_db
def test_a_clerk_is_offered_only_declared_ticket_statuses_and_a_forged_one_is_refused():
    department = DepartmentFactory()
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=department, user=clerk)
    ticket = routed_ticket(department=department)
    ticket_change_status(ticket=ticket, actor=clerk, status=TicketStatus.DONE)
    client = staff_client(clerk)
    page = client.get(f"/admin/anliegen/{ticket.pk}/").content.decode()
    assert 'value="in_pruefung"' in page
    assert 'value="in_bearbeitung"' not in page
    response = client.post(
        f"/admin/anliegen/{ticket.pk}/status/",
        {"status": TicketStatus.IN_PROGRESS, "public_message": "Doch nicht"},
    )
    assert response.status_code == 400
    assert "Dieser Statuswechsel ist im Moment nicht möglich." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.DONE


@pytest.mark.django_db
def test_a_clerk_is_offered_only_the_next_stages_of_an_idea_and_a_forged_one_is_refused():
    source = _ideas()
    idea = PoolIdea.objects.get()
    client = staff_client(source.people["clerk"])
    page = client.get(f"/admin/ideenpool/{idea.pk}/").content.decode()
    assert f'value="{Stage.ADMISSIBLE}"' in page
    assert f'value="{Stage.IMPLEMENTATION}"' not in page
    response = client.post(
        f"/admin/ideenpool/{idea.pk}/stufe/",
        {"stage": Stage.IMPLEMENTATION, "public_text": "Los!"},
    )
    assert response.status_code == 400
    assert "Diese Stufe ist für die Idee nicht (mehr) möglich." in response.content.decode()
    assert source.state() == Stage.SUBMITTED


@pytest.mark.django_db
def test_a_moderator_is_not_offered_to_hide_a_hidden_comment_and_a_forged_post_is_refused():
    source = _contributions()
    source.move(ModerationState.HIDDEN)
    comment = Comment.objects.get()
    client = staff_client(source.people["moderator"])
    url = f"/admin/beteiligung/kommentar/{comment.pk}/"
    page = client.get(url).content.decode()
    assert f"{url}ausblenden/" not in page
    assert f"{url}wiederherstellen/" in page
    response = client.post(f"{url}ausblenden/", {"reason": "Noch einmal."})
    assert response.status_code == 400
    assert "Dieser Beitrag ist bereits ausgeblendet oder gelöscht." in response.content.decode()
    assert source.state() == ModerationState.HIDDEN
    assert ModerationLog.objects.count() == 1


@pytest.mark.django_db
def test_an_applicant_cannot_withdraw_a_released_application():
    applicant = UserFactory()
    submission = Submission.objects.create(
        form_key="sperrmuell",
        service_title="Sperrmüll",
        applicant=applicant,
        status=SubmissionStatus.RELEASED,
        number="A-2026-000001",
    )
    client = Client()
    client.force_login(applicant)
    response = client.post(f"/antraege/antrag/{submission.public_id}/zurueckziehen/")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Dieser Antrag ist „eingereicht“ und kann nicht mehr „zurückgezogen“ werden."
    ]
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.RELEASED


@pytest.mark.django_db
def test_staff_are_not_offered_to_cancel_a_paid_payment_and_a_forged_post_is_refused():
    payment = start(DepartmentFactory())
    payer = Client()
    press(payer, payment, "pay")
    return_to_portal(payer, payment)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    cashier = StaffUserFactory()
    group = Group.objects.create(name="Stadtkasse")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="payments", codename__in=["add_refund", "view_payment"]
        ),
    )
    cashier.groups.add(group)
    client = staff_client(cashier)
    url = f"/admin/zahlungen/{payment.pk}/"
    assert "Zahlung abbrechen" not in client.get(url).content.decode()
    response = client.post(f"{url}abbrechen/", follow=True)
    assert response.status_code == 200
    assert "Diese Zahlung ist bereits abgeschlossen (bezahlt)." in response.content.decode()
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED


# --- append-only rows ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_every_log_refuses_update_and_delete_one_by_one_and_in_bulk():
    """The ticket's events (also every idea's timeline), the moderation log, payment events."""
    tickets, contributions = _tickets(), _contributions()
    _payments()
    tickets.move(TicketStatus.IN_PROGRESS)
    contributions.move(ModerationState.HIDDEN)
    assert ModerationLog.objects.exists() and PaymentEvent.objects.exists()
    for model in (TicketEvent, ModerationLog, PaymentEvent):
        count = model.objects.count()
        row = model.objects.order_by("pk").first()
        with pytest.raises(AppendOnlyError, match=f"{model.__name__} rows are append-only"):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).update(created_at=row.created_at)
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            model.objects.bulk_update([row], ["created_at"])
        assert model.objects.count() == count


@pytest.mark.django_db
def test_deleting_the_parent_still_takes_its_history_along():
    """Removing a whole case (erasure) is deliberate; only rewriting its lines is refused."""
    payment = start(DepartmentFactory())
    assert PaymentEvent.objects.filter(payment=payment).exists()
    Payment.objects.filter(pk=payment.pk).delete()
    assert not PaymentEvent.objects.filter(payment_id=payment.pk).exists()
    tickets = _tickets()
    tickets.move(TicketStatus.IN_PROGRESS)
    ticket = Ticket.objects.get()
    assert tickets.history() >= 3  # received, routed, status
    Ticket.objects.filter(pk=ticket.pk).delete()
    assert not TicketEvent.objects.filter(ticket_id=ticket.pk).exists()


# --- the spine's domain signal -------------------------------------------------------------------
class Heard(list):
    """Receives `ticket_event_recorded` and remembers (event id, ticket id, to_status)."""

    def __call__(self, sender, event, event_id, ticket_id, **kwargs):
        assert sender is TicketEvent and event.pk == event_id
        self.append((event_id, ticket_id, event.to_status))


@pytest.fixture
def heard():
    receiver = Heard()
    ticket_event_recorded.connect(receiver, weak=False)
    yield receiver
    ticket_event_recorded.disconnect(receiver)


@pytest.mark.django_db
def test_the_domain_signal_is_sent_after_commit_and_never_for_a_rollback(
    heard, django_capture_on_commit_callbacks
):
    tickets = _tickets()
    with django_capture_on_commit_callbacks(execute=True):
        tickets.move(TicketStatus.IN_PROGRESS)
        assert heard == []  # not while the transaction may still roll back
    event = TicketEvent.objects.latest("pk")
    assert heard == [(event.pk, event.ticket_id, TicketStatus.IN_PROGRESS)]

    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            tickets.move(TicketStatus.DONE)
            raise RuntimeError("rolled back")
    assert heard == []
    assert tickets.state() == TicketStatus.IN_PROGRESS


@pytest.fixture
def broken_receiver():
    def broken(sender, **kwargs):
        raise RuntimeError("Empfänger kaputt")

    ticket_event_recorded.connect(broken, weak=False, dispatch_uid="test-broken-receiver")
    yield
    ticket_event_recorded.disconnect(dispatch_uid="test-broken-receiver")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_receiver_breaks_neither_the_others_nor_the_clerks_status_change(
    broken_receiver, heard, caplog
):
    department = DepartmentFactory()
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=department, user=clerk)
    ticket = routed_ticket(department=department)
    heard.clear()
    response = staff_client(clerk).post(
        f"/admin/anliegen/{ticket.pk}/status/",
        {"status": TicketStatus.IN_PROGRESS, "public_message": "Wir kümmern uns darum."},
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.IN_PROGRESS
    event = TicketEvent.objects.get(ticket=ticket, to_status=TicketStatus.IN_PROGRESS)
    assert heard == [(event.pk, ticket.pk, TicketStatus.IN_PROGRESS)]
    assert "Empfänger kaputt" in caplog.text  # logged for the developers
    assert not EventAnnouncement.objects.filter(event=event).exists()  # the relay tries again


def _relay_later() -> dict:
    """The tickets relay, run a few minutes after the events (as beat or cron would)."""
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        return ticket_relay()


@pytest.mark.django_db
def test_an_announcement_lost_with_its_process_is_made_by_the_relay_once(heard):
    """The clerk's change commits, then the process dies before the receivers ran (the test's
    transaction never runs its on-commit callbacks): the relay announces it, and only once."""
    department = DepartmentFactory()
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=department, user=clerk)
    ticket = routed_ticket(department=department)
    EventAnnouncement.objects.bulk_create(
        EventAnnouncement(event=event) for event in TicketEvent.objects.filter(ticket=ticket)
    )
    response = staff_client(clerk).post(
        f"/admin/anliegen/{ticket.pk}/status/",
        {"status": TicketStatus.IN_PROGRESS, "public_message": "Wir kümmern uns darum."},
    )
    assert response.status_code == 302
    assert heard == []  # lost
    event = TicketEvent.objects.get(ticket=ticket, to_status=TicketStatus.IN_PROGRESS)

    assert _relay_later()["events"] == 1
    assert heard == [(event.pk, ticket.pk, TicketStatus.IN_PROGRESS)]
    assert _relay_later()["events"] == 0
    assert len(heard) == 1


@pytest.mark.django_db
def test_a_failed_receiver_hears_the_event_again_until_it_succeeds():
    ticket = routed_ticket(department=DepartmentFactory())
    EventAnnouncement.objects.all().delete()
    failures = []

    def flaky(sender, event, **kwargs):
        if not failures:
            failures.append(event.pk)
            raise RuntimeError("Empfänger kurz gestört")

    ticket_event_recorded.connect(flaky, weak=False, dispatch_uid="test-flaky-receiver")
    try:
        ticket_change_status(ticket=ticket, status=TicketStatus.IN_PROGRESS, actor=None)
        events = TicketEvent.objects.filter(ticket=ticket).count()
        assert _relay_later()["events"] == events - 1  # the first one failed once
        assert _relay_later()["events"] == 1  # and is announced on the next run
        assert _relay_later()["events"] == 0
    finally:
        ticket_event_recorded.disconnect(dispatch_uid="test-flaky-receiver")
