"""The demo city's polls: an open survey on the Marktplatz and the finished playground vote with
its results; loading the demo again changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from participation.polls.models import Poll, Response
from participation.projects.models import ProjectPage, ProjectStatistics

pytestmark = pytest.mark.django_db


def test_the_demo_polls(demo_site):
    marktplatz = ProjectPage.objects.get(slug="neugestaltung-marktplatz")
    spielplatz = ProjectPage.objects.get(slug="spielplatz-wandhofen")
    survey = Poll.objects.get(project=marktplatz)
    vote = Poll.objects.get(project=spielplatz)

    text = Client().get(marktplatz.url).content.decode()
    assert "Kurze Umfrage zum Marktplatz" in text
    assert f'action="/umfragen/{survey.pk}/antworten/"' in text

    text = Client().get(f"/umfragen/{vote.pk}/").content.decode()
    assert "18 Personen haben teilgenommen (davon offline: 3)" in text
    assert '<th scope="row">Wasser und Wald</th>' in text
    assert ProjectStatistics.objects.get(project=spielplatz).participants_offline >= 3

    call_command("load_demo", stdout=io.StringIO())
    assert Poll.objects.count() == 2 and Response.objects.filter(poll=vote).count() == 18
