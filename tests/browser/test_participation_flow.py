"""MitMachStadt end to end: a citizen finds a project in the Vorhabenliste (map and equivalent
list), answers its poll without an account, signs in, submits an idea in the consultation phase and
comments on another idea; a moderator hides the comment and its author is told why. axe-core
checks every page the citizen sees."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from participation.contributions.models import Comment, Idea
from participation.polls.models import Response
from participation.projects.models import ProjectPage, ProjectStatistics
from portal.core.models import OutboxMessage
from portal.core.outbox.services import message_send
from tests.factories import StaffUserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CITIZEN = ("buerger@schwerte.example", "Demo-Buerger-2026")  # from the demo city (README)
PROJECT = "Neugestaltung des Marktplatzes"


def test_citizen_takes_part_and_a_moderator_hides_a_comment_with_reason(
    page, live_server, demo_site, axe, csp_errors, login_with_second_factor
):
    project = ProjectPage.objects.live().get(title=PROJECT)
    statistics_before = ProjectStatistics.objects.get_or_create(project=project)[0]

    # the Vorhabenliste: a map and the same projects as a list; filter "Beteiligung läuft"
    page.goto(live_server.url + "/vorhabenliste/")
    axe(page)
    assert page.locator("[data-project-map-box]").count() == 1
    assert PROJECT in page.locator(".project-results").inner_text()
    page.get_by_label(re.compile("Beteiligung läuft")).check()
    page.get_by_role("button", name="Vorhaben anzeigen").click()
    page.wait_for_url(re.compile(r"beteiligung="))
    axe(page)
    page.locator(".project-results").get_by_role("link", name=PROJECT).first.click()
    page.wait_for_url(re.compile(re.escape(project.url)))
    axe(page)
    assert "Konsultation" in page.content()

    # the poll, without an account
    page.get_by_label("Schatten", exact=True).check()
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_selector("text=Vielen Dank")
    axe(page)
    assert Response.objects.filter(poll__project=project, user__isnull=True).count() >= 1

    # sign in (comments and ideas need a confirmed e-mail account), back to the project
    page.goto(live_server.url + f"/accounts/login/?next={project.url}")
    axe(page)
    page.fill("input[name=login]", CITIZEN[0])
    page.fill("input[name=password]", CITIZEN[1])
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(re.escape(project.url)))

    # an idea in the consultation phase
    page.locator("#idee-einreichen summary").click()
    page.get_by_label("Titel Ihrer Idee").fill("Trinkbrunnen am Markt")
    page.locator("#id_idee-text").fill("Ein Trinkbrunnen für heiße Markttage.")
    page.get_by_role("button", name="Idee einreichen").click()
    page.wait_for_selector("text=Trinkbrunnen am Markt")
    axe(page)
    idea = Idea.objects.get(title="Trinkbrunnen am Markt")
    assert idea.author.email == CITIZEN[0]

    # a comment on another idea
    other = Idea.objects.for_target(project).exclude(pk=idea.pk).order_by("pk").first()
    page.goto(live_server.url + f"/mitmachen/idee/{other.pk}/")
    axe(page)
    page.get_by_label("Ihr Kommentar").fill("Gute Idee, aber bitte mit Schatten!")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    page.wait_for_selector("text=Gute Idee, aber bitte mit Schatten!")
    axe(page)
    comment = Comment.objects.get(text="Gute Idee, aber bitte mit Schatten!")

    # the counters moved: one more online participant at least, three more contributions
    statistics = ProjectStatistics.objects.get(project=project)
    assert statistics.contributions_online == statistics_before.contributions_online + 3

    # a moderator (Moderation group, second factor) hides the comment with a reason
    moderator = StaffUserFactory()
    moderator.groups.add(Group.objects.get(name="Moderation"))
    staff = Client()
    login_with_second_factor(staff, moderator)
    response = staff.post(
        f"/admin/beteiligung/kommentar/{comment.pk}/ausblenden/",
        {"reason": "Bitte bleiben Sie beim Thema des Vorschlags."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    for message in OutboxMessage.objects.filter(sent_at__isnull=True):
        message_send(message_id=message.pk)  # what the worker does
    told = [m for m in mail.outbox if CITIZEN[0] in m.to]
    assert len(told) == 1
    assert "Bitte bleiben Sie beim Thema des Vorschlags." in told[0].body

    # publicly: a placeholder with the reason instead of the comment
    page.reload()
    page.wait_for_selector("text=Von der Moderation ausgeblendet")
    axe(page)
    assert "Gute Idee, aber bitte mit Schatten!" not in page.content()
    assert "Bitte bleiben Sie beim Thema des Vorschlags." in page.content()
    assert csp_errors == []
