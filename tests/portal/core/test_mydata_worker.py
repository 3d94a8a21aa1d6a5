"""The copy of "Meine Daten" with the real parts: the POST commits, the doorbell rings the real
Redis, a real worker process builds the ZIP into the shared private storage and sends the
e-mail through the outbox; the link in that e-mail downloads it."""

import io
import json
import re
import zipfile

import pytest

from portal.core.mydata.models import DataExport, ExportState
from tests.factories import DEFAULT_PASSWORD, UserFactory, open_ticket
from tests.waiting import filed_mails, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_builds_the_copy_and_mails_the_link(
    client, redis_server, start_celery_worker, files_on_disk, tmp_path
):
    mail_dir = tmp_path / "mail"
    start_celery_worker(
        redis_server,
        TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TEST_EMAIL_FILE_PATH=str(mail_dir),
        TEST_STORAGE_DIR=str(files_on_disk),
    )
    user = UserFactory(email="wilma.worker@example.org")
    ticket = open_ticket(user=user, message="Die Bank am Teich ist zerbrochen.")
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302

    client.post("/konto/meine-daten/")
    export = DataExport.objects.get(user=user)

    def ready_and_mailed():
        export.refresh_from_db()
        mails = [m for m in filed_mails(mail_dir) if "wilma.worker@example.org" in m]
        return export.state == ExportState.READY and any("datenauskunft" in m for m in mails)

    assert wait_until(ready_and_mailed), export.state
    (mail,) = [m for m in filed_mails(mail_dir) if "/datenauskunft/" in m]
    link = re.search(r"https?://[^/\s]+(/datenauskunft/\S+/)", mail).group(1)
    download = client.get(link)
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("daten.json"))["daten"]
    assert [row["id"] for row in data["tickets.Ticket"]["eintraege"]] == [ticket.pk]
    assert (files_on_disk / "private" / export.file.name).exists()
