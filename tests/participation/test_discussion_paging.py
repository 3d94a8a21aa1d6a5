"""The discussion of a Vorhaben comes in pages ("Weitere Beiträge"), and each comment is a cached
fragment: over HTTP, every comment is reachable (by the links and by its own link), moderation
and edits show at once, and nobody sees another person's buttons."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from participation.contributions import moderation, services
from participation.contributions.constants import DISCUSSION_PAGE_SIZE, ModerationState
from participation.contributions.models import Comment

from .contributions.conftest import citizen, client_for, moderator_user, open_project

# query counts measure the rendering of what is asked for twice
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_parts_off")]

TOP = 2 * DISCUSSION_PAGE_SIZE + 5  # three pages
COMMENT_TEXT = re.compile(r'<p class="contribution__text">([^<]*)</p>')
NEXT = re.compile(r'href="(\?beitraege=\d+)#diskussion" data-discussion-more')


def discussion(vorhaben, *, top: int = TOP, replies: int = 10, authors=None) -> list[Comment]:
    """`top` comments, oldest first, and `replies` replies to the first ones."""
    authors = authors or [citizen(display_name=f"Person {n}") for n in range(3)]
    start = timezone.now() - timedelta(days=2)
    rows = Comment.objects.bulk_create(
        Comment(
            target=vorhaben,
            author=authors[n % len(authors)],
            text=f"Beitrag {n:03d}",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(top)
    )
    Comment.objects.bulk_create(
        Comment(
            target=vorhaben,
            author=authors[n % len(authors)],
            parent=rows[n],
            text=f"Antwort {n:03d}",
            created_at=start + timedelta(hours=10, minutes=n),
        )
        for n in range(replies)
    )
    return rows


def texts(html: str) -> list[str]:
    return COMMENT_TEXT.findall(html)


def whole_discussion(client, url: str) -> tuple[list[str], int]:
    """Every comment text, following "Weitere Beiträge" from the first page to the last."""
    seen, pages, query = [], 0, ""
    while True:
        response = client.get(url + query)
        assert response.status_code == 200
        html = response.content.decode()
        seen += texts(html)
        pages += 1
        found = NEXT.search(html)
        if found is None:
            return seen, pages
        query = found.group(1)


@pytest.fixture
def vorhaben(vorhabenliste):
    return open_project(title="Neuer Stadtpark", slug="stadtpark")


def test_first_page_shows_a_fixed_number_and_more_reaches_the_rest(vorhaben):
    discussion(vorhaben)
    client = client_for(citizen())
    html = client.get(vorhaben.get_url()).content.decode()

    assert html.count('<li class="comment">') == DISCUSSION_PAGE_SIZE
    assert "Beitrag 000" in html and f"Beitrag {DISCUSSION_PAGE_SIZE - 1:03d}" in html
    assert f"Beitrag {DISCUSSION_PAGE_SIZE:03d}" not in html
    assert "Antwort 009" in html  # replies come with their comment
    assert f"({TOP + 10})" in html  # the count names them all
    assert "Weitere Beiträge" in html and 'href="?beitraege=2#diskussion"' in html
    assert "js/discussion.js" in html

    seen, pages = whole_discussion(client, vorhaben.get_url())
    assert pages == 3
    expected = [f"Beitrag {n:03d}" for n in range(TOP)]
    assert [text for text in seen if text.startswith("Beitrag")] == expected  # oldest first
    assert sorted(text for text in seen if text.startswith("Antwort")) == [
        f"Antwort {n:03d}" for n in range(10)
    ]
    last = client.get(vorhaben.get_url() + "?beitraege=3").content.decode()
    assert "Frühere Beiträge" in last and "Weitere Beiträge" not in last


@pytest.mark.parametrize("asked", ["0", "-4", "zwei", "99999999999999999999", "7"])
def test_odd_page_numbers_show_a_page_never_an_error(vorhaben, asked):
    discussion(vorhaben)
    response = client_for(citizen()).get(vorhaben.get_url(), {"beitraege": asked})
    assert response.status_code == 200
    assert len(texts(response.content.decode())) > 0


def test_every_comment_is_reached_by_its_link(vorhaben):
    rows = discussion(vorhaben)
    replies = list(Comment.objects.filter(parent__isnull=False))
    author = citizen(display_name="Neue Stimme")
    client = client_for(author)

    # after posting, the newest comment is on the last page, and the redirect goes there
    response = client.post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/kommentar/", {"kommentar-text": "Mein neuer Beitrag"}
    )
    new = Comment.objects.get(text="Mein neuer Beitrag")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?beitraege=3#kommentar-{new.pk}")
    assert f'id="kommentar-{new.pk}"' in client.get(response["Location"]).content.decode()

    # the way back from "Melden" (as from replying, editing, deleting) leads to the comment's
    # own page of the discussion, replies included
    shown = {
        query: set(re.findall(r'id="(kommentar-\d+)"', client.get(url + query).content.decode()))
        for query, url in [("", vorhaben.get_url())]
        + [(f"?beitraege={n}", vorhaben.get_url()) for n in (2, 3)]
    }
    for comment in [*rows, *replies]:
        page = client.get(f"/mitmachen/kommentar/{comment.pk}/melden/").content.decode()
        links = set(re.findall(rf'href="([^"]*)#kommentar-{comment.pk}"', page))
        assert links, comment.text
        for link in links:
            query = link.replace(vorhaben.get_url(), "")
            assert f"kommentar-{comment.pk}" in shown[query], (comment.text, link)

    # a reply goes to the page of the comment it answers
    response = client.post(
        f"/mitmachen/kommentar/{rows[TOP - 1].pk}/antworten/", {"antwort-text": "Späte Antwort"}
    )
    reply = Comment.objects.get(text="Späte Antwort")
    assert response["Location"].endswith(f"?beitraege=3#kommentar-{reply.pk}")
    assert "Späte Antwort" in client.get(response["Location"]).content.decode()


def test_hidden_comments_never_show_their_text(vorhaben):
    rows = discussion(vorhaben)
    moderator = moderator_user()
    moderation.contribution_hide(
        actor=moderator, contribution=rows[3], reason="Bitte bleiben Sie sachlich."
    )
    Comment.objects.filter(pk=rows[DISCUSSION_PAGE_SIZE + 2].pk).update(
        state=ModerationState.AUTO_HIDDEN
    )
    seen, _pages = whole_discussion(client_for(citizen()), vorhaben.get_url())
    assert "Beitrag 003" not in seen and f"Beitrag {DISCUSSION_PAGE_SIZE + 2:03d}" not in seen
    first = client_for(citizen()).get(vorhaben.get_url()).content.decode()
    assert "Von der Moderation ausgeblendet: Bitte bleiben Sie sachlich." in first
    second = client_for(citizen()).get(vorhaben.get_url() + "?beitraege=2").content.decode()
    assert "mehrfach gemeldet" in second


def test_an_erased_author_shows_as_deleted_account(vorhaben):
    erika = citizen(display_name="Erika Beispiel")
    rows = discussion(vorhaben, authors=[erika])
    client = client_for(citizen())
    assert "Erika Beispiel" in client.get(vorhaben.get_url()).content.decode()  # now cached

    erika.delete()  # what the erasure leaves: comments without their author
    html = client.get(vorhaben.get_url()).content.decode()
    assert "Erika Beispiel" not in html
    assert html.count("gelöschtes Konto") >= DISCUSSION_PAGE_SIZE
    assert "Beitrag 000" in html and Comment.objects.get(pk=rows[0].pk).author_id is None


def test_the_cached_fragment_shows_changes_at_once(vorhaben):
    author = citizen(display_name="Jana")
    own = services.comment_create(actor=author, target=vorhaben, text="Erster Entwurf")
    other = services.comment_create(actor=citizen(), target=vorhaben, text="Noch ein Gedanke")
    reader = client_for(citizen())
    html = reader.get(vorhaben.get_url()).content.decode()
    assert "Erster Entwurf" in html and "Noch ein Gedanke" in html  # both fragments cached

    services.contribution_edit(actor=author, contribution=own, text="Zweiter Entwurf")
    html = reader.get(vorhaben.get_url()).content.decode()
    assert "Zweiter Entwurf" in html and "Erster Entwurf" not in html and "bearbeitet" in html

    moderation.contribution_hide(
        actor=moderator_user(), contribution=other, reason="Werbung ist hier nicht erlaubt."
    )
    html = reader.get(vorhaben.get_url()).content.decode()
    assert "Noch ein Gedanke" not in html
    assert "Von der Moderation ausgeblendet: Werbung ist hier nicht erlaubt." in html

    author.display_name = "Jana K."
    author.save()
    assert "Jana K." in reader.get(vorhaben.get_url()).content.decode()

    services.contribution_delete(actor=author, contribution=own)
    html = reader.get(vorhaben.get_url()).content.decode()
    assert "Zweiter Entwurf" not in html and "Dieser Beitrag wurde gelöscht." in html


def test_nobody_sees_another_persons_buttons(vorhaben):
    author = citizen(display_name="Jana")
    own = services.comment_create(actor=author, target=vorhaben, text="Mein Beitrag")
    edit = f"/mitmachen/kommentar/{own.pk}/bearbeiten/"
    delete = f"/mitmachen/kommentar/{own.pk}/loeschen/"
    reply = f"/mitmachen/kommentar/{own.pk}/antworten/"
    report = f"/mitmachen/kommentar/{own.pk}/melden/"

    mine = client_for(author).get(vorhaben.get_url()).content.decode()  # cached with her buttons
    assert edit in mine and delete in mine and reply in mine

    others = client_for(citizen()).get(vorhaben.get_url()).content.decode()
    assert edit not in others and delete not in others
    assert reply in others and report in others

    anonymous = client_for(None).get(vorhaben.get_url()).content.decode()
    assert edit not in anonymous and delete not in anonymous and reply not in anonymous
    assert report in anonymous and "Mein Beitrag" in anonymous

    mine = client_for(author).get(vorhaben.get_url()).content.decode()
    assert edit in mine and delete in mine


def test_queries_stay_flat_from_20_to_500_comments(vorhabenliste, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = open_project(title="Klein", slug="klein")
    discussion(small, top=20, replies=0)
    big = open_project(title="Groß", slug="gross")
    discussion(big, top=250, replies=250)
    client = client_for(citizen())
    client.get(small.get_url())  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_url())
    with django_assert_max_num_queries(len(few)):
        html = client.get(big.get_url()).content.decode()
    assert html.count('<li class="comment">') == DISCUSSION_PAGE_SIZE
    with django_assert_max_num_queries(len(few)):
        html = client.get(big.get_url() + "?beitraege=13").content.decode()
    assert "Beitrag 249" in html
