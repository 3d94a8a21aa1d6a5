"""MitMachBüro: staff enter contributions that came by letter, phone or at an event. They appear
marked with their channel, never with the citizen's name, and count offline in the statistics."""

import pytest

from participation.contributions import moderation, services
from participation.contributions.constants import ModerationAction
from participation.contributions.models import Comment, Idea, ModerationLog
from participation.projects.constants import ContributionChannel
from participation.projects.models import ProjectParticipant, ProjectStatistics
from portal.departments.models import DepartmentMembership
from tests.factories import DepartmentFactory, StaffUserFactory
from tests.participation.factories import phase, project

from .conftest import admin_client, citizen, client_for, moderator_user, open_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def vorhaben(vorhabenliste):
    return open_project(title="Spielplatz Wandhofen", slug="spielplatz")


def statistics(vorhaben) -> tuple:
    s = ProjectStatistics.objects.get(project=vorhaben)
    return (
        s.participants_online,
        s.participants_offline,
        s.contributions_online,
        s.contributions_offline,
        s.reactions,
    )


def test_staff_enter_an_idea_and_a_comment_from_the_mitmachbuero(vorhaben):
    staff = moderator_user(first_name="Maren", last_name="MitMachBüro")
    client = admin_client(staff)
    form = client.get(f"/admin/beteiligung/vorhaben/{vorhaben.pk}/offline/")
    assert form.status_code == 200
    assert "Offline-Beitrag erfassen" in form.content.decode()

    response = client.post(
        f"/admin/beteiligung/vorhaben/{vorhaben.pk}/offline/",
        {
            "kind": "idee",
            "channel": ContributionChannel.LETTER,
            "title": "Eine Rutsche für Kleine",
            "text": "Die große Rutsche ist für Kleinkinder zu steil.",
            "citizen_name": "Hildegard Briefschreiberin",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.channel, idea.author, idea.entered_by) == ("brief", None, staff)
    assert idea.offline_name == "Hildegard Briefschreiberin"

    response = client.post(
        f"/admin/beteiligung/vorhaben/{vorhaben.pk}/offline/",
        {
            "kind": "kommentar",
            "channel": ContributionChannel.EVENT,
            "idea": idea.pk,
            "text": "Bei der Bürgerversammlung: Sonnensegel über dem Sandkasten!",
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.idea, comment.channel) == (idea, "veranstaltung")

    page = client_for(None).get(vorhaben.get_url()).content.decode()
    assert "Eine Rutsche für Kleine" in page
    assert "per Brief eingegangen" in page
    assert "Hildegard" not in page
    idea_page = client_for(None).get(f"/mitmachen/idee/{idea.pk}/").content.decode()
    assert "Sonnensegel" in idea_page and "bei einer Veranstaltung eingegangen" in idea_page

    assert statistics(vorhaben) == (0, 2, 0, 2, 0)
    assert set(ProjectParticipant.objects.values_list("key", flat=True)) == {
        f"offline:idea:{idea.pk}",
        f"offline:comment:{comment.pk}",
    }
    assert ModerationLog.objects.filter(action=ModerationAction.OFFLINE_ENTERED).count() == 2


def test_online_and_offline_are_counted_apart(vorhaben):
    erika = citizen()
    staff = moderator_user()
    idea = services.idea_create(actor=erika, project=vorhaben, title="Bänke", text="Mehr Bänke.")
    services.comment_create(actor=erika, target=vorhaben, text="Und Mülleimer.")
    services.idea_support(actor=citizen(), idea=idea)
    for channel in (ContributionChannel.MITMACHBUERO, ContributionChannel.PHONE):
        moderation.offline_contribution_enter(
            actor=staff, project=vorhaben, kind="kommentar", channel=channel, text="Per Telefon"
        )
    # participants online: Erika and the supporter; offline: each entry is one person
    assert statistics(vorhaben) == (2, 2, 2, 2, 1)
    figures = client_for(None).get(vorhaben.get_url()).content.decode()
    assert "im MitMachBüro eingegangen" in figures and "per Telefon eingegangen" in figures


def test_offline_input_in_any_phase_but_only_by_staff(vorhabenliste):
    vorhaben = project(title="Ohne laufende Phase")
    phase(vorhaben, modules=[], running="past")
    entry = {"kind": "idee", "channel": ContributionChannel.MITMACHBUERO, "title": "T", "text": "X"}
    moderation.offline_contribution_enter(actor=moderator_user(), project=vorhaben, **entry)
    assert Idea.objects.count() == 1

    with pytest.raises(services.ContributionRefused):
        moderation.offline_contribution_enter(actor=citizen(), project=vorhaben, **entry)
    assert Idea.objects.count() == 1


def test_online_is_no_offline_channel(vorhaben):
    response = admin_client(moderator_user()).post(
        f"/admin/beteiligung/vorhaben/{vorhaben.pk}/offline/",
        {"kind": "idee", "channel": "online", "title": "T", "text": "Text"},
    )
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_idea_needs_a_title(vorhaben):
    response = admin_client(moderator_user()).post(
        f"/admin/beteiligung/vorhaben/{vorhaben.pk}/offline/",
        {"kind": "idee", "channel": "brief", "title": "", "text": "Text"},
    )
    assert response.status_code == 400
    assert "Bitte geben Sie der Idee einen Titel." in response.content.decode()


def test_department_staff_enter_for_their_projects_only(vorhabenliste):
    department = DepartmentFactory()
    own = open_project(department=department)
    foreign = open_project(department=DepartmentFactory())
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=department, user=clerk)
    client = admin_client(clerk)
    assert client.get(f"/admin/beteiligung/vorhaben/{own.pk}/offline/").status_code == 200
    assert client.get(f"/admin/beteiligung/vorhaben/{foreign.pk}/offline/").status_code == 404
