"""Meine Daten (issue 15, Art. 15 and 20 GDPR), accepted over HTTP: a citizen with a report, a paid
application with an upload, ideas with supports, a comment, a poll answer and three subscriptions
asks for a copy after a fresh login, gets the e-mail with the link, and downloads a ZIP that holds
every one of those rows (compared with the database) and the uploaded files byte for byte – and
nothing of anyone else, and no secret."""

# ruff: noqa: F401, F811 - the fixtures come from citizen_life

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.accounts.models import User
from portal.core.models import ErasureLog
from portal.core.mydata.models import DataExport, ExportState
from portal.core.retention import retention_run
from tests.factories import DEFAULT_PASSWORD

from .citizen_life import (
    EMAIL,
    FULL_NAME,
    OTHER_EMAIL,
    OTHER_NAME,
    citizen_life,
    files_under,
    login,
    real_media,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/datenauskunft/[^/\s]+/)")


def ask_for_a_copy(client, django_capture_on_commit_callbacks) -> str:
    """POST on Meine Daten, the worker builds the copy, the e-mail says where: its link."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/meine-daten/")
    assert response.status_code == 302 and response["Location"] == "/konto/meine-daten/"
    page = client.get("/konto/meine-daten/").content.decode()
    assert "Wir stellen Ihre Daten zusammen" in page
    # the worker (outbox_worker: in this process, on commit) built it and owed the e-mail
    export = DataExport.objects.get()
    assert export.state == ExportState.READY and export.user == User.objects.get(email=EMAIL)
    ready = [
        m for m in mail.outbox if m.subject.endswith("Ihre Daten stehen zum Herunterladen bereit")
    ]
    assert len(ready) == 1 and ready[0].to == [EMAIL]
    return LINK.search(ready[0].body).group(1)


def download(client, link) -> zipfile.ZipFile:
    response = client.get(link)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_copy_holds_every_row_and_file_of_the_citizen_and_nothing_else(
    client, citizen_life, django_capture_on_commit_callbacks
):
    life = citizen_life
    login(client)
    link = ask_for_a_copy(client, django_capture_on_commit_callbacks)
    archive = download(client, link)
    names = set(archive.namelist())
    assert {"daten.json", "daten.html"} <= names
    document = json.loads(archive.read("daten.json"))
    data = document["daten"]

    # every row of hers, of every kind, and no other
    for label, queryset in life.citizen_rows().items():
        expected = {str(pk) for pk in queryset.values_list("pk", flat=True)}
        assert expected, f"the fixture has no {label}"
        exported = {str(entry["id"]) for entry in data.get(label, {}).get("eintraege", [])}
        assert exported == expected, label
    assert len(data["core.Subscription"]["eintraege"]) == 3
    assert len(data["contributions.Support"]["eintraege"]) == 3

    # the uploads, byte for byte: the proof of the application, the photos
    uploads = {
        "eforms.SubmissionFile": ("file",),
        "reports.ReportPhoto": ("image", "rendition"),
        "ideas.PoolIdea": ("photo",),
    }
    querysets = life.citizen_rows()
    compared = 0
    for label, field_names in uploads.items():
        rows = {str(row.pk): row for row in querysets[label]}
        for entry in data[label]["eintraege"]:
            row = rows[str(entry["id"])]
            for name in field_names:
                assert entry[name] in names, (label, name, entry[name])
                with getattr(row, name).open("rb") as handle:
                    assert archive.read(entry[name]) == handle.read(), (label, name)
                compared += 1
    assert compared == 4  # the proof, the report photo and its rendition, the idea's photo

    # readable German for people, with the sections of her data
    html = archive.read("daten.html").decode()
    assert '<html lang="de"' in html
    for title in ("Mängelmeldungen", "Anträge", "Zahlungen", "Unterstützungen", "Kommentare"):
        assert title in html, title
    assert FULL_NAME in html and "Mehr Schatten am Brunnen" in html
    # links to other rows read as what they are, not as numbers of tables; another account
    # (a clerk, another citizen) is never named
    comment = html[html.index("<h3>Kommentar") :]
    comment = comment[: comment.index("</article>")]
    assert "Ihr Konto" in comment and "Vorhaben: Neugestaltung des Marktplatzes" in comment
    assert "Target id" not in html
    assert "ein anderes Konto" in html and "Sachbearbeiterin" not in html  # the clerk's answer

    # no secret, nothing of the other person
    everything = "\n".join(
        archive.read(name).decode("utf-8", "replace")
        for name in names
        if not name.startswith("dateien/")
    )
    citizen = life.citizen
    citizen.refresh_from_db()
    secrets = [
        citizen.password,
        *life.citizen_rows()["tickets.Ticket"].values_list("access_token", flat=True),
        life.quoted_ticket.access_token,
    ]
    secrets += list(Session.objects.values_list("session_key", flat=True))
    assert client.session.session_key in secrets
    for secret in secrets:
        assert secret and secret not in everything
    assert '"password"' not in everything and "access_token" not in everything
    for foreign in (OTHER_EMAIL, *OTHER_NAME, "Otto N.", "Schlagloch am Markt", "Mehr Bänke."):
        assert foreign not in everything, foreign


def test_an_old_login_confirms_the_password_and_others_get_nothing(
    client, citizen_life, django_capture_on_commit_callbacks
):
    login(client)
    link = ask_for_a_copy(client, django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        response = client.get(link)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        confirmed = client.post(response["Location"], {"password": DEFAULT_PASSWORD})
        assert confirmed.status_code == 302 and confirmed["Location"] == link
        assert client.get(link).status_code == 200

    # the other person, freshly logged in, learns nothing: not even that the link exists
    neighbour = Client()
    login(neighbour, OTHER_EMAIL)
    assert neighbour.get(link).status_code == 404
    # without a login: the login page first
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_asking_with_an_old_login_confirms_the_password_first(
    client, citizen_life, django_capture_on_commit_callbacks
):
    login(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        response = client.post("/konto/meine-daten/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert not DataExport.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client.post(response["Location"], {"password": DEFAULT_PASSWORD})
        assert confirmed.status_code == 302  # allauth replays the POST: the copy is asked for
        assert DataExport.objects.get().state == ExportState.READY
        page = client.get(confirmed["Location"], follow=True).content.decode()
        assert "Wir stellen Ihre Daten zusammen" in page


def test_an_expired_link_says_so_and_the_retention_job_erases_the_copy(
    client, citizen_life, django_capture_on_commit_callbacks, settings
):
    login(client)
    link = ask_for_a_copy(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    stored = export.file.path
    assert open(stored, "rb").read(2) == b"PK"
    later = export.created_at + timedelta(days=settings.PRIVACY_EXPORT_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        client.logout()
        login(client)
        response = client.get(link)
        assert response.status_code == 410
        page = response.content.decode()
        assert "Der Link ist abgelaufen" in page, page[:2000]
        with django_capture_on_commit_callbacks(execute=True):
            retention_run()
        assert client.get(link).status_code == 404
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert stored not in {str(path) for path in files_under(citizen_life.folders)}
    assert ErasureLog.objects.filter(count=1, rule__icontains="export").exists(), list(
        ErasureLog.objects.values_list("rule", "count")
    )


def _copy_of(client, django_capture_on_commit_callbacks, email) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/konto/meine-daten/").status_code == 302
    ready = [m for m in mail.outbox if m.to == [email] and "Herunterladen" in m.subject]
    archive = download(client, LINK.search(ready[-1].body).group(1))
    return "\n".join(
        archive.read(name).decode("utf-8", "replace") for name in ("daten.json", "daten.html")
    )


def test_the_neighbours_copy_does_not_hand_out_her_from_a_clerks_note(
    client, citizen_life, django_capture_on_commit_callbacks
):
    login(client, OTHER_EMAIL)
    copy = _copy_of(client, django_capture_on_commit_callbacks, OTHER_EMAIL)
    assert "Schlagloch am Markt" in copy  # his own report is there
    assert EMAIL not in copy and FULL_NAME not in copy


def test_a_clerks_own_copy_holds_no_citizens_cases(
    client, citizen_life, django_capture_on_commit_callbacks, login_with_second_factor
):
    clerk = citizen_life.clerk
    login_with_second_factor(client, clerk)
    copy = _copy_of(client, django_capture_on_commit_callbacks, clerk.email)
    assert clerk.email in copy  # the clerk's own data is there
    assert "Quarzmann" not in copy and EMAIL not in copy
