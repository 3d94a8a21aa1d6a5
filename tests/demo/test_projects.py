"""The demo Vorhabenliste, as `make run` loads it."""

import io

import pytest
from django.core.management import call_command

from participation.projects.constants import Intensity, Module, ProjectStatus
from participation.projects.models import (
    FieldOfAction,
    Phase,
    ProjectEvent,
    ProjectIndexPage,
    ProjectPage,
)
from portal.cms.models import HomePage

pytestmark = pytest.mark.django_db


def test_demo_projects(demo_site, client):
    index = ProjectIndexPage.objects.get()
    assert index.slug == "vorhabenliste" and index.live
    projects = ProjectPage.objects.live().descendant_of(index)
    assert projects.count() == 30
    assert FieldOfAction.objects.count() >= 8
    assert set(projects.values_list("status", flat=True)) == set(ProjectStatus.values)
    assert projects.filter(latitude__isnull=False).count() >= 10
    assert projects.filter(districts__isnull=False).distinct().count() >= 15

    marktplatz = projects.get(title="Neugestaltung des Marktplatzes")
    running = marktplatz.phase_at()
    assert running.intensity == Intensity.CONSULTATION
    assert set(running.modules) == {Module.IDEAS, Module.COMMENTS, Module.RATINGS, Module.POLLS}
    assert ProjectEvent.objects.filter(project=marktplatz, livestream_url__startswith="https")

    information = [
        p for p in projects if (phase := p.phase_at()) and phase.intensity == Intensity.INFORMATION
    ]
    assert information, "one project is in an information phase"
    finished = projects.filter(status=ProjectStatus.DONE).exclude(result="")
    assert finished.exists()
    assert all(not p.phase_at() for p in finished)
    assert Phase.objects.filter(project__in=finished).exists()

    response = client.get("/vorhabenliste/")
    assert response.status_code == 200
    assert "Alle 30 Vorhaben" in response.content.decode()
    page = client.get(marktplatz.url)
    assert page.status_code == 200
    assert 'aria-current="step"' in page.content.decode()


def test_home_page_leads_to_the_vorhabenliste(demo_site, client):
    home = HomePage.objects.get()
    index = ProjectIndexPage.objects.get()
    tile = next(t for t in home.tiles.raw_data if t["value"]["icon"] == "participate")
    assert tile["value"]["page"] == index.pk
    assert 'href="/vorhabenliste/"' in client.get("/").content.decode()


def test_loading_again_changes_nothing(demo_site):
    counts = (ProjectPage.objects.count(), Phase.objects.count(), FieldOfAction.objects.count())
    revision = HomePage.objects.get().latest_revision_id
    call_command("load_demo", stdout=io.StringIO())
    assert (
        ProjectPage.objects.count(),
        Phase.objects.count(),
        FieldOfAction.objects.count(),
    ) == counts
    assert HomePage.objects.get().latest_revision_id == revision
