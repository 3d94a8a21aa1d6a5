"""Fixtures shared by the participation tests; the builders live in factories.py."""

import pytest

from participation.projects.constants import Intensity

from .factories import ALL_MODULES, phase, project, project_index


@pytest.fixture
def vorhabenliste(db):
    """The Vorhabenliste under the home page of the default site."""
    return project_index()


@pytest.fixture
def consultation_project(vorhabenliste):
    """A published project in a running consultation phase with all four modules."""
    vorhaben = project(title="Neugestaltung des Marktplatzes", slug="marktplatz")
    phase(vorhaben, modules=ALL_MODULES, intensity=Intensity.CONSULTATION, running=True)
    return vorhaben
