"""Mein Konto → Meine Ideen: one's own ideas and the ideas one supports, with stage and window;
nobody else's; a constant number of queries however many one supports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_hide, idea_support

from .factories import citizen, submitted_idea

pytestmark = pytest.mark.django_db


def test_anonymous_people_are_sent_to_the_login(client):
    response = client.get("/ideenpool/meine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/ideenpool/meine/")


def test_own_and_supported_ideas_with_their_stage(client, mitmachbuero):
    me = citizen()
    submitted_idea(author=me, route=False, title="Bücherschrank am Bahnhof")
    liked = submitted_idea(route=False, title="Sonnensegel auf dem Spielplatz")
    hidden = submitted_idea(route=False, title="Ausgeblendete Idee von anderen")
    submitted_idea(route=False, title="Eine fremde Idee")
    idea_support(actor=me, idea=liked)
    idea_support(actor=me, idea=hidden)
    idea_hide(actor=mitmachbuero, idea=hidden, reason="Werbung")
    client.force_login(me)

    response = client.get("/ideenpool/meine/")

    assert response.status_code == 200
    html = response.content.decode()
    authored, supported = html.split('id="supported-title"')
    assert "Bücherschrank am Bahnhof" in authored
    assert "Sonnensegel auf dem Spielplatz" in supported
    assert "Sie unterstützen diese Idee" in supported
    assert "eingereicht" in supported and "1 von 75 Unterstützungen" in supported
    assert "Eine fremde Idee" not in html
    assert "Ausgeblendete Idee von anderen" not in html
    assert 'aria-current="page"' in html and "Meine Ideen" in html


def test_queries_do_not_grow_with_the_number_of_supported_ideas(client):
    me = citizen()
    client.force_login(me)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/ideenpool/meine/").status_code == 200
        return len(captured)

    for idea in [submitted_idea(route=False) for _ in range(2)]:
        idea_support(actor=me, idea=idea)
    queries()  # the first request of a session also reads what later ones find cached
    few = queries()
    for idea in [submitted_idea(route=False) for _ in range(12)]:
        idea_support(actor=me, idea=idea)
    assert PoolIdea.objects.filter(input__supports__user=me).count() == 14
    assert queries() == few
