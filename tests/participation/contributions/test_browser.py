"""The pages of ideas, comments and moderation in Debian's Chromium, with axe-core on every page:
a citizen submits an idea (first with an error), comments on another idea, replies, edits and
deletes; someone without an account reports a comment; a moderator hides it in the admin."""

import pytest
from django.test import Client

from participation.contributions import services
from participation.contributions.constants import ModerationState
from participation.contributions.models import Comment, Idea, ReasonTemplate
from portal.accounts.signals import SECOND_FACTOR_SESSION_KEY

from .conftest import citizen, moderator_user, open_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, user, *, second_factor: bool = False) -> None:
    """The browser gets the session of a signed-in user (for staff: with the second factor
    proven, as after allauth's TOTP step)."""
    client = Client()
    client.force_login(user)
    if second_factor:
        session = client.session
        session[SECOND_FACTOR_SESSION_KEY] = user.pk
        session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def axe_admin(axe, page) -> None:
    """Wagtail's messages fade in; measure them once settled (see tests/browser/test_clerk_flow)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.messages > ul')]"
        ".every((ul) => getComputedStyle(ul).opacity === '1')"
    )
    axe(page)


def test_contributions_pages(page, browser, live_server, vorhabenliste, axe, csp_errors):
    vorhaben = open_project(title="Neuer Stadtpark", slug="stadtpark")
    other = services.idea_create(
        actor=citizen(display_name="Bodo"),
        project=vorhaben,
        title="Mehr Schatten",
        text="Bäume an den Bänken.",
    )
    services.comment_create(actor=citizen(display_name="Clara"), target=vorhaben, text="Prima!")
    erika = citizen(display_name="Erika")
    sign_in(page, live_server, erika)
    url = live_server.url + vorhaben.get_url()

    # the project page with the idea form; an empty idea comes back with the error summary
    page.goto(url)
    assert page.get_by_role("heading", name="Mehr Schatten").is_visible()
    axe(page)
    page.get_by_text("Eigene Idee einreichen").click()
    page.get_by_role("button", name="Idee einreichen").click()
    page.wait_for_selector("#error-summary")
    assert "Bitte geben Sie Ihrer Idee einen Titel." in page.content()
    axe(page)
    page.get_by_label("Titel Ihrer Idee").fill("Wasserspielplatz")
    page.get_by_label("Beschreibung").fill("Für heiße Sommertage.")
    page.get_by_role("button", name="Idee einreichen").click()
    page.wait_for_selector("text=Danke! Ihre Idee ist eingereicht")
    assert Idea.objects.filter(title="Wasserspielplatz", author=erika).exists()
    axe(page)

    # support and comment on another idea
    page.get_by_role("button", name="Unterstützen (Idee „Mehr Schatten“)").click()
    page.wait_for_selector("text=Sie unterstützen jetzt diese Idee.")
    page.get_by_role("link", name="Mehr Schatten", exact=True).click()
    page.wait_for_selector("h1:has-text('Mehr Schatten')")
    axe(page)
    page.get_by_label("Ihr Kommentar").fill("Gute Idee, am besten Linden.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    page.wait_for_selector("text=Danke! Ihr Kommentar ist veröffentlicht.")
    comment = Comment.objects.get(idea=other)
    axe(page)

    # reply to the project discussion, then change and delete the own comment
    clara = Comment.objects.get(text="Prima!")
    page.goto(f"{live_server.url}/mitmachen/kommentar/{clara.pk}/antworten/")
    axe(page)
    page.get_by_label("Ihre Antwort").fill("Finde ich auch.")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    page.wait_for_selector("text=Danke! Ihre Antwort ist veröffentlicht.")
    page.goto(f"{live_server.url}/mitmachen/kommentar/{comment.pk}/bearbeiten/")
    axe(page)
    page.get_by_label("Ihr Kommentar").fill("Gute Idee, am besten Eichen.")
    page.get_by_role("button", name="Änderung speichern").click()
    page.wait_for_selector("text=Ihre Änderung ist gespeichert.")
    page.goto(f"{live_server.url}/mitmachen/kommentar/{comment.pk}/loeschen/")
    axe(page)
    page.get_by_role("button", name="Endgültig löschen").click()
    page.wait_for_selector("text=Dieser Beitrag wurde gelöscht.")
    axe(page)

    # without an account: report a comment; an edit link of someone else is refused
    anonymous = browser.new_page()
    anonymous.goto(f"{live_server.url}/mitmachen/kommentar/{clara.pk}/melden/")
    axe(anonymous)
    anonymous.get_by_label("Was stimmt mit diesem Beitrag nicht? (freiwillig)").fill("Spam")
    anonymous.get_by_role("button", name="Beitrag melden").click()
    anonymous.wait_for_selector("text=Danke für Ihren Hinweis!")
    anonymous.goto(f"{live_server.url}/mitmachen/kommentar/{clara.pk}/bearbeiten/")
    assert "Das ist gerade nicht möglich" in anonymous.content()
    axe(anonymous)
    anonymous.close()

    # the moderator hides the reported comment with a reason template
    ReasonTemplate.objects.create(title="Werbung", text="Werbung ist hier nicht erlaubt.")
    moderator = moderator_user()
    admin = browser.new_page()
    sign_in(admin, live_server, moderator, second_factor=True)
    admin.goto(f"{live_server.url}/admin/beteiligung/")
    assert "Neuer Stadtpark" in admin.content()
    axe_admin(axe, admin)
    admin.goto(f"{live_server.url}/admin/beteiligung/vorhaben/{vorhaben.pk}/?zeigen=gemeldet")
    axe_admin(axe, admin)
    admin.get_by_role("link", name="Kommentar").first.click()
    admin.wait_for_selector("text=Ausblenden und begründen")
    axe_admin(axe, admin)
    admin.get_by_label("Textbaustein").select_option(label="Werbung")
    admin.get_by_role("button", name="Ausblenden und begründen").click()
    admin.wait_for_selector("text=Der Beitrag ist ausgeblendet.")
    axe_admin(axe, admin)
    clara.refresh_from_db()
    assert clara.state == ModerationState.HIDDEN
    admin.goto(f"{live_server.url}/admin/beteiligung/vorhaben/{vorhaben.pk}/offline/")
    axe_admin(axe, admin)
    admin.goto(f"{live_server.url}/admin/beteiligung/protokoll/")
    axe_admin(axe, admin)
    admin.close()

    page.goto(url)
    assert "Von der Moderation ausgeblendet: Werbung ist hier nicht erlaubt." in page.content()
    axe(page)
    assert csp_errors == []
