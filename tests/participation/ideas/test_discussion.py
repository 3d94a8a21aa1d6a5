"""A pool idea is a discussion target: comments with the project's rules of who may write, the
same "Melden" and moderation, one shared moderation queue, and a page that costs the same number
of queries with 5 or 300 comments."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from participation.contributions.constants import ModerationState
from participation.contributions.models import Comment, ModerationLog
from participation.projects.constants import ContributionChannel
from participation.projects.models import ParticipationBlock
from portal.accounts.models import TrustLevel
from portal.accounts.signals import SECOND_FACTOR_SESSION_KEY
from tests.factories import UserFactory

from .factories import citizen, submitted_idea

# query counts measure the rendering of what is asked for twice
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_parts_off")]


@pytest.fixture
def idea(department):
    return submitted_idea()


def admin_client(user) -> Client:
    """A staff client whose session has passed the second factor."""
    client = client_for(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = user.pk
    session.save()
    return client


def blocked_user():
    user = citizen()
    ParticipationBlock.objects.create(user=user, reason="Beleidigungen")
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def comment_on(idea, text="Gute Idee!", **fields) -> Comment:
    return Comment.objects.create(target=idea, author=citizen(), text=text, **fields)


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("anonymous", 403, "Bitte melden Sie sich an"),
        ("unconfirmed", 403, "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse"),
        ("blocked", 403, "gesperrt"),
        ("confirmed", 302, ""),
    ],
)
def test_who_may_comment_on_a_pool_idea(idea, who, status, message):
    user = {
        "anonymous": None,
        "unconfirmed": UserFactory(trust_level=TrustLevel.NEW, confirmed=False),
        "blocked": blocked_user(),
        "confirmed": citizen(),
    }[who]
    response = client_for(user).post(
        f"/ideenpool/{idea.pk}/kommentar/", {"kommentar-text": "Ja, bitte am Ufer."}
    )
    assert response.status_code == status
    assert message in response.content.decode()
    assert Comment.objects.for_target(idea).count() == (1 if status == 302 else 0)


def test_an_empty_comment_comes_back_with_a_german_error(idea):
    response = client_for(citizen()).post(
        f"/ideenpool/{idea.pk}/kommentar/", {"kommentar-text": ""}
    )
    assert response.status_code == 400
    assert "Bitte schreiben Sie Ihren Kommentar." in response.content.decode()


def test_the_page_shows_the_discussion_with_replies_and_report_links(client, idea):
    first = comment_on(idea, "Erster Kommentar")
    Comment.objects.create(target=idea, parent=first, author=citizen(), text="Eine Antwort")
    html = client.get(f"/ideenpool/{idea.pk}/").content.decode()
    assert "Kommentare zu dieser Idee" in html
    assert "Erster Kommentar" in html and "Eine Antwort" in html
    assert f"/mitmachen/kommentar/{first.pk}/melden/" in html


def test_reports_hide_a_comment_and_the_moderator_is_told_where_it_is(settings, idea, mitmachbuero):
    settings.CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS = 2
    comment = comment_on(idea, "Unfreundlich")
    for _ in range(2):
        assert Client().post(f"/mitmachen/kommentar/{comment.pk}/melden/", {}).status_code == 302
    assert Comment.objects.get(pk=comment.pk).state == ModerationState.AUTO_HIDDEN
    log = ModerationLog.objects.get()
    assert log.target == idea

    staff = admin_client(mitmachbuero)
    overview = staff.get("/admin/beteiligung/").content.decode()
    assert "/admin/beteiligung/ziel/ideenpool/" in overview
    queue = staff.get("/admin/beteiligung/ziel/ideenpool/?zeigen=gemeldet").content.decode()
    assert f'href="/ideenpool/{idea.pk}/"' in queue
    assert f"/admin/beteiligung/kommentar/{comment.pk}/" in queue


def test_a_department_clerk_does_not_moderate_the_pool(idea, clerk):
    comment = comment_on(idea)
    staff = admin_client(clerk)
    # refused: Wagtail sends people without the permission back to the dashboard
    for url in (
        "/admin/beteiligung/ziel/ideenpool/",
        f"/admin/beteiligung/kommentar/{comment.pk}/",
    ):
        response = staff.get(url)
        assert response.status_code in (302, 403, 404)
        assert response.get("Location", "/admin/") == "/admin/"


def _fill(idea, count: int) -> None:
    authors = [citizen(display_name=f"Person {n}") for n in range(10)]
    top = Comment.objects.bulk_create(
        Comment(
            target=idea,
            author=None if n % 7 == 0 else authors[n % 10],
            channel=ContributionChannel.MITMACHBUERO if n % 7 == 0 else ContributionChannel.ONLINE,
            text=f"Kommentar {n}",
            state=ModerationState.HIDDEN if n % 11 == 0 else ModerationState.VISIBLE,
            moderation_reason="Beleidigung",
        )
        for n in range(count // 2)
    )
    Comment.objects.bulk_create(
        Comment(target=idea, parent=top[n % len(top)], author=authors[n % 10], text=f"Antwort {n}")
        for n in range(count - count // 2)
    )


def _queries(client, url) -> int:
    """The queries of a page in a running site: asked for once before (what each process keeps
    of the CMS, portal.cms.memo, is there for every page measured alike)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_idea_page_costs_the_same_with_many_comments(department):
    from wagtail.models import Site

    from portal.cms.models import SiteSettings

    # as on a running site: the first page view made the site settings
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    small, big = submitted_idea(title="Klein"), submitted_idea(title="Groß")
    _fill(small, 6)
    _fill(big, 300)
    client = client_for(citizen())
    assert _queries(client, f"/ideenpool/{big.pk}/") == _queries(client, f"/ideenpool/{small.pk}/")
    # 150 comments with their replies, in pages of 20 ("Weitere Beiträge")
    first = client.get(f"/ideenpool/{big.pk}/").content.decode()
    assert "Kommentar 19</p>" in first and "Kommentar 20</p>" not in first
    assert "?beitraege=2#diskussion" in first
    last = client.get(f"/ideenpool/{big.pk}/?beitraege=8").content.decode()
    assert "Kommentar 149</p>" in last and "Kommentar 139</p>" not in last


