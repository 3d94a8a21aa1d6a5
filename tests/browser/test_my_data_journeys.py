"""A citizen who uses only the keyboard takes a copy of their data and deletes their account
(issue 15, Art. 15, 17 and 20 GDPR), in Debian's Chromium; axe-core checks every page on the way,
allauth's password confirmation included."""

import io
import json
import re
import time
import zipfile

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail

from participation.ideas.models import PoolIdea
from portal.accounts.models import User
from portal.core import doorbell
from portal.core.mydata.models import DataExport, ExportState
from tests.browser.keyboard import focused, tab_to
from tests.conftest import every_ring_sent
from tests.factories import DEFAULT_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CITIZEN = ("buerger@schwerte.example", "Demo-Buerger-2026")  # from the demo city (README)
IDEA_TITLE = "Trinkbrunnen in der Innenstadt"  # a demo idea by "Anna aus Holzen"
IDEA_AUTHOR = "ideen-01@schwerte.example"


@pytest.fixture
def export_worker(monkeypatch, demo_site):
    """The worker's part, in this process: the ring of "privacy.export" (sent by the live server
    when the request commits) is queued, `run()` builds what is queued as the worker would, and
    the outbox's e-mail is sent at once. A worker process cannot be used here: the test settings
    keep files in memory (InMemoryStorage), so a copy built in another process could not be
    downloaded from the live server."""
    from celery.app.task import Task

    queued: list[tuple[Task, list]] = []

    def apply_async(self, args=None, kwargs=None, **options):
        if self.name == "privacy.export":
            queued.append((self, args))
        elif self.name == "outbox.send":
            self.apply(args=args, kwargs=kwargs)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    every_ring_sent(monkeypatch)
    doorbell.unpause()  # loading the demo found no broker; this stand-in needs none

    class Worker:
        def run(self) -> int:
            done = 0
            while queued:
                task, args = queued.pop(0)
                assert task.apply(args=args).get() is True
                done += 1
            return done

    return Worker()


def log_in(page, axe, live_server, email: str, password: str, next_url: str) -> None:
    """Allauth's login form, by keyboard: Tab to each field, type, Enter."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    axe(page)
    tab_to(page, lambda el: el["id"] == "id_login")
    page.keyboard.type(email)
    tab_to(page, lambda el: el["id"] == "id_password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + next_url)


def follow_link(page, text: str, url_pattern: str) -> None:
    link = tab_to(page, lambda el: el["tag"] == "A" and el["text"] == text)
    assert re.search(url_pattern, link["href"]), link
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(url_pattern))


def make_login_old(page) -> None:
    """The login lies ten minutes back, beyond ACCOUNT_REAUTHENTICATION_TIMEOUT: what the
    session of a citizen who logged in a while ago holds."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": time.time() - 600} for record in records
    ]
    session.save()


