"""Pages with many contributions render in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.contributions import moderation, services
from participation.contributions.constants import ModerationState
from participation.contributions.models import Comment, Idea, Support
from participation.projects.constants import ContributionChannel
from tests.factories import CategoryFactory, DepartmentFactory

from .conftest import admin_client, citizen, client_for, moderator_user, open_project

# query counts measure the rendering of what is asked for twice
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_parts_off")]

MAX_PAGE_QUERIES = 40
MAX_ADMIN_QUERIES = 40


def fill(vorhaben, *, comments: int, ideas: int, idea=None, with_tickets=True):
    """Contributions of every kind straight into the tables: visible, hidden, deleted, offline,
    replies, with tickets, by many authors."""
    authors = [citizen(display_name=f"Person {n}") for n in range(20)]
    idea_rows = Idea.objects.bulk_create(
        Idea(
            target=vorhaben,
            author=authors[n % 20],
            title=f"Idee {n}",
            text="Text",
            support_count=n % 5,
        )  # fmt: skip
        for n in range(ideas)
    )
    for row in idea_rows[:20]:
        Support.objects.create(idea=row, user=authors[0])
    top = Comment.objects.bulk_create(
        Comment(
            target=vorhaben,
            idea=idea,
            author=None if n % 7 == 0 else authors[n % 20],
            channel=ContributionChannel.MITMACHBUERO if n % 7 == 0 else ContributionChannel.ONLINE,
            text=f"Kommentar {n}",
            state=ModerationState.HIDDEN if n % 11 == 0 else ModerationState.VISIBLE,
            moderation_reason="Beleidigung",
        )
        for n in range(comments // 2)
    )
    Comment.objects.bulk_create(
        Comment(target=vorhaben, idea=idea, parent=top[n % len(top)], author=authors[n % 20],
                text=f"Antwort {n}",
                state=ModerationState.DELETED if n % 13 == 0 else ModerationState.VISIBLE)
        for n in range(comments - comments // 2)
    )  # fmt: skip
    if with_tickets:
        category = CategoryFactory(default_department=DepartmentFactory())
        staff = moderator_user()
        for row in top[1:4]:
            moderation.contribution_to_ticket(actor=staff, contribution=row, category=category)
        for row in idea_rows[1:3]:
            moderation.contribution_to_ticket(actor=staff, contribution=row, category=category)


def count_queries(client, url) -> tuple[int, str]:
    """The queries of a page in a running site: asked for once before, so what each process keeps
    of the CMS (portal.cms.memo) is there for every page measured alike."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.content.decode()


def test_project_page_with_500_comments(vorhabenliste, django_assert_max_num_queries):
    small = open_project(title="Klein", slug="klein")
    fill(small, comments=10, ideas=3)
    big = open_project(title="Groß", slug="gross")
    fill(big, comments=500, ideas=100)
    viewer = citizen()
    own = services.comment_create(actor=viewer, target=big, text="Mein eigener Kommentar")
    client = client_for(viewer)
    client.get(small.get_url())  # warm Wagtail's site cache

    few, _html = count_queries(client, small.get_url())
    many, html = count_queries(client, big.get_url())
    assert many == few, f"{few} queries with 10 comments, {many} with 500"
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        client.get(big.get_url())
    # the first page of the discussion: 20 comments with their replies, then "Weitere Beiträge"
    assert html.count('<li class="comment">') == 20
    assert "Kommentar 19</p>" in html and "Kommentar 20</p>" not in html
    assert "Von der Moderation ausgeblendet: Beleidigung" in html
    assert "Dieser Beitrag wurde gelöscht." in html
    assert "im MitMachBüro eingegangen" in html
    assert html.count("status-light status-light--") == 5
    assert "?beitraege=2#diskussion" in html
    last = count_queries(client, big.get_url() + "?beitraege=13")
    assert last[0] == few, f"{few} queries on the first page, {last[0]} on the last"
    assert f"/mitmachen/kommentar/{own.pk}/bearbeiten/" in last[1]
    # every module asks whether the viewer is blocked: the page asks the database once
    with CaptureQueriesContext(connection) as queries:
        client.get(big.get_url())
    blocks = [q for q in queries if "projects_participationblock" in q["sql"]]
    assert len(blocks) == 1, blocks


def test_idea_page_with_500_comments(vorhabenliste):
    vorhaben = open_project()
    small_idea = Idea.objects.create(target=vorhaben, author=citizen(), title="Klein", text="x")
    big_idea = Idea.objects.create(target=vorhaben, author=citizen(), title="Groß", text="x")
    fill(vorhaben, comments=10, ideas=0, idea=small_idea, with_tickets=False)
    fill(vorhaben, comments=500, ideas=0, idea=big_idea)
    client = client_for(citizen())
    client.get(f"/mitmachen/idee/{small_idea.pk}/")
    few, _html = count_queries(client, f"/mitmachen/idee/{small_idea.pk}/")
    many, html = count_queries(client, f"/mitmachen/idee/{big_idea.pk}/")
    assert many == few, f"{few} queries with 10 comments, {many} with 500"
    assert "Antwort 19</p>" in html and "Antwort 20</p>" not in html
    assert (
        "Antwort 249</p>"
        in count_queries(client, f"/mitmachen/idee/{big_idea.pk}/?beitraege=13")[1]
    )


def test_moderation_queue_and_overview(vorhabenliste):
    small = open_project(title="Klein")
    fill(small, comments=6, ideas=2, with_tickets=False)
    big = open_project(title="Groß")
    fill(big, comments=400, ideas=100)
    for n in range(30):
        open_project(title=f"Weiteres Vorhaben {n}")
    client = admin_client(moderator_user())
    client.get(f"/admin/beteiligung/vorhaben/{small.pk}/")  # warm the admin's caches

    few, _html = count_queries(client, f"/admin/beteiligung/vorhaben/{small.pk}/")
    many, html = count_queries(client, f"/admin/beteiligung/vorhaben/{big.pk}/")
    assert many == few, f"{few} queries with 8 contributions, {many} with 500"
    assert many <= MAX_ADMIN_QUERIES
    assert "Seite 1 von 10" in html or "Page 1 of 10" in html

    overview, html = count_queries(client, "/admin/beteiligung/")
    assert overview <= MAX_ADMIN_QUERIES
    assert "Weiteres Vorhaben 29" in html
