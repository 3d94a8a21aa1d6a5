"""The demo city has contributions on the Marktplatz project and reason templates."""

import io

import pytest
from django.core.management import call_command

from participation.contributions.models import Comment, Idea, ReasonTemplate
from participation.projects.models import ProjectPage, ProjectStatistics

pytestmark = pytest.mark.django_db


def test_demo_contributions(demo_site, client):
    project = ProjectPage.objects.get(slug="neugestaltung-marktplatz")
    assert Idea.objects.for_target(project).count() == 3
    assert Comment.objects.for_target(project).count() == 2
    assert ReasonTemplate.objects.count() == 4
    statistics = ProjectStatistics.objects.get(project=project)
    assert (statistics.participants_offline, statistics.contributions_offline) == (2, 2)

    call_command("load_demo", stdout=io.StringIO())  # again: nothing twice
    assert Idea.objects.for_target(project).count() == 3
    assert ReasonTemplate.objects.count() == 4

    page = client.get(project.get_url()).content.decode()
    assert "Trinkbrunnen am Rathaus" in page
    assert "im MitMachBüro eingegangen" in page
    assert "Bernd aus der Altstadt" in page
    assert "buerger@schwerte.example" not in page