def test_the_shared_queue_costs_the_same_with_many_comments(department, mitmachbuero):
    staff = admin_client(mitmachbuero)
    ideas = [submitted_idea(title=f"Idee {n}") for n in range(3)]
    _fill(ideas[0], 6)
    staff.get("/admin/beteiligung/ziel/ideenpool/")  # warm caches
    few = _queries(staff, "/admin/beteiligung/ziel/ideenpool/")
    for idea in ideas[1:]:
        _fill(idea, 40)
    assert _queries(staff, "/admin/beteiligung/ziel/ideenpool/") == few


def test_a_deleted_target_takes_its_discussion_along(department, vorhabenliste):
    """As the foreign key to the project did: the generic relation cascades in code."""
    from tests.participation.factories import project

    idea = submitted_idea()
    vorhaben = project(title="Marktplatz")
    comment_on(idea)
    Comment.objects.create(target=vorhaben, author=citizen(), text="Zum Vorhaben")
    idea.delete()
    ProjectPage = type(vorhaben)
    ProjectPage.objects.get(pk=vorhaben.pk).delete()
    assert not Comment.objects.exists()


def test_a_pool_idea_itself_can_be_reported_and_is_hidden_for_the_moderators(
    settings, idea, mitmachbuero
):
    """ "Idee melden" on the pool idea's page: enough reports hide the idea until a moderator
    decides, and the shared Ideenpool queue lists it."""
    settings.CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS = 2
    page = Client().get(f"/ideenpool/{idea.pk}/").content.decode()
    report_url = f"/mitmachen/idee/{idea.input_id}/melden/"
    assert f'href="{report_url}"' in page and "Idee melden" in page

    form = Client().get(report_url)
    assert form.status_code == 200
    assert idea.title in form.content.decode()
    for _ in range(2):
        response = Client().post(report_url, {})
        assert response.status_code == 302
        assert response["Location"].startswith(f"/ideenpool/{idea.pk}/")
    idea.refresh_from_db()
    assert idea.input.state == ModerationState.AUTO_HIDDEN
    hidden = Client().get(f"/ideenpool/{idea.pk}/").content.decode()
    assert idea.text not in hidden  # the public sees the placeholder only

    queue = admin_client(mitmachbuero).get("/admin/beteiligung/ziel/ideenpool/?zeigen=gemeldet")
    assert f'href="/ideenpool/{idea.pk}/"' in queue.content.decode()


def test_reporting_an_unknown_idea_is_not_found(client):
    response = client.get("/mitmachen/idee/999999/melden/")
    assert response.status_code == 404
