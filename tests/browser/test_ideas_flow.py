"""Ideenpool end to end, in Debian's Chromium with a real Celery worker: a citizen submits an
idea, three others support it, a clerk of the department the worker routed it to pre-checks it in
the admin, and the author and the supporters see the step on the idea page and receive it by
e-mail. axe-core checks every page anyone visits."""

import os
import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from participation.contributions.models import Support
from participation.ideas.constants import Stage
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_category
from portal.accounts.models import TrustLevel
from portal.core.models import OutboxMessage
from portal.tickets.constants import RoutingState, TicketStatus
from portal.tickets.models import Ticket
from tests.browser.test_clerk_flow import axe_admin
from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory
from tests.mfa import totp_code
from tests.waiting import filed_mails, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CITIZEN = ("buerger@schwerte.example", "Demo-Buerger-2026")  # from the demo city (README)
TITLE = "Wasserspender im Rathausfoyer"
# Screenshots for a human look at the pages; not compared by the test.
SCREENSHOTS = Path(os.environ.get("IDEAS_FLOW_SCREENSHOTS", "var/screenshots"))
PRECHECK = "Die Idee ist machbar und liegt in unserer Zuständigkeit. Wir prüfen jetzt die Kosten."


def sign_in(page, live_server, axe, email: str, password: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    axe(page)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_an_idea_from_submission_through_supports_to_the_precheck(
    browser, page, live_server, demo_site, axe, csp_errors, redis_server, start_celery_worker,
    tmp_path,
):  # fmt: skip
    mail_dir = tmp_path / "mail"
    start_celery_worker(
        redis_server,
        TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TEST_EMAIL_FILE_PATH=str(mail_dir),
    )

    # the Ideenpool, then the form (which needs a confirmed account)
    page.goto(live_server.url + "/ideenpool/")
    axe(page)
    sign_in(page, live_server, axe, *CITIZEN, "/ideenpool/neu/")
    axe(page)
    page.get_by_label("Titel Ihrer Idee").fill(TITLE)
    page.get_by_label("Beschreibung").fill(
        "Im Foyer warten viele Menschen lange. Ein Wasserspender wäre eine kleine Hilfe."
    )
    page.get_by_label("Handlungsfeld").select_option(index=1)
    page.get_by_role("button", name=re.compile("Idee einreichen")).click()
    page.wait_for_url(re.compile(r"/ideenpool/\d+/$"))
    axe(page)
    idea = PoolIdea.objects.get(input__title=TITLE)
    assert idea.author.email == CITIZEN[0]
    assert "eingereicht" in page.locator("main").inner_text()

    # the worker routes the idea's ticket to the department of the idea category
    assert wait_until(
        lambda: Ticket.objects.get(pk=idea.ticket_id).routing_state == RoutingState.ROUTED
    ), "the worker did not route the idea's ticket"
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    assert ticket.department_id == idea_category().default_department_id

    # three other citizens support it, each in a browser of their own
    supporters = [
        UserFactory(email=f"unterstuetzerin{n}@example.org", trust_level=TrustLevel.EMAIL_CONFIRMED)
        for n in range(3)
    ]
    idea_path = f"/ideenpool/{idea.pk}/"
    supporter_pages = []
    for number, supporter in enumerate(supporters, start=1):
        context = browser.new_context()
        other = context.new_page()
        sign_in(other, live_server, axe, supporter.email, DEFAULT_PASSWORD, idea_path)
        axe(other)
        other.get_by_role("button", name="Unterstützen", exact=True).click()
        other.wait_for_selector("text=Sie unterstützen diese Idee.")
        axe(other)
        assert f"{number} von" in other.locator("main").inner_text()
        supporter_pages.append(other)
    assert Support.objects.filter(idea__pool_idea=idea).count() == 3
    assert PoolIdea.objects.get(pk=idea.pk).support_count == 3

    # a clerk of that department pre-checks it in the admin (password and second factor)
    clerk = StaffUserFactory(email="smartcity-test@schwerte.example")
    clerk.department_memberships.create(department_id=ticket.department_id)
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)
    admin_context = browser.new_context()
    admin = admin_context.new_page()
    admin_url = f"{live_server.url}/admin/ideenpool/{idea.pk}/"
    admin.goto(admin_url)
    admin.wait_for_url(re.compile("/accounts/login/"))
    axe(admin)
    admin.get_by_label("E-Mail").first.fill(clerk.email)
    admin.get_by_label("Passwort").first.fill(DEFAULT_PASSWORD)
    admin.locator("main").get_by_role("button", name="Anmelden").click()
    admin.wait_for_url("**/accounts/2fa/authenticate/**")
    axe(admin)
    admin.locator("input[name=code]").fill(totp_code(secret))
    admin.locator("main").locator("button[type=submit]").first.click()
    admin.wait_for_url(admin_url)
    axe_admin(axe, admin)
    assert admin.get_by_role("heading", name=TITLE, exact=True).is_visible()
    precheck = admin.locator("section", has=admin.locator("#h-stage")).locator("form")
    assert admin.locator("#h-stage").inner_text() == "Vorprüfung: zulässig / unzulässig"
    precheck.get_by_label("Ergebnis der Vorprüfung").select_option(value=Stage.ADMISSIBLE)
    precheck.get_by_label("Öffentlicher Text").fill(PRECHECK)
    precheck.get_by_role("button", name="Vorprüfung abschließen").click()
    admin.wait_for_url(re.compile(rf"/admin/ideenpool/{idea.pk}/"))
    axe_admin(axe, admin)
    idea = PoolIdea.objects.get(pk=idea.pk)
    assert idea.stage == Stage.ADMISSIBLE
    assert Ticket.objects.get(pk=idea.ticket_id).status == TicketStatus.IN_REVIEW

    # the author and every supporter see the step on the idea page …
    page.set_viewport_size({"width": 1280, "height": 1800})
    for viewer in [page, *supporter_pages]:
        viewer.reload()
        timeline = viewer.locator("main").inner_text()
        assert "Vorprüfung: zulässig" in timeline
        assert PRECHECK in timeline
        axe(viewer)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "idea.png"), full_page=True)
    page.goto(live_server.url + "/ideenpool/")
    page.screenshot(path=str(SCREENSHOTS / "ideenpool.png"), full_page=True)
    axe(page)
    # Mein Konto → Meine Ideen lists it with its new stage
    page.goto(live_server.url + "/ideenpool/meine/")
    axe(page)
    mine = page.locator("main").inner_text()
    assert TITLE in mine and "Vorprüfung: zulässig" in mine

    # … and receive it by e-mail, one each, from the worker
    def step_mails():
        return [m for m in filed_mails(mail_dir) if "Vorprüfung: zulässig" in m]

    assert wait_until(lambda: len(step_mails()) == 4, timeout=90), step_mails()
    mails = step_mails()
    for person in [CITIZEN[0], *(s.email for s in supporters)]:
        received = [m for m in mails if f"To: {person}" in m]
        assert len(received) == 1, person
        assert PRECHECK in received[0]
    # once the outbox owes these people nothing more, a second mail would be on file by now
    people = [CITIZEN[0], *(s.email for s in supporters)]
    unsent = OutboxMessage.objects.filter(recipient__in=people, sent_at__isnull=True)
    assert wait_until(lambda: not unsent.exists()), list(unsent.values_list("key", flat=True))
    assert len(step_mails()) == 4
    assert csp_errors == []
