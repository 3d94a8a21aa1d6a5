"""Role × phase: who may submit an idea, comment, or support, decided on the server.

Every cell of the matrix is tried through the public form (status code, rows written) and
directly against the service (it refuses on its own, whatever a view did before)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from participation.contributions import services
from participation.contributions.models import Comment, Idea, Support
from participation.contributions.services import ContributionRefused
from participation.projects.constants import Module
from participation.projects.models import ProjectStatistics
from tests.participation.factories import phase, project

from .conftest import ROLES, citizen, client_for, user_for

pytestmark = pytest.mark.django_db

PHASES = ("none", "without", "with", "past")
MODULES = (Module.IDEAS, Module.COMMENTS, Module.RATINGS)
OTHER_MODULES = {
    Module.IDEAS: [Module.COMMENTS, Module.RATINGS, Module.POLLS],
    Module.COMMENTS: [Module.IDEAS, Module.RATINGS, Module.POLLS],
    Module.RATINGS: [Module.IDEAS, Module.COMMENTS, Module.POLLS],
}


def project_in(phase_state: str, module: str):
    vorhaben = project()
    if phase_state == "with":
        phase(vorhaben, modules=[module])
    elif phase_state == "without":
        phase(vorhaben, modules=OTHER_MODULES[module])
    elif phase_state == "past":
        phase(vorhaben, modules=[module], running="past")
    return vorhaben


def someone_elses_idea(vorhaben) -> Idea:
    return Idea.objects.create(
        target=vorhaben, author=citizen(), title="Mehr Bäume", text="Am Markt fehlt Schatten."
    )


def post(client, module, vorhaben, idea):
    if module == Module.IDEAS:
        return client.post(
            f"/mitmachen/vorhaben/{vorhaben.pk}/idee/",
            {"idee-title": "Trinkbrunnen", "idee-text": "Ein Trinkbrunnen am Marktplatz."},
        )
    if module == Module.COMMENTS:
        return client.post(
            f"/mitmachen/vorhaben/{vorhaben.pk}/kommentar/",
            {"kommentar-text": "Das finde ich gut."},
        )
    return client.post(f"/mitmachen/idee/{idea.pk}/unterstuetzen/")


def call_service(module, actor, vorhaben, idea):
    if module == Module.IDEAS:
        services.idea_create(actor=actor, project=vorhaben, title="Trinkbrunnen", text="Bitte.")
    elif module == Module.COMMENTS:
        services.comment_create(actor=actor, target=vorhaben, text="Das finde ich gut.")
    else:
        services.idea_support(actor=actor, idea=idea)


def written(module, vorhaben) -> int:
    if module == Module.IDEAS:
        return Idea.objects.for_target(vorhaben).filter(title="Trinkbrunnen").count()
    if module == Module.COMMENTS:
        return Comment.objects.for_target(vorhaben).count()
    return Support.objects.filter(idea__in=Idea.objects.for_target(vorhaben)).count()


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("phase_state", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(vorhabenliste, role, phase_state, module):
    vorhaben = project_in(phase_state, module)
    idea = someone_elses_idea(vorhaben)
    user = user_for(role)
    allowed = role in ("confirmed", "moderator") and phase_state == "with"

    response = post(client_for(user), module, vorhaben, idea)

    if allowed:
        assert response.status_code == 302
        assert written(module, vorhaben) == 1
        statistics = ProjectStatistics.objects.get(project=vorhaben)
        assert statistics.participants_online == 1
        if module == Module.RATINGS:
            assert (statistics.reactions, statistics.contributions_online) == (1, 0)
        else:
            assert (statistics.reactions, statistics.contributions_online) == (0, 1)
    else:
        assert response.status_code == 403
        assert written(module, vorhaben) == 0
        assert not ProjectStatistics.objects.filter(project=vorhaben, reactions__gt=0).exists()
        # the service refuses too, without the view's check in front of it
        with pytest.raises(ContributionRefused):
            call_service(module, user or AnonymousUser(), vorhaben, idea)
        assert written(module, vorhaben) == 0


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("anonymous", "Bitte melden Sie sich an"),
        ("new", "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse"),
        ("blocked", "Ihr Konto ist für die Beteiligung gesperrt"),
    ],
)
def test_refusal_says_why(vorhabenliste, role, message):
    vorhaben = project_in("with", Module.IDEAS)
    response = post(client_for(user_for(role)), Module.IDEAS, vorhaben, None)
    assert response.status_code == 403
    assert message in response.content.decode()
    # the project page shows the same reason instead of the form
    page = client_for(user_for(role)).get(vorhaben.get_url()).content.decode()
    assert 'name="idee-title"' not in page
    assert message in page


def test_closed_phase_says_so_on_the_page(vorhabenliste):
    vorhaben = project_in("past", Module.IDEAS)
    someone_elses_idea(vorhaben)
    page = client_for(citizen()).get(vorhaben.get_url()).content.decode()
    assert "In der aktuellen Phase können keine Ideen eingereicht werden." in page
    assert 'name="idee-title"' not in page
    assert "Unterstützen</button>" not in page.replace("\n", "")


def test_superuser_follows_the_phase_rules_too(vorhabenliste):
    """Administrators are not citizens with extra rights: no idea outside the phase."""
    vorhaben = project_in("past", Module.IDEAS)
    admin = citizen(is_superuser=True, is_staff=True)
    response = post(client_for(admin), Module.IDEAS, vorhaben, None)
    assert response.status_code == 403
    assert written(Module.IDEAS, vorhaben) == 0
