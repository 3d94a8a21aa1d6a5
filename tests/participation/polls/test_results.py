"""Poll results: counts and percentages per choice as a table, shown at once after answering or
only after the phase (the phase's setting), free texts for moderators only, constant queries."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from participation.polls.forms import PollForm
from participation.polls.selectors import poll_list_for_project, poll_results
from participation.polls.services import poll_answer, poll_answer_offline
from participation.projects.constants import ContributionChannel, Module, ResultsVisibility
from tests.participation.factories import phase, project

from .conftest import PollData, make_poll

pytestmark = pytest.mark.django_db


def fill(poll, n: int, *, choice="Bäume", when=("morgens",), text="", start=0, other=""):
    """`n` online responses (each from its own browser)."""
    data = PollData(poll)
    for i in range(start, start + n):
        values = {data.name(1): [data.choice(1, w) for w in when]}
        if other:
            values[data.name(0)] = "sonstiges"
            values[data.name(0, "_other")] = other
        else:
            values[data.name(0)] = data.choice(0, choice)
        if text:
            values[data.name(2)] = text
        form = PollForm(values, poll=poll)
        assert form.is_valid(), form.errors
        poll_answer(
            poll=poll, answers=form.answers(), browser_key=f"browser-{i:04d}-xxxxxxxxxxxxxxxx"
        )


def offline(poll, staff, *, choice="Bänke", channel=ContributionChannel.LETTER):
    data = PollData(poll)
    form = PollForm({data.name(0): data.choice(0, choice)}, poll=poll, enforce_required=False)
    assert form.is_valid(), form.errors
    return poll_answer_offline(poll=poll, answers=form.answers(), channel=channel, entered_by=staff)


def _project_with_phase(results: str):
    page = project(title="Spielplatz Ost")
    now = timezone.now()
    phase(
        page, modules=[Module.POLLS], poll_results=results,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10),
    )  # fmt: skip
    return page


def test_counts_and_percentages_per_choice(poll, office_staff):
    fill(poll, 3, choice="Bäume", when=("morgens", "abends"))
    fill(poll, 1, choice="Bänke", when=("morgens",), start=10)
    offline(poll, office_staff, choice="Bänke")
    fill(poll, 1, other="Trinkbrunnen", start=20)

    poll = poll_list_for_project(project=poll.project).get()
    result = poll_results(polls=[poll])[poll.pk]
    assert (result.responses, result.offline, result.online) == (6, 1, 5)
    single, multiple, free = result.questions
    assert single.respondents == 6 and single.offline == 1
    rows = {row.label: (row.count, row.percent, row.offline) for row in single.rows}
    assert rows == {
        "Bänke": (2, 33, 1),
        "Bäume": (3, 50, 0),
        "Spielgeräte": (0, 0, 0),
        "Sonstiges": (1, 17, 0),
    }
    # multiple choice: shares of the people who answered the question, more than 100 together
    assert multiple.respondents == 5
    rows = {row.label: (row.count, row.percent) for row in multiple.rows}
    assert rows == {"morgens": (5, 100), "mittags": (0, 0), "abends": (3, 60)}
    assert free.is_text and free.respondents == 0


def test_after_phase_setting_hides_results_until_the_phase_ends(client):
    page = _project_with_phase(ResultsVisibility.AFTER_PHASE)
    poll = make_poll(page)
    fill(poll, 2)
    data = PollData(poll)
    client.post(f"/umfragen/{poll.pk}/antworten/", data.valid())

    text = client.get(f"/umfragen/{poll.pk}/").content.decode()
    assert "Vielen Dank: Sie haben an dieser Umfrage teilgenommen." in text
    assert "<table" not in text
    assert "Die Ergebnisse veröffentlichen wir nach dem Ende dieser Phase am" in text

    with time_machine.travel(timezone.now() + timedelta(days=11)):
        text = Client().get(f"/umfragen/{poll.pk}/").content.decode()
        assert "Die Umfrage ist am" in text and "zu Ende gegangen" in text
        assert "3 Personen haben teilgenommen" in text
        assert "<caption>" in text and "Was fehlt am meisten?" in text
        assert f'action="/umfragen/{poll.pk}/antworten/"' not in text
        # and no more answers
        response = Client().post(f"/umfragen/{poll.pk}/antworten/", data.valid())
        assert response.status_code == 403


def test_immediately_setting_shows_results_after_answering(client):
    page = _project_with_phase(ResultsVisibility.IMMEDIATELY)
    poll = make_poll(page)
    fill(poll, 2)

    text = client.get(f"/umfragen/{poll.pk}/").content.decode()
    assert "<table" not in text
    assert "Die Ergebnisse sehen Sie, nachdem Sie geantwortet haben." in text

    client.post(f"/umfragen/{poll.pk}/antworten/", PollData(poll).valid())
    text = client.get(f"/umfragen/{poll.pk}/").content.decode()
    assert "3 Personen haben teilgenommen" in text
    assert '<th scope="row">Bäume</th>' in text
    assert "Nur für die Moderation sichtbar" not in text


def test_moderators_see_results_during_the_phase(client, poll, moderator):
    fill(poll, 1)
    client.force_login(moderator)
    text = client.get(f"/umfragen/{poll.pk}/").content.decode()
    assert "Nur für die Moderation sichtbar" in text
    assert "1 Person hat teilgenommen" in text


def test_free_texts_are_never_public_but_listed_for_moderators(
    client, poll, moderator, login_with_second_factor
):
    fill(poll, 1, text="Meine Nachbarin Frau Beispiel parkt dort immer.")
    fill(poll, 1, other="Trinkbrunnen", start=5)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        text = Client().get(f"/umfragen/{poll.pk}/").content.decode()
        assert "Frau Beispiel" not in text and "Trinkbrunnen" not in text
        assert "1 Antwort in eigenen Worten" in text

    moderator.is_staff = True
    moderator.save()
    from django.contrib.auth.models import Permission

    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_with_second_factor(client, moderator)
    text = client.get(f"/admin/umfragen/{poll.pk}/ergebnisse/").content.decode()
    assert "Frau Beispiel" in text and "Sonstiges: Trinkbrunnen" in text
    assert "2 Antwortbögen" in text


def test_results_are_counted_in_constant_queries(
    poll, office_staff, rf, django_assert_max_num_queries
):
    fill(poll, 150, when=("morgens", "mittags"))
    for _ in range(20):
        offline(poll, office_staff)
    second = make_poll(poll.project, title="Zweite Umfrage")
    fill(second, 50, start=500)
    page = poll.project
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        from django.contrib.auth.models import AnonymousUser

        request = rf.get("/")
        request.user = AnonymousUser()
        page.phases.all()  # the project page loads the phases once (prefetch_parts)
        from django.db.models import prefetch_related_objects

        prefetch_related_objects([page], "phases")
        with django_assert_max_num_queries(8):
            from django.template.loader import render_to_string

            from participation.polls.selectors import project_context

            html = render_to_string(
                "polls/_project_section.html",
                project_context(project=page, request=request),
                request=request,
            )
    assert "170 Personen haben teilgenommen" in html
    assert "50 Personen haben teilgenommen" in html
    assert "davon offline: 20" in html


def test_the_poll_page_renders_in_constant_queries(client, poll, django_assert_max_num_queries):
    fill(poll, 200)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        with django_assert_max_num_queries(14):
            response = client.get(f"/umfragen/{poll.pk}/")
    assert "200 Personen haben teilgenommen" in response.content.decode()
