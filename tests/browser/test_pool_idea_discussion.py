"""A pool idea is a discussion target like a Vorhaben, in Debian's Chromium: a citizen comments on
an idea in the Ideenpool, three people report the comment ("Melden", no account needed), the
rules hide it until a moderator decides, a moderator (password and second factor) finds it in
the moderation queue of the Ideenpool and hides it for good with a reason, and the author is
told the reason by e-mail. axe-core checks every page anyone visits."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core import mail

from participation.contributions.constants import ModerationState
from participation.contributions.models import Comment
from portal.core import doorbell
from portal.tickets.constants import CategoryKind
from tests.browser.test_clerk_flow import axe_admin, log_in
from tests.browser.test_ideas_flow import sign_in
from tests.factories import DEFAULT_PASSWORD, CategoryFactory, DepartmentFactory, StaffUserFactory
from tests.participation.ideas.factories import citizen, submitted_idea

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Dann bitte auch gleich Mülleimer daneben, sonst liegt alles auf der Wiese."
REASON = "Bitte bleiben Sie sachlich und beim Vorschlag."


@pytest.fixture
def tasks_in_process(monkeypatch):
    """What the doorbell rings runs here and now (a stand-in for the worker; no broker)."""
    monkeypatch.setattr(doorbell, "ring", lambda task, object_id: task.apply(args=[object_id]))


def test_a_comment_on_a_pool_idea_is_reported_hidden_and_its_author_told_why(
    browser, page, live_server, axe, csp_errors, tasks_in_process
):
    CategoryFactory(kind=CategoryKind.IDEA, default_department=DepartmentFactory())
    idea = submitted_idea(title="Bänke am Ruhrufer", route=False)  # routed by the "worker"
    idea_path = f"/ideenpool/{idea.pk}/"
    author = citizen(email="kommentar@example.org", display_name="Karla")

    # the author comments on the idea, in the discussion on its page
    sign_in(page, live_server, axe, author.email, DEFAULT_PASSWORD, idea_path)
    axe(page)
    page.get_by_label("Ihr Kommentar").fill(COMMENT)
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    page.wait_for_selector(f"text={COMMENT}")
    axe(page)
    comment = Comment.objects.get(text=COMMENT)
    assert comment.target == idea

    # three other people report it, each in a browser of their own, without an account
    for number in range(1, 4):
        context = browser.new_context()
        other = context.new_page()
        other.goto(live_server.url + idea_path)
        axe(other)
        other.locator(f"#{comment.anchor}").get_by_role("link", name=re.compile("Melden")).click()
        other.wait_for_url(re.compile(r"/melden/$"))
        axe(other)
        other.get_by_label(re.compile("Was stimmt mit diesem Beitrag nicht")).fill(
            f"Meldung {number}"
        )
        other.get_by_role("button", name="Beitrag melden").click()
        other.wait_for_url(re.compile(re.escape(idea_path)))
        axe(other)
        context.close()

    # after the third report the rules hide it until the moderation decides
    page.reload()
    page.wait_for_selector("text=mehrfach gemeldet")
    axe(page)
    assert COMMENT not in page.locator("main").inner_text()
    assert Comment.objects.get(pk=comment.pk).state == ModerationState.AUTO_HIDDEN

    # a moderator finds it in the Ideenpool's moderation queue, with a link to the idea
    moderator = StaffUserFactory(email="moderation@schwerte.example")
    moderator.groups.add(Group.objects.get(name="Moderation"))
    secret = generate_totp_secret()
    TOTP.activate(moderator, secret)
    admin = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(
        admin, live_server.url + "/admin/beteiligung/", moderator.email, DEFAULT_PASSWORD, secret
    )
    axe_admin(axe, admin)
    admin.get_by_role("link", name="Ideenpool").click()
    admin.wait_for_url(re.compile(r"/admin/beteiligung/ziel/ideenpool/$"))
    axe_admin(axe, admin)
    row = admin.locator("tr", has_text=COMMENT[:40])
    assert row.get_by_role("link", name="Bänke am Ruhrufer").get_attribute("href") == idea_path
    row.get_by_role("link", name="Kommentar").click()
    admin.wait_for_url(re.compile(rf"/admin/beteiligung/kommentar/{comment.pk}/$"))
    axe_admin(axe, admin)

    # … and hides it for good with a reason
    hide = admin.locator("section[aria-labelledby=h-hide]")
    hide.locator("textarea[name=reason]").fill(REASON)
    hide.get_by_role("button", name="Ausblenden und begründen").click()
    admin.wait_for_selector("text=erhält die Begründung per E-Mail")
    axe_admin(axe, admin)

    # the author has the reason by e-mail, with the way back to the idea
    told = [message for message in mail.outbox if author.email in message.to]
    assert len(told) == 1
    assert REASON in told[0].body
    assert "Bänke am Ruhrufer" in told[0].body
    assert f"{live_server.url}{idea_path}" in told[0].body

    # publicly: a placeholder with the reason instead of the comment
    page.reload()
    page.wait_for_selector("text=Von der Moderation ausgeblendet")
    axe(page)
    assert REASON in page.locator("main").inner_text()
    assert COMMENT not in page.content()
    assert csp_errors == []
