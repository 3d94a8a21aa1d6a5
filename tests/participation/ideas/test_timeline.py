"""One timeline per case: the idea page's "Verlauf" and the public timeline of the idea's ticket
(its status page under the secret link) are the same rows, in the same order, with the same
texts – the Ideenpool's own steps and a department's changes on the ticket alike."""

import re

import pytest
from django.test import Client

from participation.ideas.constants import Stage
from participation.ideas.services import idea_support, stage_change
from portal.accounts.signals import SECOND_FACTOR_SESSION_KEY
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Ticket

from .factories import citizen, submitted_idea

pytestmark = pytest.mark.django_db

LINE = re.compile(r'<li class="timeline__item" id="verlauf-(\d+)">(.*?)</li>', re.S)
TITLE = re.compile(r'<h3 class="timeline__title">\s*(.*?)\s*</h3>', re.S)
TEXT = re.compile(r'<p class="timeline__text">(.*?)</p>', re.S)


def timeline(html: str) -> list[tuple[int, str, str]]:
    """(id, title, text) of each line of the "Verlauf" on a page, as shown (newest first)."""
    lines = []
    for pk, body in LINE.findall(html):
        text = TEXT.search(body)
        lines.append((int(pk), TITLE.search(body).group(1), text.group(1) if text else ""))
    return lines


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = user.pk
    session.save()
    return client


def test_the_idea_page_and_the_ticket_show_the_same_timeline(
    client, department, clerk, settings, django_capture_on_commit_callbacks
):
    settings.IDEAS_QUORUM_SUPPORTS = 2
    idea = submitted_idea(title="Trinkbrunnen am Bahnhof")
    for supporter in (citizen(), citizen()):  # the second support reaches the quorum
        idea_support(actor=supporter, idea=idea)
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text="Machbar.")

    # a clerk changes the ticket's status in the back office, with a public text
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client(clerk).post(
            f"/admin/anliegen/{idea.ticket_id}/status/",
            {"status": TicketStatus.IN_PROGRESS, "public_message": "Der Bauhof ist beauftragt."},
        )
    assert response.status_code == 302

    ticket = Ticket.objects.get(pk=idea.ticket_id)
    idea_page = timeline(client.get(f"/ideenpool/{idea.pk}/").content.decode())
    ticket_page = timeline(client.get(f"/anliegen/status/{ticket.access_token}/").content.decode())

    # the same rows: the ticket's public events, newest first, with the same titles and texts
    public = [event for event in ticket.events.order_by("-created_at", "-pk") if event.is_public]
    assert [line[0] for line in idea_page] == [event.pk for event in public]
    assert idea_page == ticket_page
    assert [(title, text) for _pk, title, text in idea_page] == [
        ("Neuer Status: in Bearbeitung", "Der Bauhof ist beauftragt."),
        ("Vorprüfung: zulässig", "Machbar."),
        ("Quorum erreicht", "2 Menschen unterstützen diese Idee. Sie kommt auf die Liste für "
                            "den Rat."),
        ("Idee eingereicht", "Die Idee ist im Ideenpool eingegangen."),
    ]  # fmt: skip
    # the clerk's status is the ticket's; the idea keeps its stage (no sync in either direction)
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.events.filter(public_message="Der Bauhof ist beauftragt.").count() == 1
