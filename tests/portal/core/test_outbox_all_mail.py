"""Every e-mail of the portal goes through the one outbox (portal.core.outbox): with sending
paused, a citizen's report, an application, a pool idea, a comment a moderator hides, a report
follow, a project follow and a paid application send no mail at all; switched on again, the relay
sends each owed e-mail exactly once. The fixtures of the sources' own tests are used as they are."""

# ruff: noqa: F401, F811 - fixtures imported from the sources' tests

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from participation.contributions.models import Comment
from participation.ideas.models import PoolIdea
from portal.core.models import OutboxMessage
from portal.core.tasks import outbox_relay_task
from services.eforms.constants import SubmissionStatus
from services.reports.models import Report
from tests.participation.conftest import vorhabenliste
from tests.participation.contributions.conftest import (
    admin_client,
    citizen,
    client_for,
    moderator_user,
    open_project,
)
from tests.participation.ideas.conftest import department
from tests.participation.ideas.test_views import SUBMIT as IDEA_SUBMIT
from tests.participation.ideas.test_views import idea_data
from tests.services.eforms.conftest import applicant, catalogue_index, fill, offer, start
from tests.services.eforms.test_flow import _sperrmuell_steps
from tests.services.eforms.test_payment import certificate_steps
from tests.services.reports.test_views import (
    city,
    hidden_inputs,
    lights,
    report_data,
    review,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPORTER = "erika.geheim@example.org"  # tests.services.reports.test_views.EMAIL
APPLICANT = "erika@example.org"  # tests.services.eforms.conftest.applicant
FOLLOWER = "folgt@example.org"
PROJECT_FOLLOWER = "vorhaben@example.org"
IDEA_AUTHOR = "ideen@example.org"
COMMENT_AUTHOR = "kai@example.org"


def _report(client, lights) -> Report:
    response = review(client, report_data(lights))
    assert response.status_code == 200
    response = client.post("/maengel/melden/", {**hidden_inputs(response), "schritt": "absenden"})
    assert response.status_code == 302
    return Report.objects.latest("pk")


def _application(client, offer, fill, form_key, steps):
    submission = start(client, form_key)
    fill(submission, steps)
    response = client.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {"consent": "on"})
    assert response.status_code == 302
    submission.refresh_from_db()
    return submission, response


def _pay_on_the_demo_page(client, response) -> None:
    pay_page = response["Location"]
    assert pay_page.startswith("/bezahlen/demo/")
    back = client.post(pay_page, {"action": "pay"})
    assert back.status_code == 302
    client.get(back["Location"])  # the return fetches the payment's status


def test_paused_sending_sends_nothing_and_the_relay_sends_each_mail_once(
    client, lights, offer, applicant, fill, department, vorhabenliste, outbox_worker, time_machine
):
    with override_settings(OUTBOX_SENDING_ENABLED=False):
        # a defect report with an e-mail address, and a follower of it
        report = _report(Client(), lights)
        follow = Client().post(
            f"/maengel/{report.ticket.number}/folgen/", {"folgen-email": FOLLOWER}
        )
        assert follow.status_code in (200, 302)

        # an application without a fee, and one paid on the demo provider's page (`fill` walks
        # the steps with the `client` fixture)
        client.force_login(applicant)
        offer("sperrmuell")
        free, _ = _application(client, offer, fill, "sperrmuell", _sperrmuell_steps())
        offer("personenstandsurkunde")
        paid, response = _application(
            client, offer, fill, "personenstandsurkunde", certificate_steps()
        )
        assert paid.status == SubmissionStatus.AWAITING_PAYMENT
        _pay_on_the_demo_page(client, response)
        paid.refresh_from_db()
        assert paid.status == SubmissionStatus.RELEASED

        # a pool idea
        idea_client = client_for(citizen(email=IDEA_AUTHOR))
        assert idea_client.post(IDEA_SUBMIT, idea_data(idea_client)).status_code == 302
        idea = PoolIdea.objects.get()

        # a comment a moderator hides, with a reason for its author
        vorhaben = open_project(title="Radweg Ruhrtal", slug="radweg")
        author = client_for(citizen(email=COMMENT_AUTHOR))
        author.post(f"/mitmachen/vorhaben/{vorhaben.pk}/kommentar/", {"kommentar-text": "Idioten!"})
        comment = Comment.objects.get()
        hidden = admin_client(moderator_user()).post(
            f"/admin/beteiligung/kommentar/{comment.pk}/ausblenden/",
            {"reason": "Bitte bleiben Sie sachlich."},
        )
        assert hidden.status_code == 302

        # "Vorhaben folgen"
        follow = Client().post(
            f"/mitmachpool/vorhaben/{vorhaben.pk}/folgen/", {"folgen-email": PROJECT_FOLLOWER}
        )
        assert follow.status_code in (200, 302)

        # every send task was rung, none sent; the relay does nothing while sending is paused
        owed = list(OutboxMessage.objects.order_by("pk"))
        assert sorted(outbox_worker) == [m.pk for m in owed]
        time_machine.move_to(timezone.now() + timedelta(minutes=3))
        assert outbox_relay_task.apply().get() == 0
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(sent_at__isnull=False).exists()

    kinds = {(m.kind, m.recipient) for m in owed}
    assert {
        ("tickets.receipt", REPORTER),
        ("subscriptions.confirm", FOLLOWER),
        ("subscriptions.confirm", PROJECT_FOLLOWER),
        ("eforms.confirmation", APPLICANT),
        ("tickets.receipt", APPLICANT),
        ("tickets.receipt", IDEA_AUTHOR),
        ("contributions.moderation_notice", COMMENT_AUTHOR),
    } <= kinds

    # switched on again: the relay sends each owed e-mail, once
    assert outbox_relay_task.apply().get() == len(owed)
    assert outbox_relay_task.apply().get() == 0
    assert len(mail.outbox) == len(owed)
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted((m.recipient,) for m in owed)
    subjects = [m.subject for m in mail.outbox]
    for number in (report.ticket.number, free.number, paid.number, idea.ticket.number):
        assert any(number in subject for subject in subjects), number
    confirmations = [m for m in mail.outbox if paid.number in m.subject]
    assert len(confirmations) == 1
    assert confirmations[0].attachments[0][2] == "application/pdf"
    assert any("Bitte bleiben Sie sachlich." in m.body for m in mail.outbox)