def test_keyboard_only_citizen_downloads_a_copy_of_her_data(
    page, live_server, demo_site, axe, csp_errors, export_worker
):
    email, password = CITIZEN
    log_in(page, axe, live_server, email, password, "/konto/")
    assert page.get_by_role("heading", name="Mein Konto", level=2).is_visible()
    axe(page)

    follow_link(page, "Meine Daten", r"/konto/meine-daten/$")
    assert page.get_by_role("heading", name="Meine Daten", level=1).is_visible()
    axe(page)

    button = tab_to(page, lambda el: el["text"] == "Kopie meiner Daten anfordern")
    assert button["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Ihre Kopie wird gerade erstellt.")
    assert f"Sobald die Kopie bereit ist, schreiben wir Ihnen an {email}." in page.content()
    assert page.get_by_role("button", name="Kopie meiner Daten anfordern").count() == 0
    axe(page)
    export = DataExport.objects.get(user__email=email)
    assert export.state == ExportState.PENDING

    # the worker builds the copy and the e-mail says it is ready
    assert export_worker.run() == 1
    export.refresh_from_db()
    assert export.state == ExportState.READY
    ready = [m for m in mail.outbox if m.to == [email]]
    assert len(ready) == 1, [m.subject for m in mail.outbox]
    assert f"/datenauskunft/{export.token}/" in ready[0].body

    page.reload()
    assert "Ihre Kopie wird gerade erstellt." not in page.content()
    axe(page)
    link = tab_to(page, lambda el: el["text"].startswith("Kopie herunterladen"))
    assert link["href"].endswith(f"/datenauskunft/{export.token}/")
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    download = started.value
    assert re.fullmatch(r"meine-daten-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    with open(download.path(), "rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as copy:
        names = copy.namelist()
        assert "daten.json" in names and "daten.html" in names
        data = json.loads(copy.read("daten.json"))
        assert email in json.dumps(data, ensure_ascii=False)
        assert "Bernd" in copy.read("daten.html").decode()
    assert csp_errors == []


def test_keyboard_only_citizen_deletes_her_account_and_her_idea_stays_nameless(
    page, live_server, demo_site, axe, csp_errors
):
    author = User.objects.get(email=IDEA_AUTHOR)
    author.set_password(DEFAULT_PASSWORD)
    author.save()
    EmailAddress.objects.get_or_create(
        user=author, email=IDEA_AUTHOR, defaults={"verified": True, "primary": True}
    )
    idea = PoolIdea.objects.get(input__title=IDEA_TITLE)
    idea_url = live_server.url + idea.get_absolute_url()
    page.goto(idea_url)
    assert "Anna aus Holzen" in page.locator("main").inner_text()
    axe(page)

    log_in(page, axe, live_server, IDEA_AUTHOR, DEFAULT_PASSWORD, "/konto/")
    follow_link(page, "Konto löschen", r"/konto/loeschen/$")
    assert page.get_by_role("heading", name="Konto löschen", level=1).is_visible()
    assert "gelöschtes Konto" in page.locator("main").inner_text()
    axe(page)

    # without the tick nothing happens: the error summary takes the focus and leads to the box
    tab_to(page, lambda el: el["text"] == "Konto endgültig löschen")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert focused(page)["id"] == "error-summary"
    assert "Bitte bestätigen Sie, dass Sie Ihr Konto endgültig löschen möchten." in page.content()
    axe(page)
    assert User.objects.filter(pk=author.pk).exists()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_confirm"
    page.keyboard.press("Space")
    assert page.locator("#id_confirm").is_checked()

    # she logged in a while ago: allauth asks for the password once more, then deletes
    make_login_old(page)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Konto endgültig löschen"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    assert User.objects.filter(pk=author.pk).exists()
    axe(page)
    tab_to(page, lambda el: el["id"] == "id_password")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/konto/geloescht/$"))
    assert page.get_by_role("heading", name="Ihr Konto ist gelöscht", level=1).is_visible()
    axe(page)
    assert not User.objects.filter(pk=author.pk).exists()

    # her idea stays, without her name
    page.goto(idea_url)
    main = page.locator("main").inner_text()
    assert IDEA_TITLE in main
    assert "gelöschtes Konto" in main
    assert "Anna aus Holzen" not in main
    axe(page)
    assert csp_errors == []


def test_the_privacy_page_leads_by_keyboard_to_the_citizens_rights(
    page, live_server, demo_site, axe, csp_errors
):
    page.goto(live_server.url + "/")
    follow_link(page, "Datenschutz", r"/datenschutz/$")
    main = page.locator("main")
    assert main.locator(".privacy-contact").get_by_role("link").first.is_visible()
    assert "datenschutz@schwerte.example" in main.inner_text()
    axe(page)

    # the overview of every processing: a section opens with Enter
    summary = tab_to(page, lambda el: el["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    section = main.locator("details", has_text=summary["text"]).first
    assert section.get_attribute("open") is not None
    assert "Rechtsgrundlage" in section.inner_text()
    # axe on all of it, every section opened
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
    axe(page)

    # not logged in yet: the link leads through the login
    link = tab_to(page, lambda el: el["tag"] == "A" and el["text"] == "Meine Daten")
    assert link["href"] == live_server.url + "/konto/meine-daten/"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/accounts/login/?next=/konto/meine-daten/")
    axe(page)
    tab_to(page, lambda el: el["id"] == "id_login")
    page.keyboard.type(CITIZEN[0])
    tab_to(page, lambda el: el["id"] == "id_password")
    page.keyboard.type(CITIZEN[1])
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/konto/meine-daten/")
    assert page.get_by_role("button", name="Kopie meiner Daten anfordern").is_visible()
    axe(page)
    assert csp_errors == []
